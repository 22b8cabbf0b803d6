package dev.vod.bench;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One RTSP client session of {@link RtspLoad}: DESCRIBE, SETUP of every track, PLAY, then receiving RTP until
 * the end, GET_PARAMETER to keep it alive, TEARDOWN. The exchange for the 2-track file of the benchmark:
 *
 * <pre>
 * C: DESCRIBE rtsp://127.0.0.1:8554/film.mp4 RTSP/1.0        S: RTSP/1.0 200 OK
 *    CSeq: 1                                                     Content-Base: rtsp://127.0.0.1:8554/film.mp4/
 *    Accept: application/sdp                                     Content-Type: application/sdp  (SDP, 2 m= lines)
 * C: SETUP rtsp://127.0.0.1:8554/film.mp4/trackID=0 RTSP/1.0  S: RTSP/1.0 200 OK
 *    CSeq: 2                                                     Session: 5A3F0C1D;timeout=60
 *    Transport: RTP/AVP/TCP;unicast;interleaved=0-1              Transport: RTP/AVP/TCP;unicast;interleaved=0-1
 * C: SETUP .../trackID=1, Session: 5A3F0C1D, interleaved=2-3   S: 200 OK
 * C: PLAY rtsp://127.0.0.1:8554/film.mp4/ RTSP/1.0            S: RTSP/1.0 200 OK
 *    CSeq: 4, Session: 5A3F0C1D, Range: npt=0-                   RTP-Info: url=.../trackID=0;seq=1;rtptime=0,...
 * S: $ 0x00 len RTP... $ 0x02 len RTP...  (TCP: RFC 2326 §10.12 frames on the same connection; UDP: datagrams)
 * </pre>
 *
 * <p>The handshake runs on a set-up thread with blocking semantics (its own selector and a timeout); then the
 * session moves to a receiver thread, which is the only one to touch it from then on. For UDP each track has an
 * RTP and an RTCP {@link DatagramChannel} on consecutive client ports; RTCP is read and dropped (no receiver
 * reports: the GET_PARAMETER requests keep the session alive).
 */
final class RtspSession {
    /** An answer of the server: status, headers with lower-case names, body. */
    record Response(int status, Map<String, String> headers, String body) {}

    /** What a readable datagram channel is: track {@code track}'s RTP or RTCP port of {@code session}. */
    record Endpoint(RtspSession session, int track, boolean rtcp) {}

    private static final int BUFFER = 160 * 1024; // one full interleaved frame (64 KiB) and an answer, twice

    final int index;
    final boolean tcp;
    private final URI url;
    final List<RtspTrack> tracks = new ArrayList<>();
    final List<DatagramChannel> datagrams = new ArrayList<>(); // UDP: RTP and RTCP of track 0, of track 1, ...
    private final int[] trackOfChannel = new int[256]; // TCP: interleaved channel → track (-1: RTCP or unknown)

    SocketChannel control;
    private final ByteBuffer in = ByteBuffer.allocate(BUFFER);
    private ByteBuffer pendingOut;
    private String sessionId;
    private int cseq;
    private Response lastResponse;
    private int lastResponseCseq = -1;
    private String playUrl;
    private String keepAliveMethod = "GET_PARAMETER";
    private String lastMethod = "";
    long keepAliveNanos = 20_000_000_000L;
    long nextKeepAlive;

    long describeSent;
    long playSent;
    long firstPacket;
    /** Packets are counted only while this is set: from PLAY to the end of the measured window. */
    boolean counting = true;
    /** Set once PLAY was answered 200: the session is measured from then on. */
    boolean playing;
    boolean teardownAnswered;
    long malformed;
    String error;

    RtspSession(int index, URI url, boolean tcp) {
        this.index = index;
        this.url = url;
        this.tcp = tcp;
        Arrays.fill(trackOfChannel, -1);
    }

    /**
     * DESCRIBE, SETUP every track, PLAY; on failure sets {@link #error}, closes everything and returns false.
     * {@code selector} is the calling thread's own, used to wait with a timeout.
     */
    boolean open(Selector selector, long timeoutNanos, AtomicInteger clientPorts) {
        try {
            int port = url.getPort() < 0 ? 554 : url.getPort();
            describeSent = System.nanoTime();
            control = SocketChannel.open();
            control.configureBlocking(false);
            control.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SelectionKey key = control.register(selector, 0);
            if (!control.connect(new InetSocketAddress(url.getHost(), port))) {
                await(key, SelectionKey.OP_CONNECT, timeoutNanos);
                control.finishConnect();
            }
            Response describe = exchange(key, "DESCRIBE", url.toString(), "Accept: application/sdp\r\n", timeoutNanos);
            String base = describe.headers.getOrDefault("content-base",
                    describe.headers.getOrDefault("content-location", url.toString()));
            RtspSdp sdp = RtspSdp.parse(describe.body, base);
            if (sdp.tracks().isEmpty()) {
                throw new IOException("no m= section in the SDP");
            }
            for (int i = 0; i < sdp.tracks().size(); i++) {
                RtspSdp.Track t = sdp.tracks().get(i);
                RtspTrack track = new RtspTrack(t.control(), t.clockRate());
                tracks.add(track);
                String transport = tcp ? "RTP/AVP/TCP;unicast;interleaved=" + (2 * i) + "-" + (2 * i + 1)
                        : "RTP/AVP;unicast;client_port=" + bindPorts(clientPorts);
                Response setup = exchange(key, "SETUP", t.control(), "Transport: " + transport + "\r\n", timeoutNanos);
                String session = setup.headers.get("session");
                if (session == null) {
                    throw new IOException("SETUP answer without Session");
                }
                String[] parts = session.split(";");
                sessionId = parts[0].trim();
                for (String p : parts) {
                    String s = p.trim().toLowerCase(Locale.ROOT);
                    if (s.startsWith("timeout=")) {
                        long timeout = Long.parseLong(s.substring(8).trim());
                        keepAliveNanos = Math.min(keepAliveNanos, timeout * 500_000_000L); // half the timeout
                    }
                }
                if (tcp) {
                    int channel = interleavedChannel(setup.headers.getOrDefault("transport", ""), 2 * i);
                    trackOfChannel[channel] = i;
                }
            }
            playUrl = sdp.aggregateControl();
            playSent = System.nanoTime();
            Response play = exchange(key, "PLAY", playUrl, "Range: npt=0.000-\r\n", timeoutNanos);
            rtpInfo(play.headers.get("rtp-info"));
            nextKeepAlive = System.nanoTime() + keepAliveNanos;
            playing = true;
            key.cancel();
            selector.selectNow(); // forget the key before the receiver thread registers the channel
            return true;
        } catch (IOException | RuntimeException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
            close();
            return false;
        }
    }

    /** Reads what the control connection has: interleaved frames are counted, answers noted. False on EOF. */
    boolean readControl() throws IOException {
        int n = control.read(in);
        if (n < 0) {
            return false;
        }
        parse();
        return true;
    }

    /** Counts one RTP datagram of track {@code track} now in {@code buf} (position 0 to limit). */
    void datagram(int track, ByteBuffer buf) {
        rtp(track, buf, 0, buf.limit());
    }

    /** Sends a keep-alive request if it is time; flushes what an earlier write left. */
    void tick(long now) throws IOException {
        flush();
        if (now >= nextKeepAlive && pendingOut == null) {
            send(keepAliveMethod, playUrl, "");
            nextKeepAlive = now + keepAliveNanos;
        }
    }

    void teardown() throws IOException {
        send("TEARDOWN", playUrl, "");
    }

    void close() {
        try {
            if (control != null) {
                control.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        for (DatagramChannel d : datagrams) {
            try {
                d.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    // ------------------------------------------------------------------------------------------ requests

    private void send(String method, String target, String headers) throws IOException {
        cseq++;
        lastMethod = method;
        String request = method + " " + target + " RTSP/1.0\r\nCSeq: " + cseq + "\r\n"
                + (sessionId != null ? "Session: " + sessionId + "\r\n" : "")
                + "User-Agent: vod-benchmarks RtspLoad\r\n" + headers + "\r\n";
        pendingOut = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
        flush();
    }

    private void flush() throws IOException {
        if (pendingOut != null) {
            control.write(pendingOut);
            if (!pendingOut.hasRemaining()) {
                pendingOut = null;
            }
        }
    }

    /** Sends a request and waits for the answer with its CSeq; anything but 200 is an IOException. */
    private Response exchange(SelectionKey key, String method, String target, String headers, long timeoutNanos)
            throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        send(method, target, headers);
        while (pendingOut != null) {
            await(key, SelectionKey.OP_WRITE, deadline - System.nanoTime());
            flush();
        }
        while (lastResponseCseq != cseq) {
            await(key, SelectionKey.OP_READ, deadline - System.nanoTime());
            if (!readControl()) {
                throw new IOException(method + ": connection closed by the server");
            }
        }
        if (lastResponse.status != 200) {
            throw new IOException(method + " " + target + " answered " + lastResponse.status);
        }
        return lastResponse;
    }

    private static void await(SelectionKey key, int ops, long nanos) throws IOException {
        long deadline = System.nanoTime() + nanos;
        key.interestOps(ops);
        while (true) {
            long millis = (deadline - System.nanoTime()) / 1_000_000;
            if (millis <= 0) {
                throw new IOException("timed out");
            }
            key.selector().select(millis);
            key.selector().selectedKeys().clear();
            if ((key.readyOps() & ops) != 0) {
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ parsing

    /** Consumes whole frames and answers from {@link #in}; keeps a partial one for the next read. */
    private void parse() throws IOException {
        in.flip();
        while (in.hasRemaining()) {
            int start = in.position();
            if (in.get(start) == '$') {
                if (in.remaining() < 4) {
                    break;
                }
                int channel = in.get(start + 1) & 0xff;
                int length = in.getShort(start + 2) & 0xffff;
                if (in.remaining() < 4 + length) {
                    break;
                }
                int track = trackOfChannel[channel];
                if (track >= 0) {
                    rtp(track, in, start + 4, length);
                }
                in.position(start + 4 + length);
            } else if (!message(start)) {
                break;
            }
        }
        in.compact();
        if (!in.hasRemaining()) {
            throw new IOException("an answer or frame larger than " + BUFFER + " bytes");
        }
    }

    /** Parses an RTSP message at {@code start} if it is all there (headers and body); false if not yet. */
    private boolean message(int start) throws IOException {
        int end = -1;
        for (int i = start; i + 3 < in.limit(); i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return false;
        }
        String head = new String(in.array(), in.arrayOffset() + start, end - start, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        if (in.limit() < end + 4 + length) {
            return false;
        }
        String body = new String(in.array(), in.arrayOffset() + end + 4, length, StandardCharsets.UTF_8);
        in.position(end + 4 + length);
        if (!lines[0].startsWith("RTSP/")) {
            return true; // a request from the server (none expected): ignored
        }
        String[] status = lines[0].split(" ", 3);
        Response response = new Response(Integer.parseInt(status[1]), headers, body);
        int answered = Integer.parseInt(headers.getOrDefault("cseq", "-1").trim());
        if (answered == cseq && lastMethod.equals("GET_PARAMETER") && response.status != 200) {
            keepAliveMethod = "OPTIONS"; // a server without GET_PARAMETER: OPTIONS is always there (§10.1)
        }
        if (answered == cseq && lastMethod.equals("TEARDOWN")) {
            teardownAnswered = true;
        }
        lastResponse = response;
        lastResponseCseq = answered;
        return true;
    }

    private void rtp(int track, ByteBuffer buf, int offset, int length) {
        if (!counting) {
            return;
        }
        if (length < 12 || (buf.get(offset) & 0xc0) != 0x80) {
            malformed++;
            return;
        }
        if (firstPacket == 0) {
            firstPacket = System.nanoTime();
        }
        tracks.get(track).packet(buf.getShort(offset + 2) & 0xffff, buf.getInt(offset + 4), buf.getInt(offset + 8),
                length);
    }

    /** RTP-Info: url=U;seq=N;rtptime=T, url=...: each track's timestamp of the play position. */
    private void rtpInfo(String header) {
        if (header == null) {
            return;
        }
        for (String entry : header.split(",")) {
            String trackUrl = null;
            long time = -1;
            for (String part : entry.split(";")) {
                String p = part.trim();
                if (p.startsWith("url=")) {
                    trackUrl = p.substring(4);
                } else if (p.startsWith("rtptime=")) {
                    time = Long.parseLong(p.substring(8));
                }
            }
            for (RtspTrack t : tracks) {
                if (trackUrl != null && time >= 0 && (t.control.equals(trackUrl) || t.control.endsWith(trackUrl)
                        || trackUrl.endsWith(t.control))) {
                    t.rtpInfoTime = time;
                }
            }
        }
    }

    private static int interleavedChannel(String transport, int asked) {
        for (String p : transport.split(";")) {
            String s = p.trim().toLowerCase(Locale.ROOT);
            if (s.startsWith("interleaved=")) {
                return Integer.parseInt(s.substring(12).split("-")[0].trim());
            }
        }
        return asked;
    }

    /** Binds this track's RTP and RTCP channels on two free consecutive ports (RTP even); returns "a-b". */
    private String bindPorts(AtomicInteger next) throws IOException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = next.getAndAdd(2);
            DatagramChannel rtp = DatagramChannel.open();
            DatagramChannel rtcp = DatagramChannel.open();
            try {
                rtp.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
                rtp.bind(new InetSocketAddress(port));
                rtcp.bind(new InetSocketAddress(port + 1));
                rtp.configureBlocking(false);
                rtcp.configureBlocking(false);
                datagrams.add(rtp);
                datagrams.add(rtcp);
                return port + "-" + (port + 1);
            } catch (BindException e) {
                rtp.close();
                rtcp.close();
            }
        }
        throw new IOException("no two free consecutive UDP ports");
    }
}
