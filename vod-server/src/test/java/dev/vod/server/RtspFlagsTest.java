package dev.vod.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.RtspSettings;
import dev.vod.VodServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The launcher's RTSP flags: off by default, each reaching {@link RtspSettings}, bad values exit 2. */
class RtspFlagsTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Consumer<VodServer> onStarted, String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), onStarted);
    }

    @Test
    void rtspIsOffByDefault() {
        assertFalse(Main.configFor().rtsp().enabled());
    }

    @Test
    void defaultsMatchTheDocumentedOnes() {
        RtspSettings s = Main.configFor("--rtsp-port", "8554").rtsp();
        assertTrue(s.enabled());
        assertEquals(8554, s.port());
        assertEquals(null, s.host());
        assertEquals(30000, s.rtpPortMin());
        assertEquals(30999, s.rtpPortMax());
        assertEquals(Duration.ofSeconds(60), s.sessionTimeout());
        assertEquals(500, s.maxSessions());
        assertEquals(24.0, s.mjpegFrameRate());
    }

    @Test
    void everyRtspFlagReachesTheSettings() {
        RtspSettings s = Main.configFor("--rtsp-port", "0", "--rtsp-host", "127.0.0.1", "--rtp-port-range",
                "40000-40099", "--rtsp-session-timeout", "30", "--rtsp-max-sessions", "7", "--mjpeg-fps", "12.5")
                .rtsp();
        assertEquals(new RtspSettings(true, "127.0.0.1", 0, 40000, 40099, Duration.ofSeconds(30), 7, 12.5), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--rtsp-port=-1", "--rtsp-port=70000", "--rtp-port-range=5000", "--rtp-port-range=a-b",
        "--rtp-port-range=40000-39000", "--rtp-port-range=80-90", "--rtp-port-range=65535-65536",
        "--rtsp-session-timeout=0", "--rtsp-max-sessions=0", "--mjpeg-fps=0", "--mjpeg-fps=500"})
    void badValuesExitTwoWithOneLine(String flag) {
        int status = run(server -> {
            server.close();
            throw new AssertionError("server started for " + flag);
        }, "--root", dir.toString(), "--rtsp-port", "0", flag);
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("vod: "), err.toString(StandardCharsets.UTF_8));
        assertEquals(1, err.toString(StandardCharsets.UTF_8).lines().count(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theListeningLineNamesTheRtspUrlAndTheServerAnswersOnIt() throws IOException {
        AtomicReference<String> reply = new AtomicReference<>();
        int status = run(server -> {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.rtspAddress().getPort())) {
                OutputStream o = socket.getOutputStream();
                o.write("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                o.flush();
                InputStream in = socket.getInputStream();
                byte[] head = new byte[15];
                reply.set(new String(in.readNBytes(head.length), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new AssertionError(e);
            } finally {
                server.close();
            }
        }, "--root", dir.toString(), "--host", "127.0.0.1", "--port", "0", "--rtsp-port", "0",
                "--rtp-port-range", "48000-48099");
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertEquals("RTSP/1.0 200 OK", reply.get());
        Matcher m = Pattern.compile("Listening on http://127\\.0\\.0\\.1:(\\d+)/ and rtsp://127\\.0\\.0\\.1:(\\d+)/ "
                + "serving (.+)\n").matcher(out.toString(StandardCharsets.UTF_8));
        assertTrue(m.matches(), out.toString(StandardCharsets.UTF_8));
        assertTrue(Integer.parseInt(m.group(2)) > 0);
    }

    @Test
    void anRtspPortInUseExitsTwo() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int status = run(server -> {
                server.close();
                throw new AssertionError("server started on a taken RTSP port");
            }, "--root", dir.toString(), "--host", "127.0.0.1", "--port", "0", "--rtsp-port",
                    String.valueOf(taken.getLocalPort()));
            assertEquals(2, status);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("RTSP"), err.toString(StandardCharsets.UTF_8));
        }
    }
}
