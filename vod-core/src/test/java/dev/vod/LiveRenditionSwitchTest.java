package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.testing.ExternalTool;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A viewer that switches renditions, as an adaptive player does: two renditions of one channel published by
 * ffmpeg, the viewer reads the first one's playlist, init and segments, then the second one's from the same point
 * in time on (by {@code EXT-X-PROGRAM-DATE-TIME}); what it got from each decodes with ffprobe at that rendition's
 * size, every frame of the segments it fetched.
 */
@Tag("clients")
class LiveRenditionSwitchTest {
    private static final Pattern SEGMENT = Pattern.compile(
            "#EXT-X-PROGRAM-DATE-TIME:(\\S+)\\s+#EXTINF:([0-9.]+),\\s+(seg-(\\d+)\\.m4s)");
    @TempDir
    static Path temp;
    private static Path ffmpeg;
    private static Path ffprobe;
    private static VodServer server;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One segment as a media playlist lists it. */
    private record Listed(Instant programDateTime, double seconds, String uri, long sequence) {
    }

    @BeforeAll
    static void start() throws Exception {
        ffmpeg = ExternalTool.find("ffmpeg");
        ffprobe = ExternalTool.find("ffprobe");
        assumeTrue(ffmpeg != null && ffprobe != null, "ffmpeg/ffprobe are not installed");
        server = VodServer.builder().root(Files.createDirectories(temp.resolve("root"))).host("127.0.0.1").port(0)
                .live(LiveSettings.open()).buildServer();
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] get(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.address().getPort() + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), path);
        return r.body();
    }

    /** The complete segments of a media playlist, oldest first. */
    private static List<Listed> segments(String rendition) throws Exception {
        String playlist = new String(get("/live/switch/" + rendition + "/index.m3u8"), StandardCharsets.UTF_8);
        List<Listed> out = new ArrayList<>();
        Matcher m = SEGMENT.matcher(playlist);
        while (m.find()) {
            out.add(new Listed(Instant.parse(m.group(1)), Double.parseDouble(m.group(2)), m.group(3),
                    Long.parseLong(m.group(4))));
        }
        return out;
    }

    /** Polls the playlist until it lists at least {@code count} complete segments. */
    private static List<Listed> awaitSegments(String rendition, int count) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Listed> listed = List.of();
        while (System.nanoTime() < end) {
            try {
                listed = segments(rendition);
            } catch (AssertionError notYet) {
                listed = List.of(); // 404 until the rendition's init segment has arrived
            }
            if (listed.size() >= count) {
                return listed;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(rendition + " listed only " + listed);
    }

    /** Init segment plus {@code segments}, as a player appends them to its buffer, written to one file. */
    private static Path fetch(String rendition, List<Listed> segments) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(get("/live/switch/" + rendition + "/init-1.mp4"));
        for (Listed s : segments) {
            out.write(get("/live/switch/" + rendition + "/" + s.uri()));
        }
        return Files.write(temp.resolve(rendition + ".mp4"), out.toByteArray());
    }

    /** ffprobe's width, height and decoded frame count of the video in {@code file}. */
    private static String probe(Path file) {
        ExternalTool.Result r = ExternalTool.ff(Duration.ofSeconds(60), ffprobe, "-v", "error", "-count_frames",
                "-select_streams", "v:0", "-show_entries", "stream=width,height,nb_read_frames", "-of", "csv=p=0",
                file.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.stderr(), "ffprobe decodes " + file.getFileName() + " without an error");
        return r.out().trim();
    }

    @Test
    void aViewerSwitchesFromOneRenditionToTheOtherAndBothDecode() throws Exception {
        try (LivePublisher hi = LivePublisher.start(ffmpeg, "http://127.0.0.1:" + server.address().getPort()
                + "/live/switch/hi", 20, 0, "640x360");
             LivePublisher lo = LivePublisher.start(ffmpeg, "http://127.0.0.1:" + server.address().getPort()
                     + "/live/switch/lo", 20, 0, "320x180")) {
            // Two segments of the first rendition...
            List<Listed> before = awaitSegments("hi", 2);
            awaitSegments("lo", 1);
            String master = new String(get("/live/switch/master.m3u8"), StandardCharsets.UTF_8);
            assertTrue(master.contains("hi/index.m3u8") && master.contains("lo/index.m3u8"), master);
            List<Listed> watched = before.subList(before.size() - 2, before.size());
            Listed last = watched.get(watched.size() - 1);
            Instant switchAt = last.programDateTime().plusMillis(Math.round(last.seconds() * 1000));

            // ...then the second one's from where the first stopped: the segments that start at or after that
            // instant (half a second of slack: the two encoders did not start at the same moment).
            List<Listed> after = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (after.size() < 2 && System.nanoTime() < end) {
                after.clear();
                for (Listed s : awaitSegments("lo", 1)) {
                    if (!s.programDateTime().isBefore(switchAt.minusMillis(500))) {
                        after.add(s);
                    }
                }
                Thread.sleep(200);
            }
            assertTrue(after.size() >= 2, "the second rendition went on past the switch: " + after);
            after = after.subList(0, 2);

            String first = probe(fetch("hi", watched));
            String second = probe(fetch("lo", after));
            assertEquals("640,360," + expectedFrames(watched), first);
            assertEquals("320,180," + expectedFrames(after), second);
        }
    }

    /**
     * Every frame of the segments: each is one GOP of the publisher's, 50 frames ({@code -g 50 -sc_threshold 0});
     * its listed duration can be a little longer, the audio's end.
     */
    private static long expectedFrames(List<Listed> segments) {
        return 50L * segments.size();
    }
}
