package dev.vod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.ContentSource.SourceException;
import dev.vod.internal.source.CacheStats;
import dev.vod.testing.Fixtures;
import dev.vod.testing.FolderSource;
import dev.vod.testing.GatedSource;
import dev.vod.testing.RawHttp;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests for store content that need no answer from the store — the catalog knows the object (and its MP4 index
 * is parsed) — are planned on the event loop, with the answer they get from the workers: sent at once when their
 * first slice is on disk, else once its first bytes are in, or answered with the store's failure as the workers
 * would. Any other goes to the workers. Either way the store is asked once, and no event loop ever waits.
 */
class WarmStoreRequestsTest {
    private static final int SLICE = 64 * 1024;

    @TempDir
    static Path temp;
    static Path root;
    static WatchedSource source;
    static VodServer server;
    static InetSocketAddress address;
    private final List<VodServer> others = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        root = Fixtures.createTitles(Fixtures.create(Files.createDirectories(temp.resolve("root"))));
        source = new WatchedSource(new FolderSource(root));
        server = VodConfig.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ZERO)
                .source(SourceSettings.of(source, SliceCacheSettings.in(temp.resolve("cache")).withSliceBytes(SLICE)
                        .withRevalidate(Duration.ofHours(1))))
                .buildServer();
        address = server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void stopOthers() {
        others.forEach(VodServer::close);
        assertEquals(List.of(), source.callsOnEventLoops, "store calls made on an event loop");
    }

    @Test
    void warmRequestsNeedNoWorkerNoStoreCallAndGetTheWorkersAnswers() throws IOException {
        String etag = RawHttp.exchange(address, "HEAD /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n").header("ETag");
        List<String> requests = List.of(
                RawHttp.get("/hello.txt"),
                "GET /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=70000-70999\r\n\r\n",
                "GET /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9,65530-65545\r\n\r\n",
                "HEAD /data.bin HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag + "\r\n\r\n",
                RawHttp.get("/sample.mp4?start=2"),
                RawHttp.get("/sample-moov-at-end.mp4"),
                RawHttp.get("/sample.mp4/index.m3u8"),
                RawHttp.get("/sample.mp4/seg-1.m4s"),
                RawHttp.get("/sample-title/"),
                RawHttp.get("/"),
                RawHttp.get("/missing.bin"),
                RawHttp.get("/confidential/secret.txt"));
        List<RawHttp.Response> cold = new ArrayList<>();
        for (String request : requests) {
            cold.add(RawHttp.exchange(address, request));
        }
        long planned = workerTasks(server);
        int storeCalls = source.calls.get();

        for (int i = 0; i < requests.size(); i++) {
            RawHttp.Response warm = RawHttp.exchange(address, requests.get(i));
            RawHttp.Response first = cold.get(i);
            String what = requests.get(i).lines().findFirst().orElseThrow();
            assertEquals(first.status(), warm.status(), what);
            for (String header : List.of("ETag", "Last-Modified", "Content-Type", "Content-Length",
                    "Content-Range")) {
                assertEquals(withoutBoundary(first, first.header(header)), withoutBoundary(warm, warm.header(header)),
                        header + " of " + what);
            }
            assertEquals(withoutBoundary(first, new String(first.body(), StandardCharsets.ISO_8859_1)),
                    withoutBoundary(warm, new String(warm.body(), StandardCharsets.ISO_8859_1)), what);
        }
        assertEquals(planned, workerTasks(server), "warm requests planned on the workers");
        assertEquals(storeCalls, source.calls.get(), "store calls for warm requests");
        assertEquals(200, cold.get(0).status());
        assertEquals(206, cold.get(1).status());
        assertEquals(304, cold.get(4).status());
        assertEquals(404, cold.get(11).status());
    }

    @Test
    void aKnownObjectWhoseSliceIsNotOnDiskIsFetchedOnceWithoutAWorker() throws IOException {
        byte[] bytes = new byte[2 * SLICE];
        new Random(5).nextBytes(bytes);
        Files.write(root.resolve("cold.bin"), bytes);
        assertEquals(200, RawHttp.exchange(address, "HEAD /cold.bin HTTP/1.1\r\nHost: x\r\n\r\n").status());
        long planned = workerTasks(server);
        int reads = source.reads.get();
        CacheStats before = server.remoteContent().cache().stats();

        String range = "GET /cold.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=100-199\r\n\r\n";
        RawHttp.Response first = RawHttp.exchange(address, range);
        assertEquals(206, first.status());
        assertArrayEquals(Arrays.copyOfRange(bytes, 100, 200), first.body());
        assertEquals(planned, workerTasks(server), "the catalog knew it: planned on the event loop, sent when in");
        assertEquals(reads + 1, source.reads.get());
        CacheStats after = server.remoteContent().cache().stats();
        assertEquals(before.misses() + 1, after.misses());
        assertEquals(before.hits(), after.hits());

        assertArrayEquals(Arrays.copyOfRange(bytes, 100, 200), RawHttp.exchange(address, range).body());
        assertEquals(planned, workerTasks(server), "now on disk: answered on the event loop at once");
        assertEquals(before.hits() + 1, server.remoteContent().cache().stats().hits());
        assertEquals(reads + 1, source.reads.get());
    }

    @Test
    void aCatalogEntryPastItsRevalidationIntervalIsRenewedByTheWorkers() throws Exception {
        VodServer shortLived = VodConfig.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ZERO)
                .source(SourceSettings.of(source, SliceCacheSettings.in(temp.resolve("short")).withSliceBytes(SLICE)
                        .withRevalidate(Duration.ofMillis(300))))
                .buildServer();
        others.add(shortLived);
        InetSocketAddress at = shortLived.start();
        assertEquals(Fixtures.HELLO, RawHttp.exchange(at, RawHttp.get("/hello.txt")).bodyText());
        long planned = workerTasks(shortLived);
        int stats = source.stats.get();
        assertEquals(Fixtures.HELLO, RawHttp.exchange(at, RawHttp.get("/hello.txt")).bodyText());
        assertEquals(planned, workerTasks(shortLived), "fresh: on the event loop");

        Thread.sleep(400);
        assertEquals(Fixtures.HELLO, RawHttp.exchange(at, RawHttp.get("/hello.txt")).bodyText());
        assertEquals(planned + 1, workerTasks(shortLived), "stale: the workers ask the store again");
        assertEquals(stats + 1, source.stats.get());
    }

    @Test
    void aRequestWhoseSliceIsStillArrivingNeverHoldsUpAnEventLoop() throws Exception {
        byte[] object = new byte[1 << 20];
        new Random(9).nextBytes(object);
        Path gatedRoot = Files.createDirectories(temp.resolve("gated-root"));
        Files.write(gatedRoot.resolve("gated.bin"), object);
        Files.writeString(gatedRoot.resolve("hello.txt"), Fixtures.HELLO);
        CountDownLatch gate = new CountDownLatch(1);
        WatchedSource gated = new WatchedSource(new GatedSource(new FolderSource(gatedRoot), 200_000, gate));
        VodServer slow = VodConfig.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ZERO)
                .source(SourceSettings.of(gated, SliceCacheSettings.in(temp.resolve("gated-cache"))
                        .withRevalidate(Duration.ofHours(1))))
                .buildServer();
        others.add(slow);
        InetSocketAddress at = slow.start();
        try {
            RawHttp.exchange(at, RawHttp.get("/hello.txt"));
            assertEquals(200, RawHttp.exchange(at, "HEAD /gated.bin HTTP/1.1\r\nHost: x\r\n\r\n").status());
            long planned = workerTasks(slow);
            long hits = slow.remoteContent().cache().stats().hits();
            // Bytes past the 200,000 the store gives before the gate: whoever plans these must wait for them.
            String range = "GET /gated.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=500000-500099\r\n\r\n";
            RawHttp missing = new RawHttp(at).send(range); // the slice is not on disk: its fetch starts
            awaitCondition(() -> slow.remoteContent().cache().stats().fetching() == 1);
            RawHttp arriving = new RawHttp(at).send(range); // the slice is arriving: joins the fetch
            // Neither head may go before its bytes are in: the store could still fail to give them.
            missing.socket().setSoTimeout(300);
            org.junit.jupiter.api.Assertions.assertThrows(java.net.SocketTimeoutException.class, missing::read);
            missing.socket().setSoTimeout(10_000);
            awaitCondition(() -> slow.remoteContent().cache().stats().hits() == hits + 1);

            // Connections go round the event loops in turn: two per loop, so some share each waiting one's.
            long started = System.nanoTime();
            for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
                assertEquals(Fixtures.HELLO, RawHttp.exchange(at, RawHttp.get("/hello.txt")).bodyText());
            }
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(3).toNanos(), "an event loop was held up");
            assertEquals(planned, ((ThreadPoolExecutor) slow.remoteContent().workers()).getTaskCount(),
                    "both wait for their bytes on their event loops, without holding them up");

            gate.countDown();
            for (RawHttp waiting : List.of(missing, arriving)) {
                RawHttp.Response response = waiting.read();
                assertEquals(206, response.status());
                assertArrayEquals(Arrays.copyOfRange(object, 500_000, 500_100), response.body());
                waiting.close();
            }
            assertEquals(List.of("gated.bin"), gated.readKeys.stream().filter("gated.bin"::equals).toList(),
                    "one fetch for both");
            assertEquals(List.of(), gated.callsOnEventLoops, "store calls made on an event loop");
        } finally {
            gate.countDown();
        }
    }

    @ParameterizedTest
    @CsvSource({"UNAVAILABLE, 502", "TIMEOUT, 504", "CHANGED, 503"})
    void aStoreThatFailsBeforeTheFirstByteIsAnsweredWithAStatus(SourceException.Kind kind, int status)
            throws IOException {
        Path failingRoot = Files.createDirectories(temp.resolve("failing-root-" + kind));
        byte[] bytes = new byte[2 * SLICE];
        new Random(6).nextBytes(bytes);
        Files.write(failingRoot.resolve("film.bin"), bytes);
        WatchedSource failing = new WatchedSource(new FolderSource(failingRoot));
        VodServer node = VodConfig.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ZERO)
                .source(SourceSettings.of(failing, SliceCacheSettings.in(temp.resolve("failing-" + kind))
                        .withSliceBytes(SLICE).withRevalidate(Duration.ofHours(1))))
                .buildServer();
        others.add(node);
        InetSocketAddress at = node.start();
        assertEquals(200, RawHttp.exchange(at, "HEAD /film.bin HTTP/1.1\r\nHost: x\r\n\r\n").status());
        long planned = workerTasks(node);
        int stats = failing.stats.get();

        failing.failReadsWith = kind;
        String range = "GET /film.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=100-199\r\n\r\n";
        RawHttp.Response failed = RawHttp.exchange(at, range);
        assertEquals(status, failed.status(), failed.bodyText());
        assertTrue(failed.bodyText().startsWith(status + " "), failed.bodyText());
        assertEquals(planned, workerTasks(node), "planned and answered on the event loop");

        failing.failReadsWith = null;
        RawHttp.Response next = RawHttp.exchange(at, range);
        assertEquals(206, next.status());
        assertArrayEquals(Arrays.copyOfRange(bytes, 100, 200), next.body());
        assertEquals(kind == SourceException.Kind.CHANGED ? stats + 1 : stats, failing.stats.get(),
                "a changed object is looked up again, else the catalog still knows it");
    }

    /** {@code text} with the response's multipart boundary (random per response) replaced by a fixed one. */
    private static String withoutBoundary(RawHttp.Response response, String text) {
        String type = response.header("Content-Type");
        int at = type == null ? -1 : type.indexOf("boundary=");
        return at < 0 || text == null ? text : text.replace(type.substring(at + "boundary=".length()), "BOUNDARY");
    }

    /** Tasks the server's workers were ever given, once they are idle (the count is exact only then). */
    private static long workerTasks(VodServer server) {
        ThreadPoolExecutor workers = (ThreadPoolExecutor) server.remoteContent().workers();
        awaitCondition(() -> workers.getActiveCount() == 0);
        return workers.getTaskCount();
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Counts the store calls, and names those made on an event loop (there must be none). */
    private static final class WatchedSource implements ContentSource {
        private final ContentSource inner;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger stats = new AtomicInteger();
        final AtomicInteger reads = new AtomicInteger();
        final List<String> readKeys = new CopyOnWriteArrayList<>();
        final List<String> callsOnEventLoops = new CopyOnWriteArrayList<>();
        /** When set, every read fails at once with this kind, as a store that cannot give the bytes. */
        volatile SourceException.Kind failReadsWith;

        WatchedSource(ContentSource inner) {
            this.inner = inner;
        }

        private void called(String what) {
            calls.incrementAndGet();
            if (Thread.currentThread() instanceof FastThreadLocalThread) {
                callsOnEventLoops.add(what + " on " + Thread.currentThread().getName());
            }
        }

        @Override
        public Optional<ObjectInfo> stat(String key) throws IOException {
            called("stat " + key);
            stats.incrementAndGet();
            return inner.stat(key);
        }

        @Override
        public Listing list(String folder, int limit) throws IOException {
            called("list " + folder);
            return inner.list(folder, limit);
        }

        @Override
        public InputStream read(String key, String etag, long offset, long length) throws IOException {
            called("read " + key);
            reads.incrementAndGet();
            readKeys.add(key);
            SourceException.Kind failure = failReadsWith;
            if (failure != null) {
                throw new SourceException(failure, "failing on purpose: " + key);
            }
            return inner.read(key, etag, offset, length);
        }

        @Override
        public void check() throws IOException {
            called("check");
            inner.check();
        }

        @Override
        public String describe() {
            return "watched " + inner.describe();
        }
    }
}
