package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.testing.ExternalTool;
import dev.vod.testing.Fixtures;
import dev.vod.testing.RecordingServer;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ffprobe and ffmpeg as HLS and DASH clients of packaged titles (docs/packaging.md): the three-rendition sample
 * title and each single-file sample (faststart, moov at the end, fragmented). They must see every variant and
 * representation with its codecs and size and 12 seconds of video, decode everything without one error message,
 * and seek to a segment boundary. Every request they make must succeed. Skipped when ffmpeg is not installed.
 */
@Tag("clients")
class PackagedFfmpegTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** One frame at 25 fps. */
    private static final double FRAME = 0.04;

    @TempDir
    static Path temp;

    private static RecordingServer server;
    private static Path root;
    private static Path ffmpeg;
    private static Path ffprobe;

    /**
     * A title as the tests know it.
     *
     * @param base  URL path of its title-level resources, ending in {@code /}
     * @param files its rendition files (root-relative), lowest bitrate first
     * @param sizes their pictures, WxH
     */
    private record Source(String base, List<String> files, List<String> sizes) {
        static Source of(String name) {
            if (name.equals("sample-title")) {
                return new Source("/sample-title/", List.of("sample-title/240p.mp4", "sample-title/360p.mp4",
                        "sample-title/720p.mp4"), List.of("426x240", "640x360", "1280x720"));
            }
            return new Source("/" + name + "/", List.of(name), List.of("640x360"));
        }

        /** URL path of the derived folder of rendition {@code i}: {@code T/F/}, or {@code x.mp4/} itself. */
        String rendition(int i) {
            return base.equals("/" + files.get(i) + "/") ? base : "/" + files.get(i) + "/";
        }
    }

    /** What ffprobe found of one stream: codec, picture and the time its packets cover. */
    private record Stream(int index, String codec, String size, double start, double end) {
        double seconds() {
            return end - start;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        ffmpeg = ExternalTool.find("ffmpeg");
        ffprobe = ExternalTool.find("ffprobe");
        assumeTrue(ffmpeg != null && ffprobe != null, "ffmpeg/ffprobe are not installed");
        root = Fixtures.createTitles(Fixtures.create(Files.createDirectory(temp.resolve("root"))));
        server = new RecordingServer(VodConfig.builder().root(root).build());
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

    /** Runs ffprobe or ffmpeg, which must exit 0 without printing an error. */
    private static String run(Path tool, String... args) {
        return ExternalTool.ffQuietly(TIMEOUT, tool, args);
    }

    /**
     * The video ({@code "v"}) or audio ({@code "a"}) streams of {@code input} (a URL or a local file), with the
     * span of their packets. One kind at a time: ffmpeg 5.1's DASH demuxer, asked for every stream, stops at the
     * last subtitle cue (10 s in the sample title) instead of the end.
     */
    private static List<Stream> streams(String input, String kind) {
        JsonPath json = JsonPath.from(run(ffprobe, "-select_streams", kind, "-show_entries",
                "stream=index,codec_name,width,height:packet=stream_index,pts_time,duration_time", "-of", "json",
                input));
        Map<Integer, double[]> spans = new LinkedHashMap<>();
        for (Map<String, Object> p : json.<Map<String, Object>>getList("packets")) {
            if (p.get("pts_time") == null) {
                continue;
            }
            double pts = Double.parseDouble((String) p.get("pts_time"));
            Object d = p.get("duration_time"); // the HLS demuxer leaves it out
            double end = pts + (d == null ? 0 : Double.parseDouble((String) d));
            double[] span = spans.computeIfAbsent((Integer) p.get("stream_index"), k -> new double[] {pts, end});
            span[0] = Math.min(span[0], pts);
            span[1] = Math.max(span[1], end);
        }
        List<Stream> out = new ArrayList<>();
        for (Map<String, Object> s : json.<Map<String, Object>>getList("streams")) {
            int index = (Integer) s.get("index");
            double[] span = spans.getOrDefault(index, new double[2]);
            out.add(new Stream(index, (String) s.get("codec_name"),
                    s.containsKey("width") ? s.get("width") + "x" + s.get("height") : null, span[0], span[1]));
        }
        return out;
    }

    private static double formatDuration(String input) {
        return Double.parseDouble(run(ffprobe, "-show_entries", "format=duration", "-of", "csv=p=0", input).strip());
    }

    /** The time the audio of the source file covers, measured the same way as over HTTP. */
    private static double sourceAudioSeconds(String file) {
        return streams(root.resolve(file).toString(), "a").get(0).seconds();
    }

    /** Every request the client made was answered 200, or 206 for a Range request. */
    private static void assertEveryRequestSucceeded() {
        List<RecordingServer.Exchange> exchanges = server.exchanges();
        assertFalse(exchanges.isEmpty(), "no request reached the server");
        for (RecordingServer.Exchange e : exchanges) {
            assertEquals(e.range() == null ? 200 : 206, e.status(), "answer to " + e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample-title", "sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4"})
    void ffprobeSeesEveryHlsVariantWithVideoAndAudio(String name) {
        Source source = Source.of(name);
        String master = server.url(source.base() + "master.m3u8");
        JsonPath json = JsonPath.from(run(ffprobe, "-show_entries",
                "format=duration:program=program_id:stream=codec_name,width,height", "-of", "json", master));
        List<Map<String, Object>> programs = json.getList("programs");
        assertEquals(source.files().size(), programs.size(), "one program per variant");
        for (int i = 0; i < programs.size(); i++) {
            List<Map<String, Object>> streams = json.getList("programs[" + i + "].streams");
            List<String> codecs = streams.stream().map(s -> (String) s.get("codec_name")).toList();
            assertEquals(List.of("aac", "h264"), codecs.stream().sorted().toList(), "variant " + i);
            Map<String, Object> video = streams.get(codecs.indexOf("h264"));
            assertEquals(source.sizes().get(i), video.get("width") + "x" + video.get("height"), "variant " + i);
        }
        assertEquals(12.0, Double.parseDouble(json.getString("format.duration")), FRAME);
        assertEveryRequestSucceeded();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample-title", "sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4"})
    void everyHlsMediaPlaylistCarriesTwelveSecondsOfVideoAndTheWholeSoundtrack(String name) {
        Source source = Source.of(name);
        for (int i = 0; i < source.files().size(); i++) {
            String playlist = server.url(source.rendition(i) + "index.m3u8");
            List<Stream> video = streams(playlist, "v");
            List<Stream> audio = streams(playlist, "a");
            assertEquals(List.of("h264"), video.stream().map(Stream::codec).toList(), playlist);
            assertEquals(List.of("aac"), audio.stream().map(Stream::codec).toList(), playlist);
            assertEquals(source.sizes().get(i), video.get(0).size(), playlist);
            assertEquals(12.0, video.get(0).seconds(), FRAME, "video of " + playlist);
            assertEquals(sourceAudioSeconds(source.files().get(i)), audio.get(0).seconds(), FRAME,
                    "audio of " + playlist);
        }
        assertEveryRequestSucceeded();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample-title", "sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4"})
    void ffprobeSeesEveryDashRepresentation(String name) {
        Source source = Source.of(name);
        String mpd = server.url(source.base() + "manifest.mpd");
        List<Stream> video = streams(mpd, "v");
        assertEquals(source.sizes(), video.stream().map(Stream::size).toList(), "video representations");
        for (Stream v : video) {
            assertEquals("h264", v.codec());
            assertEquals(12.0, v.seconds(), FRAME, "video representation " + v);
        }
        List<Stream> audio = streams(mpd, "a");
        assertEquals(List.of("aac"), audio.stream().map(Stream::codec).toList(), "audio representations");
        assertEquals(sourceAudioSeconds(source.files().get(0)), audio.get(0).seconds(), FRAME, "audio");
        List<Stream> text = streams(mpd, "s");
        assertEquals(name.equals("sample-title") ? List.of("webvtt") : List.of(),
                text.stream().map(Stream::codec).toList(), "subtitles");
        assertEquals(12.0, formatDuration(mpd), FRAME);
        assertEveryRequestSucceeded();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample-title", "sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4"})
    void ffmpegDecodesEveryHlsVariantAndDashRepresentationWithoutAnError(String name) {
        Source source = Source.of(name);
        for (String manifest : List.of("master.m3u8", "manifest.mpd")) {
            run(ffmpeg, "-i", server.url(source.base() + manifest), "-map", "0:v", "-map", "0:a", "-f", "null", "-");
        }
        for (int i = 0; i < source.files().size(); i++) {
            int r = i;
            assertTrue(server.exchanges().stream().anyMatch(e -> e.uri().equals(source.rendition(r) + "seg-2.m4s")),
                    "HLS variant " + i + " was not decoded to its end");
            assertTrue(server.exchanges().stream().anyMatch(
                    e -> e.uri().equals(source.rendition(r) + "video/seg-2.m4s")), "DASH representation " + i);
        }
        assertEveryRequestSucceeded();
    }

    /** The first video frame decoded after seeking {@code input}'s video stream {@code stream} to 6.1 s. */
    private static double firstFrameAfterSeek(String input, int stream) {
        // 6.1, not 6: sample-fragmented.mp4 starts at 0.08 s (a composition offset and no edit list), so its
        // second segment starts at 6.08 s and a seek to exactly 6 rightly lands in the first one.
        String out = run(ffprobe, "-read_intervals", "6.1%+0.5", "-select_streams", "v:" + stream,
                "-show_entries", "frame=pts_time", "-of", "csv=p=0", input);
        List<String> frames = out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertFalse(frames.isEmpty(), "no frame decoded after the seek in " + input);
        return Double.parseDouble(frames.get(0).replace(",", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample-title", "sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4"})
    void aDashSeekStartsAtTheSegmentBoundary(String name) {
        Source source = Source.of(name);
        for (int i = 0; i < source.files().size(); i++) {
            double first = firstFrameAfterSeek(server.url(source.base() + "manifest.mpd"), i);
            assertEquals(6.0, first, 0.1, "first frame of representation " + i + " after seeking to 6.1 s");
        }
        assertEveryRequestSucceeded();
    }

    private static Boolean ffmpegSeeksFmp4Hls;

    /**
     * Whether this ffmpeg can seek in fMP4 HLS at all: Debian's ffmpeg 5.1 cannot, not even in what its own HLS
     * muxer writes ("Invalid NAL unit size" after the seek), so there HLS seeks are left to BrowserPlaybackTest.
     */
    private static synchronized boolean ffmpegSeeksFmp4Hls() throws Exception {
        if (ffmpegSeeksFmp4Hls == null) {
            Path dir = Files.createDirectory(temp.resolve("ffmpeg-hls"));
            run(ffmpeg, "-i", root.resolve("sample.mp4").toString(), "-c", "copy", "-f", "hls", "-hls_time", "6",
                    "-hls_segment_type", "fmp4", "-hls_playlist_type", "vod", dir.resolve("index.m3u8").toString());
            ExternalTool.Result r = ExternalTool.run(TIMEOUT, ffprobe.toString(), "-v", "error", "-read_intervals",
                    "6.1%+0.5", "-select_streams", "v:0", "-show_entries", "frame=pts_time", "-of", "csv=p=0",
                    dir.resolve("index.m3u8").toString());
            ffmpegSeeksFmp4Hls = r.exitCode() == 0 && r.stderr().isEmpty() && !r.out().isBlank()
                    && Math.abs(Double.parseDouble(r.out().lines().findFirst().orElseThrow().replace(",", "")) - 6)
                    < 0.1;
        }
        return ffmpegSeeksFmp4Hls;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample-title", "sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4"})
    void anHlsSeekStartsAtTheSegmentBoundary(String name) throws Exception {
        assumeTrue(ffmpegSeeksFmp4Hls(), "this ffmpeg cannot seek in fMP4 HLS, not even in its own (ffmpeg 5.1)");
        Source source = Source.of(name);
        for (int i = 0; i < source.files().size(); i++) {
            String playlist = server.url(source.rendition(i) + "index.m3u8");
            assertEquals(6.0, firstFrameAfterSeek(playlist, 0), 0.1, "first frame after seeking " + playlist);
        }
        assertEveryRequestSucceeded();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample-title", "sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4"})
    void anIFramePlaylistDecodesToTheKeyFrameStartingEachSegment(String name) {
        Source source = Source.of(name);
        for (int i = 0; i < source.files().size(); i++) {
            String playlist = server.url(source.rendition(i) + "iframes.m3u8");
            List<String[]> frames = run(ffprobe, "-show_entries", "frame=pts_time,pict_type", "-of", "csv=p=0",
                    playlist).lines().filter(l -> !l.isBlank()).map(l -> l.split(",")).toList();
            assertEquals(2, frames.size(), "one frame per segment of " + playlist);
            for (String[] f : frames) {
                assertEquals("I", f[1], playlist);
            }
            double first = Double.parseDouble(frames.get(0)[0]);
            assertEquals(0.0, first, 0.1, playlist);
            assertEquals(first + 6, Double.parseDouble(frames.get(1)[0]), 0.01, playlist);
            run(ffmpeg, "-i", playlist, "-f", "null", "-");
        }
        assertEveryRequestSucceeded();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample-title", "sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4"})
    void theVirtualFragmentedFileIsAWholeMp4(String name) {
        Source source = Source.of(name);
        for (int i = 0; i < source.files().size(); i++) {
            String file = server.url(source.rendition(i) + "fragmented.mp4");
            List<Stream> video = streams(file, "v");
            List<Stream> audio = streams(file, "a");
            assertEquals(List.of("h264"), video.stream().map(Stream::codec).toList(), file);
            assertEquals(List.of("aac"), audio.stream().map(Stream::codec).toList(), file);
            assertEquals(source.sizes().get(i), video.get(0).size());
            assertEquals(12.0, video.get(0).seconds(), FRAME, "video of " + file);
            assertEquals(sourceAudioSeconds(source.files().get(i)), audio.get(0).seconds(), FRAME, "audio of " + file);
            assertEquals(formatDuration(root.resolve(source.files().get(i)).toString()), formatDuration(file), FRAME,
                    "duration of " + file + " vs its source");
            run(ffmpeg, "-i", file, "-map", "0", "-f", "null", "-");
            assertEquals(6.0, firstFrameAfterSeek(file, 0), 0.1, "first frame after seeking " + file);
        }
        assertEveryRequestSucceeded();
    }
}
