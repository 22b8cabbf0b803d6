package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.Descriptors;
import dev.vod.testing.RtpJpeg;
import dev.vod.testing.RtpPacket;
import dev.vod.testing.RtspClient;
import dev.vod.testing.RtspClient.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RTP over UDP: the SETUP reply's server ports, RTP from the even one and RTCP sender reports from the odd one,
 * the seed's student client (relative URL, {@code RTP/UDP; client_port= N}, numeric session, MJPEG frames that
 * decode), many sessions at once, and every port and descriptor given back afterwards.
 */
class RtspUdpTest {
    @TempDir
    static Path temp;
    private static Path root;
    private static VodServer server;

    @BeforeAll
    static void start() throws Exception {
        root = RtspFixture.createRoot(temp.resolve("root"));
        server = RtspFixture.start(root, RtspSettings.OFF.withRtpPorts(45000, 45999));
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

    @Test
    void udpSetupStatesServerPortsAndSendsRtpAndSenderReports() throws Exception {
        try (RtspClient client = new RtspClient(server.rtspAddress());
             DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket rtcp = new DatagramSocket(rtp.getLocalPort() + 1, InetAddress.getLoopbackAddress())) {
            int port = rtp.getLocalPort();
            Response setup = client.request("SETUP", url("sample.mp4/trackID=1"),
                    "Transport: RTP/AVP;unicast;client_port=" + port + "-" + (port + 1));
            assertEquals(200, setup.status(), setup.body());
            Matcher m = Pattern.compile("client_port=" + port + "-" + (port + 1) + ";server_port=(\\d+)-(\\d+);ssrc=")
                    .matcher(setup.header("Transport"));
            assertTrue(m.find(), setup.header("Transport"));
            int serverRtp = Integer.parseInt(m.group(1));
            assertEquals(0, serverRtp % 2, "RTP on an even port");
            assertEquals(serverRtp + 1, Integer.parseInt(m.group(2)));
            assertTrue(serverRtp >= 45000 && serverRtp < 45999, "from the configured range: " + serverRtp);
            assertEquals(200, client.request("PLAY", url("sample.mp4/"), "Session: " + setup.session()).status());

            List<RtpPacket> packets = receive(rtp, Duration.ofMillis(1200), serverRtp);
            assertTrue(packets.size() > 30, "video packets in 1.2 s: " + packets.size());
            RtspProtocolTest.checkOrder(packets);
            rtcp.setSoTimeout(3000);
            DatagramPacket report = new DatagramPacket(new byte[1500], 1500);
            rtcp.receive(report);
            assertEquals(serverRtp + 1, report.getPort(), "RTCP from the odd server port");
            byte[] sr = java.util.Arrays.copyOf(report.getData(), report.getLength());
            assertEquals(200, RtpPacket.rtcpType(sr), "a sender report");
            assertEquals(packets.get(0).ssrc(), readInt(sr, 4), "the SR's SSRC is the stream's");

            assertEquals(200, client.request("TEARDOWN", url("sample.mp4/"), "Session: " + setup.session()).status());
            assertTrue(byeWithin(rtcp, Duration.ofSeconds(2)), "RTCP BYE after TEARDOWN");
        }
        waitFor(() -> RtspFixture.udpPairs(server) == 0, "ports given back");
    }

    /** The seed's client: relative URL, its Transport spelling, a numeric Session, MJPEG that decodes. */
    @Test
    void theSeedsStudentClientGetsJpegFramesThatDecode() throws Exception {
        try (RtspClient client = new RtspClient(server.rtspAddress());
             DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Response setup = client.request("SETUP", "sample.mjpeg",
                    "Transport: RTP/UDP; client_port= " + rtp.getLocalPort());
            assertEquals(200, setup.status(), setup.body());
            assertTrue(setup.header("Session").matches("\\d+"), "numeric, no parameters: " + setup.header("Session"));
            String firstHeader = setup.headers().keySet().iterator().next();
            assertNotNull(firstHeader);
            assertTrue(setup.header("Transport").startsWith("RTP/UDP;unicast;client_port=" + rtp.getLocalPort()
                    + ";server_port="), setup.header("Transport"));
            String session = setup.session();
            assertEquals(200, client.request("PLAY", "sample.mjpeg", "Session: " + session).status());
            List<RtpPacket> packets = receive(rtp, Duration.ofMillis(700), -1);
            assertEquals(200, client.request("PAUSE", "sample.mjpeg", "Session: " + session).status());

            List<List<byte[]>> frames = new ArrayList<>();
            List<byte[]> current = new ArrayList<>();
            for (RtpPacket p : packets) {
                assertEquals(26, p.payloadType(), "JPEG's static payload type");
                current.add(p.payload());
                if (p.marker()) {
                    frames.add(current);
                    current = new ArrayList<>();
                }
            }
            assertTrue(frames.size() >= 10, "frames in 0.7 s at 24 fps: " + frames.size());
            for (List<byte[]> frame : frames) {
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(RtpJpeg.toJpeg(frame)));
                assertNotNull(image, "a frame that ImageIO decodes");
                assertEquals(320, image.getWidth());
                assertEquals(240, image.getHeight());
            }
            // 90 kHz timestamps, one frame per 1/24 s.
            long step = (packets.get(packets.size() - 1).timestamp() - packets.get(0).timestamp()) / (frames.size() - 1);
            assertTrue(Math.abs(step - 3750) <= 1, "3750 ticks per frame, was " + step);
            assertEquals(200, client.request("TEARDOWN", "sample.mjpeg", "Session: " + session).status());
        }
    }

    /** Fifty viewers of one file at once: each gets every packet in order; afterwards nothing is left behind. */
    @Test
    void fiftyConcurrentSessionsGetEveryPacketAndLeaveNothingBehind() throws Exception {
        waitFor(() -> RtspFixture.sessions(server) == 0, "no session left from other tests");
        long descriptorsBefore = Descriptors.available() ? Descriptors.open() : -1;
        int n = 50;
        List<RtspClient> clients = new ArrayList<>();
        List<DatagramSocket> sockets = new ArrayList<>();
        List<String> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                RtspClient c = new RtspClient(server.rtspAddress());
                DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                s.setReceiveBufferSize(1 << 20);
                clients.add(c);
                sockets.add(s);
                Response setup = c.request("SETUP", url("sample.mjpeg"),
                        "Transport: RTP/AVP;unicast;client_port=" + s.getLocalPort());
                assertEquals(200, setup.status(), setup.body());
                sessions.add(setup.session());
            }
            assertEquals(n, RtspFixture.sessions(server));
            assertEquals(n, RtspFixture.udpPairs(server));
            for (int i = 0; i < n; i++) {
                assertEquals(200, clients.get(i).request("PLAY", url("sample.mjpeg"), "Session: " + sessions.get(i),
                        "Range: npt=4-").status());
            }
            // Two seconds of media (48 frames) per session; read them all after they have arrived.
            List<Thread> readers = new ArrayList<>();
            int[] counts = new int[n];
            String[] problems = new String[n];
            for (int i = 0; i < n; i++) {
                int k = i;
                Thread t = new Thread(() -> {
                    try {
                        List<RtpPacket> ps = receive(sockets.get(k), Duration.ofMillis(3500), -1);
                        RtspProtocolTest.checkOrder(ps);
                        counts[k] = (int) ps.stream().filter(RtpPacket::marker).count();
                    } catch (Throwable e) {
                        problems[k] = e.toString();
                    }
                });
                t.start();
                readers.add(t);
            }
            for (Thread t : readers) {
                t.join();
            }
            for (int i = 0; i < n; i++) {
                assertEquals(null, problems[i], "session " + i);
                assertEquals(48, counts[i], "session " + i + " got every frame from 4 s to the end");
            }
            for (int i = 0; i < n; i++) {
                assertEquals(200, clients.get(i).request("TEARDOWN", url("sample.mjpeg"),
                        "Session: " + sessions.get(i)).status());
            }
        } finally {
            for (RtspClient c : clients) {
                c.close();
            }
            for (DatagramSocket s : sockets) {
                s.close();
            }
        }
        waitFor(() -> RtspFixture.sessions(server) == 0 && RtspFixture.udpPairs(server) == 0, "all torn down");
        if (descriptorsBefore >= 0) {
            waitFor(() -> Descriptors.open() <= descriptorsBefore + 2, "descriptors back to the baseline "
                    + descriptorsBefore + " (now " + Descriptors.open() + ")");
        }
    }

    @Test
    void closingTheServerEndsSessionsWithByeAndFreesPorts() throws Exception {
        VodServer other = RtspFixture.start(root, RtspSettings.OFF.withRtpPorts(46000, 46099));
        try (RtspClient client = new RtspClient(other.rtspAddress());
             DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket rtcp = new DatagramSocket(rtp.getLocalPort() + 1, InetAddress.getLoopbackAddress())) {
            Response setup = client.request("SETUP", "rtsp://127.0.0.1:" + other.rtspAddress().getPort()
                    + "/sample.mjpeg", "Transport: RTP/AVP;unicast;client_port=" + rtp.getLocalPort() + "-"
                    + (rtp.getLocalPort() + 1));
            assertEquals(200, setup.status());
            assertEquals(200, client.request("PLAY", "rtsp://127.0.0.1:" + other.rtspAddress().getPort()
                    + "/sample.mjpeg", "Session: " + setup.session()).status());
            receive(rtp, Duration.ofMillis(300), -1);
            other.close();
            assertTrue(byeWithin(rtcp, Duration.ofSeconds(3)), "RTCP BYE when the server closes");
            assertEquals(0, RtspFixture.udpPairs(other));
            // The ports are really free: they can be bound again.
            Matcher m = Pattern.compile("server_port=(\\d+)").matcher(setup.header("Transport"));
            assertTrue(m.find());
            try (DatagramSocket again = new DatagramSocket(Integer.parseInt(m.group(1)))) {
                assertTrue(again.isBound());
            }
        } finally {
            other.close();
        }
    }

    @Test
    void aQuietSessionTimesOutAndGivesItsPortsBack() throws Exception {
        VodServer other = RtspFixture.start(root, RtspSettings.OFF.withRtpPorts(46100, 46199)
                .withSessionTimeout(Duration.ofSeconds(2)));
        try (RtspClient client = new RtspClient(other.rtspAddress());
             DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Response setup = client.request("SETUP", "rtsp://127.0.0.1:" + other.rtspAddress().getPort()
                    + "/sample.mjpeg", "Transport: RTP/AVP;unicast;client_port=" + rtp.getLocalPort());
            assertEquals(200, setup.status());
            assertTrue(setup.header("Session").endsWith(";timeout=2"), setup.header("Session"));
            assertEquals(1, RtspFixture.sessions(other));
            waitFor(() -> RtspFixture.sessions(other) == 0 && RtspFixture.udpPairs(other) == 0,
                    "the session ended after 2 s without a keep-alive");
            assertTrue(client.closedWithin(Duration.ofSeconds(3)), "the quiet connection is closed too");
            try (RtspClient again = new RtspClient(other.rtspAddress())) {
                assertEquals(454, again.request("PLAY", "rtsp://127.0.0.1:" + other.rtspAddress().getPort()
                        + "/sample.mjpeg", "Session: " + setup.session()).status());
            }
        } finally {
            other.close();
        }
    }

    @Test
    void keepAlivesHoldASessionPastItsTimeout() throws Exception {
        VodServer other = RtspFixture.start(root, RtspSettings.OFF.withRtpPorts(46200, 46299)
                .withSessionTimeout(Duration.ofSeconds(2)));
        try (RtspClient client = new RtspClient(other.rtspAddress())) {
            String base = "rtsp://127.0.0.1:" + other.rtspAddress().getPort() + "/sample.mjpeg";
            Response setup = client.request("SETUP", base, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            for (int i = 0; i < 4; i++) {
                Thread.sleep(1000);
                assertEquals(200, client.request("GET_PARAMETER", base, "Session: " + setup.session()).status());
            }
            assertEquals(1, RtspFixture.sessions(other), "alive after 4 s of keep-alives");
        } finally {
            other.close();
        }
    }

    // --- helpers ---

    /** RTP packets arriving on {@code socket} for {@code d} (from {@code fromPort} when it is not -1). */
    static List<RtpPacket> receive(DatagramSocket socket, Duration d, int fromPort) throws Exception {
        List<RtpPacket> packets = new ArrayList<>();
        long end = System.nanoTime() + d.toNanos();
        byte[] buffer = new byte[2048];
        while (System.nanoTime() < end) {
            socket.setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                break;
            }
            byte[] data = java.util.Arrays.copyOf(p.getData(), p.getLength());
            if (RtpPacket.rtcpType(data) >= 200 && RtpPacket.rtcpType(data) <= 204) {
                // Another session's RTCP: a client that names one port gets RTCP on the next one, which on a busy
                // loopback can be a neighbour's socket. Real receivers tell RTCP from RTP by this byte too.
                continue;
            }
            if (fromPort >= 0) {
                assertEquals(fromPort, p.getPort(), "RTP from the stated server port");
            }
            packets.add(RtpPacket.parse(data));
        }
        return packets;
    }

    private static boolean byeWithin(DatagramSocket rtcp, Duration d) throws Exception {
        long end = System.nanoTime() + d.toNanos();
        byte[] buffer = new byte[1500];
        while (System.nanoTime() < end) {
            rtcp.setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                rtcp.receive(p);
            } catch (SocketTimeoutException e) {
                return false;
            }
            if (RtpPacket.hasBye(java.util.Arrays.copyOf(p.getData(), p.getLength()))) {
                return true;
            }
        }
        return false;
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }
}
