package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.testing.ExternalTool;
import dev.vod.testing.Fixtures;
import dev.vod.testing.RecordingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ffprobe and ffmpeg reading the samples over HTTP, as separate processes: they must see the right duration and
 * streams, and seek into the middle (which they do with Range requests) without a single error message.
 * Skipped when ffmpeg is not installed.
 */
@Tag("clients")
class FfmpegClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path temp;

    private static RecordingServer server;
    private static Path ffmpeg;
    private static Path ffprobe;

    @BeforeAll
    static void start() throws Exception {
        ffmpeg = ExternalTool.find("ffmpeg");
        ffprobe = ExternalTool.find("ffprobe");
        assumeTrue(ffmpeg != null && ffprobe != null, "ffmpeg/ffprobe are not installed");
        server = new RecordingServer(VodConfig.builder().root(Fixtures.create(temp)).build());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void forgetEarlierRequests() {
        server.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4"})
    void ffprobeReadsDurationAndBothStreams(String name) {
        ExternalTool.Result r = ExternalTool.run(TIMEOUT, ffprobe.toString(), "-v", "error",
                "-show_entries", "format=duration:stream=codec_name", "-of", "csv=p=0", server.url("/" + name));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.stderr(), "ffprobe complained");
        List<String> lines = r.out().lines().map(String::strip).toList();
        assertTrue(lines.contains("h264"), "streams: " + lines);
        assertTrue(lines.contains("aac"), "streams: " + lines);
        double duration = Double.parseDouble(lines.get(lines.size() - 1));
        assertEquals(12.0, duration, 0.2, "duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample.mp4", "sample-moov-at-end.mp4", "sample.webm"})
    void ffmpegSeeksIntoTheMiddleWithoutErrors(String name) {
        ExternalTool.Result r = ExternalTool.run(TIMEOUT, ffmpeg.toString(), "-nostdin", "-v", "error",
                "-ss", "6", "-i", server.url("/" + name), "-t", "1", "-f", "null", "-");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.stderr(), "ffmpeg complained");
        List<RecordingServer.Exchange> requests = server.exchangesFor("/" + name);
        assertFalse(requests.isEmpty(), "ffmpeg never asked for /" + name);
        for (RecordingServer.Exchange e : requests) {
            assertEquals(e.range() == null ? 200 : 206, e.status(), "answer to " + e);
        }
        if (name.equals("sample-moov-at-end.mp4")) {
            // The index is at the end: ffmpeg has to jump there with a Range request before it can seek.
            assertTrue(requests.stream().anyMatch(e -> e.range() != null && !e.range().startsWith("bytes=0-")),
                    "no Range request past the start: " + requests);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample.mp4", "sample.webm"})
    void ffmpegCopiesTheWholeFileIntoAValidContainer(String name) {
        Path out = temp.resolve("copy-" + name);
        ExternalTool.Result r = ExternalTool.run(TIMEOUT, ffmpeg.toString(), "-nostdin", "-v", "error", "-y",
                "-i", server.url("/" + name), "-c", "copy", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.stderr(), "ffmpeg complained");
        assertTrue(Files.exists(out));
        ExternalTool.Result probe = ExternalTool.run(TIMEOUT, ffprobe.toString(), "-v", "error",
                "-show_entries", "format=duration", "-of", "csv=p=0", out.toString());
        assertEquals(12.0, Double.parseDouble(probe.out().strip()), 0.2, "duration of the copy");
    }
}
