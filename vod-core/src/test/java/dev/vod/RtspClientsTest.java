package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.testing.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real RTSP clients against the RTSP server: ffprobe and ffmpeg over UDP and TCP-interleaved transport (codecs,
 * pictures, five seconds decoded without one error message, seeks, a whole file played to the server's BYE),
 * GStreamer's rtspsrc and VLC played to the end. Nothing is mocked; every client is the Debian binary. Skipped
 * (test by test) when a client is not installed.
 */
@Tag("clients")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RtspClientsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path temp;
    private static VodServer server;
    private static Path root;
    private static Path ffmpeg;
    private static Path ffprobe;

    /**
     * A file as the tests know it: video codec and picture, frame rate, seconds, and whether it has AAC audio
     * (44.1 kHz, 1024 samples a frame).
     */
    private record Media(String name, String codec, String size, int fps, double seconds, boolean audio) {
        static Media of(String name) {
            return switch (name) {
                case "sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4" ->
                        new Media(name, "h264", "640x360", 25, 12, true);
                // hevc.mp4's size and length as ffprobe reads the local file: 160x90, 100 frames, 4 s, with AAC
                case "hevc.mp4" -> new Media(name, "hevc", "160x90", 25, 4, true);
                case "sample.mjpeg" -> new Media(name, "mjpeg", "320x240", 24, 6, false);
                default -> throw new IllegalArgumentException(name);
            };
        }
    }

    private static final List<String> FILES =
            List.of("sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4", "hevc.mp4", "sample.mjpeg");

    static Stream<Arguments> filesAndTransports() {
        return FILES.stream().flatMap(f -> Stream.of(Arguments.of(f, "udp"), Arguments.of(f, "tcp")));
    }

    @BeforeAll
    static void start() throws Exception {
        ffmpeg = ExternalTool.find("ffmpeg");
        ffprobe = ExternalTool.find("ffprobe");
        root = RtspFixture.createRoot(temp.resolve("root"));
        server = RtspFixture.start(root, RtspSettings.OFF.withRtpPorts(44000, 44999));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String url(String name) {
        return RtspFixture.url(server, name);
    }

    private static void assumeFfmpeg() {
        assumeTrue(ffmpeg != null && ffprobe != null, "ffmpeg/ffprobe are not installed");
    }

    /** Runs ffprobe or ffmpeg at {@code -v error}, which must exit 0 without printing anything on stderr. */
    private static String quiet(Path tool, String... args) {
        return ExternalTool.ffQuietly(TIMEOUT, tool, args);
    }

    /** What a client run did, with the most sessions the server had open while it ran and how long it took. */
    private record Watched(ExternalTool.Result result, int maxSessions, Duration took) {
    }

    /** Waits (up to 3 s) for earlier clients' sessions to be gone. */
    private static int settledSessions() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (RtspFixture.sessions(server) != 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return RtspFixture.sessions(server);
    }

    /** Runs {@code command} while sampling the server's open sessions every 50 ms. */
    private static Watched watch(List<String> command) throws Exception {
        assertEquals(0, settledSessions(), "sessions left open by earlier clients");
        AtomicInteger max = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                max.accumulateAndGet(RtspFixture.sessions(server), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long started = System.nanoTime();
        try {
            ExternalTool.Result r = ExternalTool.run(TIMEOUT, command);
            return new Watched(r, max.get(), Duration.ofNanos(System.nanoTime() - started));
        } finally {
            done.set(true);
            sampler.join();
        }
    }

    /** Frames of stream {@code index} in {@code -f framecrc} output: lines {@code index, dts, pts, ...}. */
    private static long frames(String framecrc, int index) {
        return framecrc.lines().filter(l -> l.startsWith(index + ",")).count();
    }

    // 1. ffprobe

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("filesAndTransports")
    @Order(1)
    void ffprobeSeesTheCodecsAndPictureOverBothTransports(String name, String transport) {
        assumeFfmpeg();
        Media media = Media.of(name);
        String local = quiet(ffprobe, "-show_entries", "stream=codec_name,width,height,sample_rate", "-of", "csv=p=0",
                root.resolve(name).toString());
        String remote = quiet(ffprobe, "-rtsp_transport", transport, "-show_entries",
                "stream=codec_name,width,height,sample_rate", "-of", "csv=p=0", url(name));
        List<String> expected = new ArrayList<>(List.of(media.codec() + "," + media.size().replace('x', ',')));
        if (media.audio()) {
            expected.add("aac,44100");
        }
        assertEquals(expected, remote.lines().map(String::strip).filter(l -> !l.isEmpty()).toList(), url(name));
        assertEquals(expected, local.lines().map(String::strip).filter(l -> !l.isEmpty()).toList(),
                "the local file itself");
    }

    // 2. ffmpeg decodes five seconds

    @ParameterizedTest
    @ValueSource(strings = {"sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4", "hevc.mp4",
        "sample.mjpeg"})
    @Order(2)
    void ffmpegDecodesFiveSecondsOverBothTransportsWithoutAnError(String name) {
        assumeFfmpeg();
        Media media = Media.of(name);
        // Both transports at once: the server paces in real time, so five seconds each would add up.
        List<CompletableFuture<String>> runs = new ArrayList<>();
        for (String transport : List.of("udp", "tcp")) {
            runs.add(CompletableFuture.supplyAsync(() -> quiet(ffmpeg, "-rtsp_transport", transport, "-i", url(name),
                    "-t", "5", "-f", "framecrc", "-"), runnable -> new Thread(runnable).start()));
        }
        double seconds = Math.min(5, media.seconds());
        for (int i = 0; i < 2; i++) {
            String transport = i == 0 ? "udp" : "tcp";
            String out = runs.get(i).join();
            long video = frames(out, 0);
            long expected = Math.round(seconds * media.fps());
            assertTrue(video >= expected - 3 && video <= expected, name + " over " + transport + ": " + video
                    + " video frames decoded of " + expected);
            if (media.audio()) {
                long audio = frames(out, 1);
                long samples = Math.round(seconds * 44100 / 1024);
                assertTrue(audio >= samples - 5 && audio <= samples + 2, name + " over " + transport + ": " + audio
                        + " audio frames decoded of ~" + samples);
            } else {
                assertEquals(0, frames(out, 1), name + " has no audio");
            }
        }
    }

    // 3. seeks

    /** What a seeking ffmpeg showed: the Range it asked for, the Range the server answered, its first frame. */
    private record Seek(double asked, double answered, double firstPts, String firstType, boolean firstKey) {
    }

    private static final Pattern ASKED = Pattern.compile("(?mi)^Range: npt=([0-9.]+)-\\s*$");
    private static final Pattern ANSWERED = Pattern.compile("(?i)line='range: npt=([0-9.]+)-([0-9.]+)'");
    private static final Pattern FIRST_FRAME = Pattern.compile(
            "Parsed_showinfo_0 .*? n: *0 .*?pts_time:([0-9.]+) .*? iskey:([01]) type:([IPB])");

    private static Seek seek(String transport, int to) {
        List<String> command = List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-v", "level+trace",
                "-rtsp_transport", transport, "-ss", Integer.toString(to), "-i", url("sample.mp4"), "-copyts", "-t",
                "1", "-vf", "showinfo", "-f", "null", "-");
        ExternalTool.Result r = ExternalTool.run(TIMEOUT, command);
        assertEquals(0, r.exitCode(), command + ": " + r);
        List<String> errors = r.stderr().lines().filter(l -> l.contains("[error]") || l.contains("[fatal]")).toList();
        assertEquals(List.of(), errors, "ffmpeg errors after seeking to " + to);
        // The first PLAY (npt=0-) opens the stream; the seek is a PAUSE and a second PLAY: the last ones count.
        double asked = last(ASKED.matcher(r.stderr()), "the seeking PLAY's Range");
        double answered = last(ANSWERED.matcher(r.stderr()), "the server's Range answer");
        Matcher first = FIRST_FRAME.matcher(r.stderr());
        assertTrue(first.find(), "no video frame decoded after seeking to " + to);
        return new Seek(asked, answered, Double.parseDouble(first.group(1)), first.group(3),
                first.group(2).equals("1"));
    }

    private static double last(Matcher m, String what) {
        String value = null;
        while (m.find()) {
            value = m.group(1);
        }
        assertTrue(value != null, what + " not found in ffmpeg's trace");
        return Double.parseDouble(value);
    }

    /**
     * {@code -ss 6}: ffmpeg asks for npt 5.869 (it backs off 3/23 s for decoders with B-frame delay), the server
     * goes back to the key frame at or before that — 4 s — and says so in its Range answer, and ffmpeg decodes from
     * there and drops what is before 6 s: the first frame out is the key frame at exactly 6 s. {@code -ss 5}: the
     * same 4 s key frame, and ffmpeg's first frame is the B-frame at exactly 5 s — every frame from 4 s was sent,
     * else it could not be decoded without an error.
     *
     * <p>TCP only: over UDP ffmpeg 5.1 sometimes (3 runs in 6 on a quiet machine) drops the frame at 6 s after the
     * seek or logs "reference picture missing" — packets of the first PLAY still arriving on the UDP sockets after
     * its PAUSE get mixed into the new play (the kernel dropped none: RcvbufErrors stayed 0). ffmpeg's, not the
     * server's: the server's RTP-Info names the first sequence number of the new play.
     */
    @ParameterizedTest(name = "-ss {0}")
    @CsvSource({"6, 5.869, 6, I, true", "5, 4.869, 5, B, false"})
    @Order(3)
    void aSeekStartsAtTheKeyFrameAtOrBeforeItAndFfmpegShowsTheRequestedTime(int to, double asked, double first,
            String type, boolean key) {
        assumeFfmpeg();
        Seek seek = seek("tcp", to);
        assertEquals(asked, seek.asked(), 0.0005, "the Range ffmpeg asked for");
        assertEquals(Math.floor(asked / 2) * 2, seek.answered(), 0.0005,
                "the server's Range starts at the key frame (every 2 s) at or before " + asked);
        assertEquals(first, seek.firstPts(), 0.0005, "first decoded video frame");
        assertEquals(type, seek.firstType(), "picture type of the first frame");
        assertEquals(key, seek.firstKey(), "whether the first frame is a key frame");
    }

    // 4. a whole file

    @Test
    @Order(4)
    void ffmpegPlaysAWholeFileInRealTimeAndStopsAtTheServersBye() throws Exception {
        assumeFfmpeg();
        Watched w = watch(List.of(ffmpeg.toString(), "-v", "error", "-nostdin", "-rtsp_transport", "tcp", "-i",
                url("sample.mp4"), "-f", "framecrc", "-"));
        assertEquals(0, w.result().exitCode(), w.result().toString());
        assertEquals("", w.result().stderr());
        assertTrue(w.took().toMillis() >= 10_000, "12 s played in " + w.took() + ": faster than real time");
        assertTrue(w.took().toMillis() < 30_000, "did not stop at the end: " + w.took());
        long video = frames(w.result().out(), 0);
        assertTrue(video >= 295 && video <= 300, video + " video frames of 300");
        long audio = frames(w.result().out(), 1);
        assertTrue(audio >= 510 && audio <= 520, audio + " audio frames of ~517");
        assertEquals(1, w.maxSessions(), "sessions while playing");
    }

    // 5. GStreamer

    /**
     * What one fakesink of a {@code gst-launch-1.0 -v} run received, as its last-message notifications tell. They
     * reach gst-launch's bus asynchronously and it reads the property when it prints, so a buffer is now and then
     * printed twice and its neighbour not at all (301 lines, 298 timestamps for 300 frames), and the ones still
     * queued when the pipeline shuts down after the EOS are not printed (often the EOS event itself): counts are
     * a few short.
     */
    private record Sink(String caps, long buffers, double lastPts) {
    }

    private static final Pattern GST_PTS = Pattern.compile("pts: (\\d+):(\\d+):(\\d+\\.\\d+)");

    private static Sink sink(String out, String name) {
        String prefix = "/GstPipeline:pipeline0/GstFakeSink:" + name;
        String caps = out.lines().filter(l -> l.startsWith(prefix + ".GstPad:sink: caps = ")).reduce((a, b) -> b)
                .map(l -> l.substring(l.indexOf("caps = ") + 7)).orElse("");
        // Distinct timestamps, not lines: a buffer is now and then printed twice.
        List<Double> pts = out.lines().filter(l -> l.startsWith(prefix + ": last-message = chain")).map(l -> {
            Matcher m = GST_PTS.matcher(l);
            return m.find() ? Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60
                    + Double.parseDouble(m.group(3)) : -1.0;
        }).distinct().toList();
        return new Sink(caps, pts.size(), pts.isEmpty() ? -1 : pts.get(pts.size() - 1));
    }

    private static List<String> gstCommand(String name, String protocols) {
        Path gst = ExternalTool.find("gst-launch-1.0");
        assumeTrue(gst != null, "gst-launch-1.0 is not installed");
        // rtspsrc has a source pad per stream and each one must be linked, or the pipeline stops "not-linked".
        List<String> command = new ArrayList<>(List.of(gst.toString(), "-v", "rtspsrc", "name=s",
                "location=" + url(name), "protocols=" + protocols));
        for (String sink : Media.of(name).audio() ? List.of("a", "b") : List.of("a")) {
            command.addAll(List.of("s.", "!", "decodebin", "!", "fakesink", "name=" + sink, "silent=false"));
        }
        return command;
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"sample.mp4, tcp", "sample.mp4, udp", "sample.mjpeg, tcp"})
    @Order(5)
    void gstreamerPlaysToTheEndAndStopsAtTheServersBye(String name, String protocols) throws Exception {
        Media media = Media.of(name);
        Watched w = watch(gstCommand(name, protocols));
        ExternalTool.Result r = w.result();
        String out = r.out();
        // Exit 0 and not one line on stderr: rtspsrc's PAUSE and TEARDOWN after the end (the pipeline stopping)
        // are answered 200, not 455 (it reports that as an ERROR and gst-launch exits 1).
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.stderr(), "gst-launch complained");
        // The pipeline's EOS: every sink got the end of its stream (rtspsrc ends each one at the server's BYE).
        assertTrue(out.contains("Got EOS from element \"pipeline0\""), "no EOS: " + r);
        assertTrue(w.took().toMillis() >= (media.seconds() - 2) * 1000 && w.took().toMillis() < 30_000,
                name + " played in " + w.took());
        assertEquals(1, w.maxSessions(), "sessions while playing");
        List<Sink> sinks = new ArrayList<>(List.of(sink(out, "a")));
        if (media.audio()) {
            sinks.add(sink(out, "b"));
        }
        // Which sink got which stream is up to the order rtspsrc adds its pads.
        Sink video = sinks.stream().filter(s -> s.caps().startsWith("video/x-raw")).findFirst().orElseThrow(
                () -> new AssertionError("no decoded video: " + sinks));
        String[] size = media.size().split("x");
        assertTrue(video.caps().contains("width=(int)" + size[0] + ", height=(int)" + size[1]), video.caps());
        long frames = Math.round(media.seconds() * media.fps());
        assertTrue(video.buffers() >= frames - 15 && video.buffers() <= frames, video.buffers() + " video frames of "
                + frames + " over " + protocols);
        assertTrue(video.lastPts() >= media.seconds() - 0.5, "last video frame at " + video.lastPts());
        if (media.audio()) {
            Sink audio = sinks.stream().filter(s -> s.caps().startsWith("audio/x-raw")).findFirst().orElseThrow(
                    () -> new AssertionError("no decoded audio: " + sinks));
            assertTrue(audio.caps().contains("rate=(int)44100"), audio.caps());
            assertTrue(audio.buffers() >= 500 && audio.buffers() <= 518, audio.buffers() + " audio buffers of ~517");
            assertTrue(audio.lastPts() >= media.seconds() - 0.5, "last audio buffer at " + audio.lastPts());
        }
    }

    // 6. VLC

    @Test
    @Order(6)
    void vlcPlaysAFileToTheEndAndExits() throws Exception {
        Path cvlc = ExternalTool.find("cvlc");
        assumeTrue(cvlc != null, "VLC is not installed");
        List<String> prefix = new ArrayList<>();
        Path home = Files.createDirectories(temp.resolve("vlc-home"));
        if ("root".equals(System.getProperty("user.name"))) {
            // vlc refuses to run as root ("VLC is not supposed to be run as root"): run it as nobody.
            Path setpriv = ExternalTool.find("setpriv");
            assumeTrue(setpriv != null, "running as root and setpriv is not installed to run VLC as nobody");
            home.toFile().setWritable(true, false);
            prefix.addAll(List.of(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        prefix.addAll(List.of("env", "HOME=" + home));
        List<String> list = new ArrayList<>(prefix);
        list.addAll(List.of(cvlc.toString(), "--list"));
        String modules = ExternalTool.run(TIMEOUT, list).out();
        // Debian 12's VLC is built without live555: rtsp:// then reaches its SAT>IP module (which sets up a
        // session, expects MPEG-TS and gives up) and its Real/Helix RTSP access ("only real/helix rtsp servers
        // supported for now"), and VLC still exits 0 having played nothing (docs/rtsp.md).
        assumeTrue(modules.lines().anyMatch(l -> l.strip().startsWith("live555")),
                "this VLC has no live555 module, so no RTSP client");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(cvlc.toString(), "-I", "dummy", "--vout", "dummy", "--aout", "dummy",
                "--play-and-exit", "--rtsp-tcp", url("sample.mjpeg")));
        Watched w = watch(command);
        assertEquals(0, w.result().exitCode(), w.result().toString());
        assertEquals(1, w.maxSessions(), "sessions while VLC played: " + w.result().stderr());
        assertTrue(w.took().toMillis() >= 4_000 && w.took().toMillis() < 30_000, "6 s played in " + w.took());
        assertEquals(0, settledSessions(), "sessions after VLC exited");
    }

    // 7. afterwards

    @Test
    @Order(7)
    void everySessionIsGoneAfterTheClientsExited() throws Exception {
        assertEquals(0, settledSessions(), "open sessions");
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (RtspFixture.udpPairs(server) != 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, RtspFixture.udpPairs(server), "UDP port pairs still held");
    }
}
