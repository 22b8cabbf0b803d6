package dev.vod;

import static dev.vod.testing.NginxDeployment.BIG_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.testing.ExternalTool;
import dev.vod.testing.Http;
import dev.vod.testing.NginxDeployment;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployment of {@code docs/deploy.md}, run for real ({@link NginxDeployment}): an S3 store, two stateless vod
 * nodes reading one bucket, and nginx in front with the document's own {@code slice} + {@code proxy_cache} block
 * (read from the document, only its addresses and cache folder replaced, so document and test cannot drift).
 *
 * <p>Through nginx, every body must be the object's bytes (for derived responses — seeks, playlists, manifests,
 * segments — the bytes a node answers directly), a second pass must come from nginx's cache, and clients must
 * not notice a node being stopped. Skipped when nginx is not installed; the test runs the binary as a child
 * process, never the system service.
 */
@Tag("clients")
class DeployBehindNginxTest {
    @RegisterExtension
    static final NginxDeployment deployment = new NginxDeployment();

    static String viaNginx(String pathAndQuery) {
        return deployment.viaNginx(pathAndQuery);
    }

    @Test
    void everyObjectIsItsBytesWithTheValidatorsOfBothNodes() {
        deployment.objects().forEach((path, bytes) -> {
            HttpResponse<byte[]> response = Http.get(viaNginx(path));
            assertEquals(200, response.statusCode(), path);
            assertArrayEquals(bytes, response.body(), path);
            // nginx's slice module refuses a response whose slices carry different ETags: both nodes must agree.
            String etag = Http.header(response, "ETag");
            assertNotNull(etag, path);
            for (int node = 0; node < 2; node++) {
                assertEquals(etag, Http.header(Http.head(deployment.direct(node, path)), "ETag"), path + " " + node);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "bytes=0-0, 0, 1",                                    // the first byte
        "bytes=1048570-1048585, 1048570, 16",                 // across the first 1 MiB slice boundary
        "bytes=1000000-4200000, 1000000, 3200001",            // from the first slice through three into the fifth
        "bytes=-100, 8400853, 100",                           // the last 100 bytes (suffix)
        "bytes=8388000-, 8388000, 12953",                     // into the short last slice, open-ended
    })
    void aSingleRangeIsThoseBytes(String range, int first, int length) {
        HttpResponse<byte[]> response = Http.get(viaNginx("/big.bin"), "Range", range);
        assertEquals(206, response.statusCode(), range);
        assertEquals("bytes " + first + "-" + (first + length - 1) + "/" + BIG_SIZE,
                Http.header(response, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(deployment.object("/big.bin"), first, first + length), response.body(),
                range);
    }

    @Test
    void headAnswersTheLengthAndValidatorsWithoutABody() {
        HttpResponse<byte[]> head = Http.head(viaNginx("/big.bin"));
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(BIG_SIZE), Http.header(head, "Content-Length"));
        assertEquals(Http.header(Http.head(deployment.direct(1, "/big.bin")), "ETag"), Http.header(head, "ETag"));
        assertEquals(0, head.body().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sample.mp4?start=3", "/sample-title/720p.mp4?start=5.5&end=9",
        "/sample-title/master.m3u8", "/sample-title/720p.mp4/index.m3u8", "/sample-title/manifest.mpd",
        "/sample-title/360p.mp4/seg-2.m4s"})
    void aDerivedResponseIsWhatANodeAnswers(String pathAndQuery) {
        HttpResponse<byte[]> fromNode = Http.get(deployment.direct(1, pathAndQuery));
        assertEquals(200, fromNode.statusCode(), "node B: " + pathAndQuery);
        HttpResponse<byte[]> response = Http.get(viaNginx(pathAndQuery));
        assertEquals(200, response.statusCode(), pathAndQuery);
        assertEquals(Http.header(fromNode, "Content-Type"), Http.header(response, "Content-Type"), pathAndQuery);
        assertArrayEquals(fromNode.body(), response.body(), pathAndQuery);
    }

    @Test
    void indexPagesAreNeverStored() {
        // deploy.md: index pages have no ETag, and vod's Cache-Control: no-cache keeps nginx from storing them.
        for (int pass = 1; pass <= 2; pass++) {
            HttpResponse<byte[]> page = Http.get(viaNginx("/sample-title/"));
            assertEquals(200, page.statusCode());
            assertTrue(Http.text(page).contains("720p.mp4"), Http.text(page));
            assertEquals("MISS", Http.header(page, "X-Cache"), "pass " + pass);
        }
    }

    @Test
    void ffmpegPlaysTheHlsTitleThroughNginxFrameForFrame() {
        Path ffmpeg = ExternalTool.find("ffmpeg");
        assumeTrue(ffmpeg != null, "ffmpeg is not installed");
        Duration timeout = Duration.ofSeconds(120);
        // framemd5: one checksum per decoded frame, of the best video and audio streams ffmpeg picks.
        String throughNginx = ExternalTool.ffQuietly(timeout, ffmpeg, "-i", viaNginx("/sample-title/master.m3u8"),
                "-f", "framemd5", "-");
        String fromNode = ExternalTool.ffQuietly(timeout, ffmpeg, "-i",
                deployment.direct(0, "/sample-title/master.m3u8"), "-f", "framemd5", "-");
        long frames = throughNginx.lines().filter(line -> !line.startsWith("#")).count();
        assertTrue(frames > 300, "12 s of 25 fps video and its audio, but only " + frames + " frames");
        assertEquals(fromNode, throughNginx);
    }

    @Test
    void healthIsOkOnARunningNodeAndUnavailableWithoutItsStore() throws Exception {
        for (int node = 0; node < 2; node++) {
            HttpResponse<byte[]> ok = Http.get(deployment.direct(node, "/healthz"));
            assertEquals(200, ok.statusCode());
            assertEquals("no-store", Http.header(ok, "Cache-Control"));
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        VodServer orphan = deployment.startNode("orphan", 0,
                deployment.bucket().withEndpoint(URI.create("http://127.0.0.1:" + closedPort)));
        try {
            HttpResponse<byte[]> down = Http.get(NginxDeployment.direct(orphan, "/healthz"));
            assertEquals(503, down.statusCode(), Http.text(down));
            assertEquals("no-store", Http.header(down, "Cache-Control"));
            // And its files are 502, not 404: nginx's proxy_next_upstream retries a 502 on the other node.
            HttpResponse<byte[]> file = Http.get(NginxDeployment.direct(orphan, "/sample.mp4"));
            assertEquals(502, file.statusCode(), Http.text(file));
        } finally {
            orphan.close();
        }
    }

    /** One request of a pass, and the body it must get. */
    record Fetch(String method, String pathAndQuery, String range, byte[] expected) {
    }

    /**
     * A request of every kind this deployment serves, with a query no other test sends, so that the first pass is
     * cold in nginx. Derived bodies are what node B answers directly (fetched now, before any counting).
     */
    static List<Fetch> aPassOfEveryKind() {
        String tag = "pass=hit-ratio";
        List<Fetch> pass = new ArrayList<>();
        deployment.objects().forEach((path, bytes) -> pass.add(new Fetch("GET", path + "?" + tag, null, bytes)));
        byte[] big = deployment.object("/big.bin");
        pass.add(new Fetch("GET", "/big.bin?" + tag, "bytes=0-0", Arrays.copyOfRange(big, 0, 1)));
        pass.add(new Fetch("GET", "/big.bin?" + tag, "bytes=1048570-1048585",
                Arrays.copyOfRange(big, 1048570, 1048586)));
        pass.add(new Fetch("GET", "/big.bin?" + tag, "bytes=-100", Arrays.copyOfRange(big, BIG_SIZE - 100, BIG_SIZE)));
        pass.add(new Fetch("HEAD", "/big.bin?" + tag, null, new byte[0]));
        for (String derived : List.of("/sample.mp4?start=3&", "/sample-title/master.m3u8?",
                "/sample-title/720p.mp4/index.m3u8?", "/sample-title/manifest.mpd?",
                "/sample-title/360p.mp4/seg-2.m4s?")) {
            pass.add(new Fetch("GET", derived + tag, null, Http.get(deployment.direct(1, derived + tag)).body()));
        }
        return pass;
    }

    /** Sends every fetch of {@code pass} through nginx, checks its body, and returns its {@code X-Cache}. */
    static List<String> run(List<Fetch> pass) {
        List<String> statuses = new ArrayList<>();
        for (Fetch f : pass) {
            String url = viaNginx(f.pathAndQuery());
            HttpResponse<byte[]> r = f.method().equals("HEAD") ? Http.head(url)
                    : f.range() == null ? Http.get(url) : Http.get(url, "Range", f.range());
            String what = f.method() + " " + f.pathAndQuery() + (f.range() == null ? "" : " " + f.range());
            assertEquals(f.range() == null ? 200 : 206, r.statusCode(), what);
            assertArrayEquals(f.expected(), r.body(), what);
            statuses.add(Http.header(r, "X-Cache"));
        }
        return statuses;
    }

    static double hitRatio(List<String> cacheStatuses) {
        return (double) cacheStatuses.stream().filter("HIT"::equals).count() / cacheStatuses.size();
    }

    static long nodeRequests() {
        return deployment.requestsOf(0) + deployment.requestsOf(1);
    }

    @Test
    void aSecondPassIsAnsweredFromNginxsCache() {
        List<Fetch> pass = aPassOfEveryKind();
        // Reading /metrics may count itself; measure that, so it is not taken for a request nginx made.
        long before = nodeRequests();
        long scrapes = nodeRequests() - before;
        before += scrapes;
        List<String> first = run(pass);
        long between = nodeRequests();
        List<String> second = run(pass);
        long after = nodeRequests();
        long firstToNodes = between - before - scrapes;
        long secondToNodes = after - between - scrapes;
        System.out.printf("nginx in front of two vod nodes, %d requests a pass: first pass %.2f hits, %d requests to"
                + " the nodes; second pass %.2f hits (%s), %d requests to the nodes%n", pass.size(), hitRatio(first),
                firstToNodes, hitRatio(second), second, secondToNodes);
        assertTrue(firstToNodes >= pass.size() / 2, "the first pass is cold, yet made " + firstToNodes
                + " requests to the nodes: " + first);
        // A pass takes about a second; the playlists' and the manifest's max-age is 10 s. One of them refetched
        // at that edge is tolerated, as the 0.9 ratio tolerates one miss in 15; everything else is kept for 1 h.
        assertTrue(hitRatio(second) >= 0.9, "X-Cache of the second pass: " + second);
        assertTrue(secondToNodes <= 1, secondToNodes + " requests reached the nodes in the second pass");
    }

    /** One client request of the failover loop, and what was wrong with its answer (null: nothing). */
    record Outcome(long startNanos, String request, String xCache, String problem) {
    }

    /**
     * One request nginx cannot answer from its cache (its query is new), so it goes to a node: the subtitles
     * (tiny), a range of 240p.mp4 (one slice), the subtitles, a range across a slice boundary of big.bin (two
     * slices, so one response of two upstream requests).
     */
    static Outcome fetchOnce(String client, int i) {
        String path = List.of("/sample-title/sample.en.vtt", "/sample-title/240p.mp4", "/sample-title/sample.en.vtt",
                "/big.bin").get(i % 4);
        int from = path.equals("/big.bin") ? 1048000 : 1000;
        String range = path.endsWith(".vtt") ? null : "bytes=" + from + "-" + (from + 1999);
        byte[] object = deployment.object(path);
        byte[] expected = range == null ? object : Arrays.copyOfRange(object, from, from + 2000);
        String request = path + "?client=" + client + "&i=" + i;
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> r = range == null ? Http.get(viaNginx(request))
                    : Http.get(viaNginx(request), "Range", range);
            String problem = r.statusCode() != (range == null ? 200 : 206) ? "status " + r.statusCode()
                    : !Arrays.equals(expected, r.body()) ? "wrong bytes" : null;
            return new Outcome(start, request, Http.header(r, "X-Cache"), problem);
        } catch (RuntimeException e) {
            return new Outcome(start, request, null, e.toString());
        }
    }

    @Test
    void clientsDoNotNoticeANodeBeingStopped() throws Exception {
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean enough = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(3);
        String addressOfA = "upstream: \"http://127.0.0.1:" + deployment.node(0).address().getPort() + "/";
        long requestsOfA = deployment.requestsOf(0);
        long stoppedAt;
        try {
            for (int c = 0; c < 3; c++) {
                String client = "c" + c;
                clients.submit(() -> {
                    for (int i = 0; !enough.get(); i++) {
                        outcomes.add(fetchOnce(client, i));
                        Thread.sleep(50); // a pace, not a measurement: keeps nginx's cache of new queries small
                    }
                    return null;
                });
            }
            long started = System.nanoTime();
            await(() -> startedAfter(outcomes, started) >= 30, "30 requests before the stop");
            assertTrue(deployment.requestsOf(0) > requestsOfA, "node A had no share of the loop before its stop");
            // close(): stop accepting, let the responses in flight finish (grace), then close idle connections.
            deployment.node(0).close();
            stoppedAt = System.nanoTime();
            // nginx meets the stopped node on a kept-alive connection the node closed, or on a refused connect;
            // either takes it out for fail_timeout (10 s, max_fails=1), after which nginx tries it again, on a
            // refused connect. Both must be retried on node B (proxy_next_upstream error), so the loop runs at
            // least until a refused connect is in nginx's log.
            await(() -> deployment.nginx().errorLog().lines()
                    .anyMatch(line -> line.contains("connect() failed") && line.contains(addressOfA)),
                    "nginx trying the stopped node again after fail_timeout");
            await(() -> startedAfter(outcomes, stoppedAt) >= 60, "60 requests after the stop");
        } finally {
            enough.set(true);
            clients.shutdown();
            assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS), "the clients did not stop");
            deployment.restart(0); // on its port again, with its slices, for the other tests
        }
        List<Outcome> failed = outcomes.stream().filter(o -> o.problem() != null).toList();
        List<String> metA = deployment.nginx().errorLog().lines().filter(line -> line.contains(addressOfA)).toList();
        System.out.printf("%d client requests while node A stopped, %d failed; nginx met the stopped node:%n%s%n",
                outcomes.size(), failed.size(), String.join("\n", metA));
        assertEquals(List.of(), failed, "with one node stopped, nginx retries on the other (proxy_next_upstream)");
        // A new query is never in nginx's cache: these were answered by a node, and only node B was left.
        assertEquals(List.of("MISS"), outcomes.stream().filter(o -> o.startNanos() - stoppedAt > 0)
                .map(Outcome::xCache).distinct().toList(), "X-Cache of the requests after node A stopped");
    }

    static long startedAfter(List<Outcome> outcomes, long nanos) {
        synchronized (outcomes) {
            return outcomes.stream().filter(o -> o.startNanos() - nanos > 0).count();
        }
    }

    /** Waits until {@code condition} holds; fails after a minute, naming {@code what} it waited for. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "no " + what + " within a minute");
            Thread.sleep(20);
        }
    }
}
