package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.testing.ExternalTool;
import dev.vod.testing.RawHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live channels with ffmpeg as the publisher and ffmpeg, ffprobe and plain HTTP as viewers: publish, watch the
 * live playlist and the continuous MP4, decode them, latency at the live edge, two renditions, the streamer lock,
 * tokens, garbage, a publisher that dies and one that takes over, Low-Latency HLS parts and blocking reload,
 * linger, recording.
 */
@Tag("clients")
class LiveChannelsTest {
    private static final String TOKEN = "s3cret-token";
    @TempDir
    static Path temp;
    private static Path ffmpeg;
    private static Path ffprobe;
    private static VodServer server;
    private static Path recordings;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        ffmpeg = ExternalTool.find("ffmpeg");
        ffprobe = ExternalTool.find("ffprobe");
        assumeTrue(ffmpeg != null && ffprobe != null, "ffmpeg/ffprobe are not installed");
        Path root = Files.createDirectories(temp.resolve("root"));
        recordings = root.resolve("recordings");
        server = VodServer.builder().root(root).host("127.0.0.1").port(0)
                .live(LiveSettings.withToken(TOKEN).withLinger(Duration.ofSeconds(3)).withRecordDir(recordings))
                .buildServer();
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + server.address().getPort();
    }

    private static String publishUrl(String path) {
        return base() + "/live/" + path + "?token=" + TOKEN;
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> getBytes(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Waits until {@code path} answers 200 with a body matching {@code pattern}; returns the body. */
    static String waitFor(String path, String pattern, Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        Pattern p = Pattern.compile(pattern, Pattern.DOTALL);
        String last = null;
        while (System.nanoTime() < end) {
            HttpResponse<String> r = get(path);
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200 && p.matcher(r.body()).find()) {
                return r.body();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " never matched " + pattern + "; last: " + last);
    }

    private static ExternalTool.Result run(Path tool, String... args) {
        return ExternalTool.ff(Duration.ofSeconds(60), tool, args);
    }

    @Test
    void aPublishIsWatchedAsLiveHlsAndAsAContinuousMp4() throws Exception {
        try (LivePublisher publisher = LivePublisher.start(ffmpeg, publishUrl("cam"), 16, 0, "640x360")) {
            String master = waitFor("/live/cam/master.m3u8", "main/index.m3u8", Duration.ofSeconds(10));
            assertTrue(master.contains("CODECS=\"avc1.") && master.contains("mp4a.40.2"), master);
            assertTrue(master.contains("RESOLUTION=640x360"), master);
            String media = waitFor("/live/cam/main/index.m3u8", "seg-2\\.m4s", Duration.ofSeconds(10));
            assertTrue(media.contains("#EXT-X-MAP:URI=\"init-1.mp4\""), media);
            assertTrue(media.contains("#EXT-X-PROGRAM-DATE-TIME:"), media);
            assertFalse(media.contains("#EXT-X-ENDLIST"), media);

            ExternalTool.Result probe = run(ffprobe, "-show_entries", "stream=codec_name,width,height",
                    "-of", "csv=p=0", base() + "/live/cam/master.m3u8");
            assertEquals(0, probe.exitCode(), probe.toString());
            assertTrue(probe.out().contains("h264,640,360") && probe.out().contains("aac"), probe.out());
            ExternalTool.Result hls = run(ffmpeg, "-i", base() + "/live/cam/master.m3u8", "-t", "3", "-f", "null", "-");
            assertEquals(0, hls.exitCode(), hls.toString());
            assertEquals("", hls.stderr(), "ffmpeg decodes the live HLS without an error");
            ExternalTool.Result mp4 = run(ffmpeg, "-i", base() + "/live/cam.mp4", "-t", "3", "-f", "null", "-");
            assertEquals(0, mp4.exitCode(), mp4.toString());
            assertEquals("", mp4.stderr(), "ffmpeg decodes the continuous MP4 without an error");

            String stats = get("/live/cam/stats.json").body();
            assertTrue(stats.matches(".*\"viewers\":[1-9].*"), stats);
            assertTrue(stats.contains("\"fps\":25.00") || stats.contains("\"fps\":24.") , stats);
            String status = get("/live/cam/stats.json").body();
            assertTrue(status.contains("\"live\":true"), status);
            assertEquals(0, publisher.await(30), "the publisher finished cleanly: " + publisher.output());
        }
        String ended = waitFor("/live/cam/main/index.m3u8", "#EXT-X-ENDLIST", Duration.ofSeconds(5));
        assertTrue(ended.contains("seg-"), ended);
    }

    /** The newest segment a viewer can fetch is at most its own duration plus a second behind the wall clock. */
    @Test
    void theLiveEdgeIsWithinASegmentAndASecondOfTheWallClock() throws Exception {
        try (LivePublisher publisher = LivePublisher.start(ffmpeg, publishUrl("edge"), 14, 0, "320x180")) {
            waitFor("/live/edge/main/index.m3u8", "seg-0\\.m4s", Duration.ofSeconds(10));
            Pattern segment = Pattern.compile("#EXT-X-PROGRAM-DATE-TIME:(\\S+)\n#EXTINF:([0-9.]+),\nseg-(\\d+)\\.m4s");
            long lastSeen = -1;
            int measured = 0;
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < end) {
                String media = get("/live/edge/main/index.m3u8").body();
                long now = System.currentTimeMillis();
                Matcher m = segment.matcher(media);
                long newest = -1;
                double seconds = 0;
                Instant pdt = null;
                while (m.find()) {
                    newest = Long.parseLong(m.group(3));
                    pdt = Instant.parse(m.group(1));
                    seconds = Double.parseDouble(m.group(2));
                }
                if (newest > lastSeen && lastSeen >= 0) {
                    double behind = (now - pdt.toEpochMilli()) / 1000.0;
                    assertTrue(behind <= seconds + 1, "segment " + newest + " is " + behind + " s behind");
                    measured++;
                }
                lastSeen = Math.max(lastSeen, newest);
                Thread.sleep(50);
            }
            assertTrue(measured >= 2, "new segments seen: " + measured);
        }
    }

    @Test
    void twoRenditionsAreListedAndEachPlays() throws Exception {
        try (LivePublisher hi = LivePublisher.start(ffmpeg, publishUrl("duo/720p"), 12, 0, "1280x720");
             LivePublisher lo = LivePublisher.start(ffmpeg, publishUrl("duo/360p"), 12, 0, "640x360")) {
            String master = waitFor("/live/duo/master.m3u8", "720p/index.m3u8.*|360p/index.m3u8",
                    Duration.ofSeconds(10));
            master = waitFor("/live/duo/master.m3u8", "(?s)(?=.*720p/index.m3u8)(?=.*360p/index.m3u8)",
                    Duration.ofSeconds(10));
            assertTrue(master.contains("RESOLUTION=1280x720") && master.contains("RESOLUTION=640x360"), master);
            for (String r : new String[] {"720p", "360p"}) {
                waitFor("/live/duo/" + r + "/index.m3u8", "seg-1\\.m4s", Duration.ofSeconds(10));
                // A viewer switching renditions fetches the other's init and a segment: both there.
                assertEquals(200, getBytes("/live/duo/" + r + "/init-1.mp4").statusCode());
                HttpResponse<byte[]> seg = getBytes("/live/duo/" + r + "/seg-1.m4s");
                assertEquals(200, seg.statusCode());
                assertEquals("moof", new String(seg.body(), 4, 4, java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void theStreamerLockTokensAndBadInput() throws Exception {
        try (LivePublisher first = LivePublisher.start(ffmpeg, publishUrl("lock"), 10, 0, "320x180")) {
            waitFor("/live/lock/main/index.m3u8", "seg-0", Duration.ofSeconds(10));
            HttpResponse<String> second = put("/live/lock?token=" + TOKEN, new byte[100], null);
            assertEquals(409, second.statusCode(), second.body());
        }
        assertEquals(401, put("/live/other", new byte[100], null).statusCode(), "no token");
        assertEquals(401, put("/live/other?token=wrong", new byte[100], null).statusCode(), "a wrong token");
        assertEquals(401, put("/live/other", new byte[100], "Bearer wrong").statusCode());
        byte[] random = new byte[5000];
        new java.util.Random(1).nextBytes(random);
        assertEquals(415, put("/live/other?token=" + TOKEN, random, null).statusCode(), "not MP4");
        HttpResponse<String> progressive = put("/live/other", Files.readAllBytes(
                dev.vod.testing.Fixtures.repoContent().resolve("sample.mp4")), "Bearer " + TOKEN);
        assertEquals(415, progressive.statusCode(), "a progressive MP4 is not a live stream");
        assertTrue(progressive.body().contains("fragmented"), progressive.body());
        assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(base() + "/live/other/master.m3u8"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(404, get("/live/nobody/master.m3u8").statusCode());
    }

    private static HttpResponse<String> put(String path, byte[] body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPublisherThatDiesEndsTheChannelAndANewOneResumesIt() throws Exception {
        try (LivePublisher first = LivePublisher.start(ffmpeg, publishUrl("phoenix"), 30, 0, "320x180")) {
            waitFor("/live/phoenix/main/index.m3u8", "seg-1\\.m4s", Duration.ofSeconds(10));
            first.kill();
        }
        waitFor("/live/phoenix/main/index.m3u8", "#EXT-X-ENDLIST", Duration.ofSeconds(5));
        try (LivePublisher second = LivePublisher.start(ffmpeg, publishUrl("phoenix"), 8, 0, "320x180")) {
            String resumed = waitFor("/live/phoenix/main/index.m3u8", "#EXT-X-DISCONTINUITY\n.*init-2\\.mp4",
                    Duration.ofSeconds(10));
            assertFalse(resumed.contains("#EXT-X-ENDLIST"), "live again: " + resumed);
            assertEquals(0, second.await(20));
        }
        // Ended, then gone after the linger (3 s here).
        waitFor("/live/phoenix/main/index.m3u8", "#EXT-X-ENDLIST", Duration.ofSeconds(5));
        long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        int status = 200;
        while (status == 200 && System.nanoTime() < end) {
            Thread.sleep(200);
            status = get("/live/phoenix/main/index.m3u8").statusCode();
        }
        assertEquals(404, status, "gone after lingering");
    }

    @Test
    void shortFragmentsBecomeLowLatencyPartsWithBlockingReload() throws Exception {
        try (LivePublisher publisher = LivePublisher.start(ffmpeg, publishUrl("ll"), 12, 500_000, "320x180")) {
            String media = waitFor("/live/ll/main/index.m3u8", "seg-1\\.m4s", Duration.ofSeconds(10));
            assertTrue(media.contains("#EXT-X-PART-INF:PART-TARGET="), media);
            assertTrue(media.contains("CAN-BLOCK-RELOAD=YES"), media);
            assertTrue(Pattern.compile("#EXT-X-PART:DURATION=0\\.5\\d*,URI=\"seg-\\d+\\.0\\.m4s\",INDEPENDENT=YES")
                    .matcher(media).find(), media);
            Matcher last = Pattern.compile("seg-(\\d+)\\.m4s\n(?!.*seg-\\d+\\.m4s\n)", Pattern.DOTALL).matcher(media);
            assertTrue(last.find(), media);
            long next = Long.parseLong(last.group(1)) + 1;
            long started = System.nanoTime();
            String blocked = get("/live/ll/main/index.m3u8?_HLS_msn=" + next + "&_HLS_part=0").body();
            double waited = (System.nanoTime() - started) / 1e9;
            assertTrue(blocked.contains("URI=\"seg-" + next + ".0.m4s\""), "the awaited part: " + blocked);
            assertTrue(waited < 6, "answered once the part existed: " + waited);
            HttpResponse<byte[]> part = getBytes("/live/ll/main/seg-" + next + ".0.m4s");
            assertEquals(200, part.statusCode());
            assertEquals(400, get("/live/ll/main/index.m3u8?_HLS_msn=" + (next + 100)).statusCode());
            ExternalTool.Result hls = run(ffmpeg, "-i", base() + "/live/ll/master.m3u8", "-t", "3", "-f", "null", "-");
            assertEquals(0, hls.exitCode(), hls.toString());
        }
    }

    @Test
    void wholeGopPlaylistsAlsoBlockUntilTheNextSegment() throws Exception {
        try (LivePublisher publisher = LivePublisher.start(ffmpeg, publishUrl("blocking"), 12, 0, "320x180")) {
            String media = waitFor("/live/blocking/main/index.m3u8", "seg-1\\.m4s", Duration.ofSeconds(10));
            assertTrue(media.contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES\n"), media);
            assertFalse(media.contains("#EXT-X-PART"), "no parts without short fragments: " + media);
            Matcher last = Pattern.compile("seg-(\\d+)\\.m4s\n(?!.*seg-\\d+\\.m4s\n)", Pattern.DOTALL).matcher(media);
            assertTrue(last.find(), media);
            long next = Long.parseLong(last.group(1)) + 1;
            HttpResponse<String> blocked = get("/live/blocking/main/index.m3u8?_HLS_msn=" + next);
            assertEquals(200, blocked.statusCode());
            assertTrue(blocked.body().contains("seg-" + next + ".m4s\n"), "held until it existed: " + blocked.body());
            assertEquals(200, getBytes("/live/blocking/main/seg-" + next + ".m4s").statusCode());
            assertEquals(400, get("/live/blocking/main/index.m3u8?_HLS_msn=" + (next + 3)).statusCode(),
                    "more than two segments ahead of the live edge");
            for (String bad : new String[] {"_HLS_msn=abc", "_HLS_msn=-1", "_HLS_part=0", "_HLS_msn=1&_HLS_part=x"}) {
                HttpResponse<String> refused = get("/live/blocking/main/index.m3u8?" + bad);
                assertEquals(400, refused.statusCode(), bad);
                assertTrue(refused.body().startsWith("400 Bad Request: _HLS_"), bad + ": " + refused.body());
            }
        }
    }

    @Test
    void pipelinedLiveAndFileRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        Files.writeString(temp.resolve("root").resolve("note.txt"), "a file among live answers\n");
        try (LivePublisher publisher = LivePublisher.start(ffmpeg, publishUrl("piped"), 10, 0, "320x180")) {
            waitFor("/live/piped/main/index.m3u8", "seg-1\\.m4s", Duration.ofSeconds(10));
            long segmentLength = getBytes("/live/piped/main/seg-0.m4s").body().length;
            try (RawHttp raw = new RawHttp(server.address())) {
                raw.send(RawHttp.get("/live/piped/main/index.m3u8")
                        + "HEAD /live/piped/main/seg-0.m4s HTTP/1.1\r\nHost: x\r\n\r\n"
                        + RawHttp.get("/note.txt")
                        + RawHttp.get("/live/piped/main/seg-0.m4s")
                        + RawHttp.get("/live/piped/main/seg-999.m4s")
                        + RawHttp.get("/note.txt"));
                RawHttp.Response playlist = raw.read();
                assertEquals(200, playlist.status());
                assertTrue(playlist.bodyText().startsWith("#EXTM3U\n"), playlist.bodyText());
                assertEquals("application/vnd.apple.mpegurl", playlist.header("content-type"));
                RawHttp.Response head = raw.read(true);
                assertEquals(200, head.status());
                assertEquals(String.valueOf(segmentLength), head.header("content-length"));
                assertEquals(0, head.body().length, "a HEAD has no body");
                RawHttp.Response file = raw.read();
                assertEquals("a file among live answers\n", file.bodyText());
                RawHttp.Response segment = raw.read();
                assertEquals(200, segment.status());
                assertEquals(segmentLength, segment.body().length);
                assertEquals("max-age=60", segment.header("cache-control"));
                assertEquals(404, raw.read().status(), "a segment not in the window");
                assertEquals("a file among live answers\n", raw.read().bodyText(), "still in order after the 404");
            }
        }
    }

    @Test
    void aPublishIsRecordedAsAnOrdinaryVodFile() throws Exception {
        try (LivePublisher publisher = LivePublisher.start(ffmpeg, publishUrl("rec"), 6, 0, "320x180")) {
            assertEquals(0, publisher.await(30));
        }
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Path file = null;
        while (file == null && System.nanoTime() < end) {
            try (var files = Files.list(recordings)) {
                file = files.filter(p -> p.getFileName().toString().matches("rec-\\d{8}-\\d{6}\\.mp4")).findFirst()
                        .orElse(null);
            } catch (java.nio.file.NoSuchFileException e) {
                // not created yet
            }
            Thread.sleep(100);
        }
        assertTrue(file != null, "a recording named rec-DATE-TIME.mp4");
        ExternalTool.Result probe = run(ffprobe, "-show_entries", "format=duration", "-of", "csv=p=0",
                file.toString());
        double seconds = Double.parseDouble(probe.out().trim());
        assertTrue(seconds > 5 && seconds < 7, "six seconds recorded: " + seconds);
        String url = "/recordings/" + file.getFileName();
        assertEquals(200, getBytes(url).statusCode(), "served as a file");
        ExternalTool.Result seek = run(ffmpeg, "-i", base() + url + "?start=2", "-f", "null", "-");
        assertEquals(0, seek.exitCode(), "a time seek into the recording: " + seek);
    }
}
