package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.RtpPacket;
import dev.vod.testing.RtspClient;
import dev.vod.testing.RtspClient.Frame;
import dev.vod.testing.RtspClient.Response;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RTSP 1.0 as a raw client speaks it (RFC 2326): every method, the state machine, every error status, and the RTP
 * that PLAY sends over TCP-interleaved channels — checked header by header and packet by packet.
 */
class RtspProtocolTest {
    @TempDir
    static Path temp;
    private static VodServer server;
    private static InetSocketAddress address;
    private RtspClient client;

    @BeforeAll
    static void start() throws Exception {
        Path root = RtspFixture.createRoot(temp.resolve("root"));
        server = RtspFixture.start(root, RtspSettings.OFF.withRtpPorts(41000, 41999));
        address = server.rtspAddress();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void connect() throws Exception {
        client = new RtspClient(address);
    }

    @AfterEach
    void disconnect() throws Exception {
        client.close();
    }

    private static String url(String path) {
        return RtspFixture.url(server, path);
    }

    @Test
    void optionsListsTheMethodsAndEchoesCSeq() throws Exception {
        Response r = client.request("OPTIONS", "*");
        assertEquals(200, r.status());
        assertEquals("1", r.header("CSeq"));
        for (String m : List.of("OPTIONS", "DESCRIBE", "SETUP", "PLAY", "PAUSE", "TEARDOWN", "GET_PARAMETER")) {
            assertTrue(r.header("Public").contains(m), r.header("Public"));
        }
        assertEquals("2", client.request("OPTIONS", url("sample.mp4")).header("CSeq"));
    }

    @Test
    void describeAnswersWithTheSdpOfEveryTrack() throws Exception {
        Response r = client.request("DESCRIBE", url("sample.mp4"), "Accept: application/sdp");
        assertEquals(200, r.status(), r.body());
        assertEquals("application/sdp", r.header("Content-Type"));
        assertEquals(url("sample.mp4/"), r.header("Content-Base"));
        String sdp = r.body();
        assertTrue(sdp.startsWith("v=0\r\n"), sdp);
        assertTrue(sdp.contains("m=video 0 RTP/AVP 96\r\n"), sdp);
        assertTrue(sdp.contains("a=rtpmap:96 H264/90000\r\n"), sdp);
        assertTrue(Pattern.compile("a=fmtp:96 .*packetization-mode=1").matcher(sdp).find(), sdp);
        assertTrue(Pattern.compile("profile-level-id=4d[0-9a-f]{4}").matcher(sdp).find(), sdp);
        assertTrue(sdp.contains("sprop-parameter-sets="), sdp);
        assertTrue(Pattern.compile("a=rtpmap:97 mpeg4-generic/44100/[12]\r\n").matcher(sdp).find(), sdp);
        assertTrue(Pattern.compile("a=fmtp:97 .*mode=AAC-hbr.*config=[0-9a-fA-F]+").matcher(sdp).find(), sdp);
        assertTrue(sdp.contains("a=control:trackID=1\r\n") && sdp.contains("a=control:trackID=2\r\n"), sdp);
        assertTrue(sdp.contains("a=range:npt=0-12.0"), sdp);
        assertEquals(Integer.parseInt(r.header("Content-Length")), r.body().getBytes().length);
    }

    @Test
    void describeOfHevcAndMjpegNameTheirPayloadFormats() throws Exception {
        String hevc = client.request("DESCRIBE", url("hevc.mp4")).body();
        assertTrue(hevc.contains("H265/90000") && hevc.contains("sprop-vps=") && hevc.contains("sprop-sps="), hevc);
        Response mjpeg = client.request("DESCRIBE", url("sample.mjpeg"));
        assertEquals(200, mjpeg.status(), mjpeg.body());
        assertTrue(mjpeg.body().contains("m=video 0 RTP/AVP 26\r\n"), mjpeg.body());
        assertTrue(mjpeg.body().contains("a=rtpmap:26 JPEG/90000"), mjpeg.body());
        assertTrue(mjpeg.body().contains("a=range:npt=0-6.000"), mjpeg.body());
    }

    @ParameterizedTest
    @CsvSource({
        "missing.mp4, 404", "confidential/secret.mp4, 403", ".hidden.mp4, 403", "films, 404", "films/, 404",
        "bad%zzname.mp4, 400", "sample.webm, 415", "notes.txt, 415", "%2e%2e/etc/passwd, 400"})
    void describeAnswersLikeHttpForPathsItCannotPlay(String path, int status) throws Exception {
        Response r = client.request("DESCRIBE", url(path));
        assertEquals(status, r.status(), r.statusLine() + " " + r.body());
        assertNotNull(r.header("CSeq"));
    }

    @Test
    void aRequestWithoutCSeqIs400() throws Exception {
        client.sendRaw("OPTIONS * RTSP/1.0\r\n\r\n");
        assertEquals(400, client.readResponse().status());
    }

    @Test
    void unknownMethodsAre501AndUnsupportedOnes405() throws Exception {
        Response unknown = client.request("BREW", url("sample.mp4"));
        assertEquals(501, unknown.status());
        assertTrue(unknown.header("Public").contains("DESCRIBE"));
        Response record = client.request("RECORD", url("sample.mp4"));
        assertEquals(405, record.status());
        assertTrue(record.header("Allow").contains("PLAY"));
        assertEquals(405, client.request("ANNOUNCE", url("sample.mp4")).status());
    }

    @Test
    void otherVersionsAre505AndRequiredOptions551() throws Exception {
        client.sendRaw("OPTIONS * RTSP/2.0\r\nCSeq: 7\r\n\r\n");
        Response r = client.readResponse();
        assertEquals(505, r.status(), r.statusLine());
        Response require = client.request("OPTIONS", "*", "Require: implicit-play");
        assertEquals(551, require.status());
        assertEquals("implicit-play", require.header("Unsupported"));
    }

    @Test
    void playsOverInterleavedChannelsPausesResumesAndTearsDown() throws Exception {
        assertEquals(200, client.request("DESCRIBE", url("sample.mp4")).status());
        Response video = client.request("SETUP", url("sample.mp4/trackID=1"),
                "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        assertEquals(200, video.status(), video.body());
        assertTrue(video.header("Transport").startsWith("RTP/AVP/TCP;unicast;interleaved=0-1;ssrc="),
                video.header("Transport"));
        assertTrue(video.header("Session").matches("\\d{16};timeout=60"), video.header("Session"));
        String session = video.session();
        Response audio = client.request("SETUP", url("sample.mp4/trackID=2"), "Session: " + session,
                "Transport: RTP/AVP/TCP;unicast;interleaved=2-3");
        assertEquals(200, audio.status(), audio.body());
        assertEquals(session, audio.session());

        Response play = client.request("PLAY", url("sample.mp4/"), "Session: " + session, "Range: npt=0-");
        assertEquals(200, play.status(), play.body());
        assertTrue(play.header("Range").startsWith("npt=0.000-12.0"), play.header("Range"));
        Map<Integer, long[]> info = rtpInfo(play.header("RTP-Info"));
        assertEquals(2, info.size(), play.header("RTP-Info"));

        Stream first = new Stream();
        readFor(Duration.ofMillis(1500), first);
        assertTrue(first.packets.get(0) != null && first.packets.get(0).size() > 20, "video packets in 1.5 s");
        assertTrue(first.packets.get(2) != null && first.packets.get(2).size() > 20, "audio packets in 1.5 s");
        for (int channel : new int[] {0, 2}) {
            List<RtpPacket> ps = first.packets.get(channel);
            RtpPacket head = ps.get(0);
            assertEquals(info.get(channel == 0 ? 1 : 2)[0], head.sequence(), "first seq is RTP-Info's");
            assertEquals(channel == 0 ? 96 : 97, head.payloadType());
            checkOrder(ps);
        }
        // Audio timestamps only grow (video ones follow presentation order, which B-frames reorder).
        List<RtpPacket> sound = first.packets.get(2);
        for (int i = 1; i < sound.size(); i++) {
            long step = (sound.get(i).timestamp() - sound.get(i - 1).timestamp()) & 0xffffffffL;
            assertTrue(step > 0 && step < 0x80000000L, "audio timestamps increase at " + i);
        }
        // The first video packet is the key frame at 0 s: its timestamp is RTP-Info's rtptime for npt 0.
        assertEquals(info.get(1)[1], first.packets.get(0).get(0).timestamp());
        assertTrue(first.packets.get(0).stream().anyMatch(RtpPacket::marker), "marker bits on frame ends");

        Response pause = client.request("PAUSE", url("sample.mp4/"), "Session: " + session);
        assertEquals(200, pause.status());
        first.absorbQueued(client); // packets sent before the PAUSE reply
        drain(Duration.ofMillis(300), first);
        assertNull(client.nextFrame(Duration.ofMillis(700)), "nothing is sent while paused");

        Response resume = client.request("PLAY", url("sample.mp4/"), "Session: " + session);
        assertEquals(200, resume.status());
        Stream second = new Stream();
        second.absorbQueued(client);
        readFor(Duration.ofMillis(800), second);
        for (int channel : new int[] {0, 2}) {
            List<RtpPacket> before = first.packets.get(channel);
            List<RtpPacket> after = second.packets.get(channel);
            assertNotNull(after, "packets after resuming on channel " + channel);
            RtpPacket last = before.get(before.size() - 1);
            assertEquals((last.sequence() + 1) & 0xffff, after.get(0).sequence(), "sequence continues");
            assertEquals(last.ssrc(), after.get(0).ssrc());
            // Resuming continues the media: no jump back to 0, no jump far ahead (B-frames reorder a little).
            long step = (after.get(0).timestamp() - last.timestamp()) & 0xffffffffL;
            long clock = channel == 0 ? 90000 : 44100;
            assertTrue(step < clock / 2 || step > 0xffffffffL - clock / 5, "timestamps continue: step " + step);
        }
        Response teardown = client.request("TEARDOWN", url("sample.mp4/"), "Session: " + session);
        assertEquals(200, teardown.status());
        assertTrue(sawBye(Duration.ofSeconds(2)), "RTCP BYE after TEARDOWN");
        assertEquals(454, client.request("PLAY", url("sample.mp4/"), "Session: " + session).status());
    }

    @Test
    void playWithRangeStartsAtTheKeyFrameBeforeIt() throws Exception {
        String session = setUpBoth("sample.mp4");
        Response play = client.request("PLAY", url("sample.mp4/"), "Session: " + session, "Range: npt=5-");
        assertEquals(200, play.status());
        // Key frames are every 2 s: npt 5 starts at the one at 4 s.
        assertTrue(play.header("Range").startsWith("npt=4.0"), play.header("Range"));
        Map<Integer, long[]> info = rtpInfo(play.header("RTP-Info"));
        Stream s = new Stream();
        readFor(Duration.ofMillis(600), s);
        assertEquals(info.get(1)[1], s.packets.get(0).get(0).timestamp(), "video starts at RTP-Info's rtptime");
        client.request("TEARDOWN", url("sample.mp4/"), "Session: " + session);
    }

    @Test
    void aRangeWithAnEndStopsThereWithABye() throws Exception {
        Response setup = client.request("SETUP", url("sample.mjpeg"), "Transport: RTP/AVP/TCP;interleaved=0-1");
        Response play = client.request("PLAY", url("sample.mjpeg"), "Session: " + setup.session(),
                "Range: npt=2-3");
        assertEquals(200, play.status());
        assertTrue(play.header("Range").startsWith("npt=2.000-3.000"), play.header("Range"));
        int frames = 0;
        long lastTimestamp = -1;
        boolean bye = false;
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!bye && System.nanoTime() < end) {
            Frame f = client.nextFrame(Duration.ofMillis(100));
            if (f == null) {
                continue;
            }
            if (f.channel() == 0) {
                RtpPacket p = RtpPacket.parse(f.data());
                assertTrue(lastTimestamp < 0 || p.timestamp() >= lastTimestamp, "monotonic timestamps");
                lastTimestamp = p.timestamp();
                frames += p.marker() ? 1 : 0;
            }
            bye = f.channel() == 1 && RtpPacket.hasBye(f.data());
        }
        assertTrue(bye, "BYE at the end of the range");
        assertEquals(24, frames, "one second of frames at 24 fps");
    }

    @Test
    void errorsOfTheStateMachine() throws Exception {
        assertEquals(454, client.request("PLAY", url("sample.mp4/")).status(), "PLAY without a session");
        assertEquals(454, client.request("PAUSE", url("sample.mp4/"), "Session: 1234").status());
        assertEquals(454, client.request("TEARDOWN", url("sample.mp4/"), "Session: 1234").status());
        assertEquals(454, client.request("GET_PARAMETER", url("sample.mp4/"), "Session: 1234").status());
        assertEquals(459, client.request("SETUP", url("sample.mp4"),
                "Transport: RTP/AVP/TCP;unicast;interleaved=0-1").status(), "aggregate SETUP of two tracks");
        assertEquals(404, client.request("SETUP", url("sample.mp4/trackID=9"),
                "Transport: RTP/AVP/TCP;unicast;interleaved=0-1").status());
        String session = setUpBoth("sample.mp4");
        assertEquals(455, client.request("PAUSE", url("sample.mp4/"), "Session: " + session).status(),
                "PAUSE before PLAY");
        assertEquals(457, client.request("PLAY", url("sample.mp4/"), "Session: " + session,
                "Range: npt=99-").status(), "a range past the end");
        assertEquals(457, client.request("PLAY", url("sample.mp4/"), "Session: " + session,
                "Range: smpte=0:00:01-").status(), "a range in other units");
        assertEquals(200, client.request("GET_PARAMETER", url("sample.mp4/"), "Session: " + session).status());
        assertEquals(200, client.request("PLAY", url("sample.mp4/"), "Session: " + session).status());
        assertEquals(455, client.request("SETUP", url("sample.mp4/trackID=2"), "Session: " + session,
                "Transport: RTP/AVP/TCP;unicast;interleaved=4-5").status(), "SETUP while playing");
        assertEquals(200, client.request("TEARDOWN", url("sample.mp4/"), "Session: " + session).status());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "RTP/AVP;multicast;port=5000-5001", "RTP/SAVP;unicast;client_port=5000-5001", "RTP/AVP;unicast",
        "RAW/RAW/UDP;unicast;client_port=5000", "RTP/AVP;unicast;client_port=0-1", "RTP/AVP/TCP;interleaved=300-301"})
    void transportsItCannotServeAre461(String transport) throws Exception {
        Response r = client.request("SETUP", url("sample.mjpeg"), "Transport: " + transport);
        assertEquals(461, r.status(), transport + ": " + r.statusLine());
    }

    @Test
    void aDestinationOtherThanTheClientIsRefused() throws Exception {
        Response r = client.request("SETUP", url("sample.mjpeg"),
                "Transport: RTP/AVP;unicast;destination=192.0.2.7;client_port=5000-5001");
        assertEquals(403, r.status());
        assertEquals(0, RtspFixture.udpPairs(server), "no port bound for a refused SETUP");
    }

    @Test
    void theFirstServableAlternativeIsChosen() throws Exception {
        Response r = client.request("SETUP", url("sample.mjpeg"),
                "Transport: RTP/AVP;multicast, RTP/AVP/TCP;unicast;interleaved=6-7");
        assertEquals(200, r.status());
        assertTrue(r.header("Transport").contains("interleaved=6-7"), r.header("Transport"));
        client.request("TEARDOWN", url("sample.mjpeg"), "Session: " + r.session());
    }

    @Test
    void closingTheConnectionEndsItsSessions() throws Exception {
        setUpBoth("sample.mp4");
        int before = RtspFixture.sessions(server);
        assertTrue(before >= 1);
        client.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (RtspFixture.sessions(server) >= before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(RtspFixture.sessions(server) < before, "the session ended with its connection");
    }

    // --- helpers ---

    private String setUpBoth(String file) throws Exception {
        Response v = client.request("SETUP", url(file + "/trackID=1"), "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        assertEquals(200, v.status(), v.body());
        Response a = client.request("SETUP", url(file + "/trackID=2"), "Session: " + v.session(),
                "Transport: RTP/AVP/TCP;unicast;interleaved=2-3");
        assertEquals(200, a.status(), a.body());
        return v.session();
    }

    /** RTP-Info by track number: {seq, rtptime}. */
    private static Map<Integer, long[]> rtpInfo(String header) {
        Map<Integer, long[]> info = new HashMap<>();
        Matcher m = Pattern.compile("url=[^;,]*trackID=(\\d+);seq=(\\d+);rtptime=(\\d+)").matcher(header);
        while (m.find()) {
            info.put(Integer.parseInt(m.group(1)), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
        }
        return info;
    }

    /** Interleaved packets by channel; RTCP (odd channels) kept apart. */
    private static final class Stream {
        final Map<Integer, List<RtpPacket>> packets = new HashMap<>();
        final List<byte[]> rtcp = new ArrayList<>();

        void add(Frame f) {
            if (f.channel() % 2 == 1) {
                rtcp.add(f.data());
            } else {
                packets.computeIfAbsent(f.channel(), k -> new ArrayList<>()).add(RtpPacket.parse(f.data()));
            }
        }

        void absorbQueued(RtspClient c) throws Exception {
            Frame f;
            while ((f = c.nextFrame(Duration.ofMillis(1))) != null) {
                add(f);
            }
        }
    }

    private void readFor(Duration d, Stream into) throws Exception {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            Frame f = client.nextFrame(Duration.ofMillis(50));
            if (f != null) {
                into.add(f);
            }
        }
    }

    private void drain(Duration d, Stream into) throws Exception {
        readFor(d, into);
    }

    private boolean sawBye(Duration d) throws Exception {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            Frame f = client.nextFrame(Duration.ofMillis(100));
            if (f != null && f.channel() % 2 == 1 && RtpPacket.hasBye(f.data())) {
                return true;
            }
        }
        return false;
    }

    /** RTP version 2, sequence numbers consecutive, one SSRC. */
    static void checkOrder(List<RtpPacket> ps) {
        for (int i = 0; i < ps.size(); i++) {
            RtpPacket p = ps.get(i);
            assertEquals(2, p.version());
            assertTrue(p.payload().length <= 1400, "payload " + p.payload().length);
            if (i > 0) {
                assertEquals((ps.get(i - 1).sequence() + 1) & 0xffff, p.sequence(), "consecutive at " + i);
                assertEquals(ps.get(0).ssrc(), p.ssrc());
            }
        }
        assertNotEquals(0, ps.size());
        assertFalse(ps.isEmpty());
    }
}
