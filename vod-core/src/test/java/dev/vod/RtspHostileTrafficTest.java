package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.testing.ExternalTool;
import dev.vod.testing.RtpPacket;
import dev.vod.testing.RtspClient;
import dev.vod.testing.RtspClient.Frame;
import dev.vod.testing.RtspClient.Response;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile RTSP client gets the same care as an HTTP one: bounded heads and bodies, a request timeout, garbage
 * and malformed interleaved frames survived, a session limit, and a client that stops reading costs dropped
 * frames (resuming at a key frame), not server memory.
 */
@Tag("hardening")
class RtspHostileTrafficTest {
    @TempDir
    static Path temp;
    private static Path root;
    private static VodServer server;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        root = RtspFixture.createRoot(temp.resolve("root"));
        server = RtspFixture.start(root, RtspSettings.OFF.withRtpPorts(47000, 47999));
        address = server.rtspAddress();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String url(String path) {
        return RtspFixture.url(server, path);
    }

    private static void stillServes() throws Exception {
        try (RtspClient c = new RtspClient(address)) {
            assertEquals(200, c.request("OPTIONS", "*").status());
        }
    }

    @Test
    void anOversizedHeadIs400AndClosed() throws Exception {
        try (RtspClient c = new RtspClient(address)) {
            c.sendRaw("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nX-Junk: " + "a".repeat(20_000) + "\r\n\r\n");
            assertEquals(400, c.readResponse().status());
            assertTrue(c.closedWithin(Duration.ofSeconds(2)));
        }
        stillServes();
    }

    @Test
    void anOverlongRequestLineIs400() throws Exception {
        try (RtspClient c = new RtspClient(address)) {
            Response r = c.request("DESCRIBE", url("a".repeat(6000) + ".mp4"));
            assertEquals(400, r.status());
        }
        stillServes();
    }

    @Test
    void hugeOrMalformedContentLengthIs400() throws Exception {
        for (String length : new String[] {"99999999", "abc", "-1"}) {
            try (RtspClient c = new RtspClient(address)) {
                c.sendRaw("GET_PARAMETER * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: " + length + "\r\n\r\n");
                assertEquals(400, c.readResponse().status(), length);
                assertTrue(c.closedWithin(Duration.ofSeconds(2)), length);
            }
        }
    }

    @Test
    void anIncompleteRequestTimesOutWith408() throws Exception {
        try (RtspClient c = new RtspClient(address)) {
            c.sendRaw("DESCRIBE " + url("sample.mp4") + " RTSP/1.0\r\nCSeq: 1\r\n");
            c.socket().setSoTimeout(15_000);
            Response r = c.readResponse();
            assertEquals(408, r.status());
            assertTrue(c.closedWithin(Duration.ofSeconds(2)));
        }
    }

    @Test
    void randomGarbageNeverBreaksTheServer() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[random.nextInt(3000) + 1];
            random.nextBytes(junk);
            try (Socket s = new Socket()) {
                s.connect(address, 2000);
                s.getOutputStream().write(junk);
                s.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                s.setSoTimeout(300);
                try {
                    s.getInputStream().read(new byte[4096]);
                } catch (java.io.IOException e) {
                    // closed or reset: fine, as long as the server lives on
                }
            }
        }
        stillServes();
    }

    @Test
    void malformedInterleavedFramesAreIgnored() throws Exception {
        try (RtspClient c = new RtspClient(address)) {
            // Not RTCP, truncated RTCP, an empty frame, and a frame on a channel nobody set up.
            c.sendRaw(new byte[] {'$', 1, 0, 4, 1, 2, 3, 4});
            c.sendRaw(new byte[] {'$', 1, 0, 8, (byte) 0x80, (byte) 201, 0, 40, 0, 0, 0, 1});
            c.sendRaw(new byte[] {'$', 9, 0, 0});
            c.sendRaw(new byte[] {'$', (byte) 200, 0, 2, 0, 0});
            assertEquals(200, c.request("OPTIONS", "*").status(), "the connection still speaks RTSP");
        }
    }

    @Test
    void pipelinedRequestsAreAllAnswered() throws Exception {
        try (RtspClient c = new RtspClient(address)) {
            StringBuilder many = new StringBuilder();
            for (int i = 1; i <= 100; i++) {
                many.append("OPTIONS * RTSP/1.0\r\nCSeq: ").append(i).append("\r\n\r\n");
            }
            c.sendRaw(many.toString());
            for (int i = 1; i <= 100; i++) {
                assertEquals(String.valueOf(i), c.readResponse().header("CSeq"));
            }
        }
    }

    @Test
    void sessionsPastTheLimitAre453() throws Exception {
        VodServer small = RtspFixture.start(root, RtspSettings.OFF.withRtpPorts(47900, 47999).withMaxSessions(2));
        try (RtspClient c = new RtspClient(small.rtspAddress())) {
            String u = "rtsp://127.0.0.1:" + small.rtspAddress().getPort() + "/sample.mjpeg";
            assertEquals(200, c.request("SETUP", u, "Transport: RTP/AVP/TCP;interleaved=0-1").status());
            assertEquals(200, c.request("SETUP", u, "Transport: RTP/AVP/TCP;interleaved=2-3").status());
            Response third = c.request("SETUP", u, "Transport: RTP/AVP/TCP;interleaved=4-5");
            assertEquals(453, third.status());
        } finally {
            small.close();
        }
    }

    /**
     * A client that stops reading an interleaved stream: the server drops media rather than queue it, and when
     * the client reads again video resumes at a key frame (parameter sets first), not mid-GOP.
     */
    @Test
    void aStalledTcpReaderLosesFramesNotServerMemory() throws Exception {
        Path ffmpeg = ExternalTool.find("ffmpeg");
        assumeTrue(ffmpeg != null, "ffmpeg is not installed");
        Path heavy = root.resolve("heavy.mp4");
        // 16 Mbit/s of noise, a key frame every second: far more than socket buffers hold in a few seconds.
        ExternalTool.Result made = ExternalTool.run(Duration.ofSeconds(120), ffmpeg.toString(), "-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=8,noise=alls=60:allf=t",
                "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "16M", "-minrate", "16M", "-maxrate", "16M",
                "-bufsize", "4M", "-g", "25", "-bf", "0", heavy.toString());
        assertEquals(0, made.exitCode(), made.toString());
        try (RtspClient c = new RtspClient(address, 16 * 1024)) {
            Response setup = c.request("SETUP", url("heavy.mp4/trackID=1"), "Transport: RTP/AVP/TCP;interleaved=0-1");
            assertEquals(200, setup.status());
            assertEquals(200, c.request("PLAY", url("heavy.mp4/"), "Session: " + setup.session()).status());
            Thread.sleep(4000); // not reading: the server must drop
            stillServes();
            List<RtpPacket> video = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < end) {
                Frame f = c.nextFrame(Duration.ofMillis(200));
                if (f != null && f.channel() == 0) {
                    video.add(RtpPacket.parse(f.data()));
                }
            }
            // Find the jump in media time where frames were dropped; what follows must start a key frame.
            int resumedAt = -1;
            for (int i = 1; i < video.size(); i++) {
                long step = (video.get(i).timestamp() - video.get(i - 1).timestamp()) & 0xffffffffL;
                if (step > 90000 / 2 && step < 0x80000000L) {
                    resumedAt = i;
                    break;
                }
            }
            assertTrue(resumedAt > 0, "frames were dropped while the client did not read (" + video.size() + ")");
            int nal = video.get(resumedAt).payload()[0] & 0x1f;
            assertEquals(7, nal, "resumes with the SPS of a key frame");
            RtspProtocolTest.checkOrder(video);
        }
    }
}
