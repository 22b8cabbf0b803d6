package dev.vod.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * A raw RTSP client for tests: writes requests exactly as given (so nothing normalises them), numbers them with
 * CSeq unless told otherwise, and reads responses and {@code $}-interleaved packets from the same stream.
 */
public final class RtspClient implements Closeable {
    /** An RTSP response. Header names are case-insensitive. */
    public record Response(int status, String statusLine, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name);
        }

        /** The session id of the {@code Session} header, without {@code ;timeout=}. */
        public String session() {
            String s = headers.get("Session");
            return s == null ? null : s.split(";")[0].trim();
        }
    }

    /** An interleaved packet: channel number and data. */
    public record Frame(int channel, byte[] data) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Deque<Frame> frames = new ArrayDeque<>();
    private int cseq;

    public RtspClient(InetSocketAddress server) throws IOException {
        this(server, 0);
    }

    /** With a small receive buffer ({@code receiveBuffer} bytes, 0 for the default): a client slow to read. */
    public RtspClient(InetSocketAddress server, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(server, 5000);
        socket.setSoTimeout(10_000);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends {@code METHOD uri RTSP/1.0}, a CSeq and these header lines, then reads the response. */
    public Response request(String method, String uri, String... headers) throws IOException {
        StringBuilder r = new StringBuilder(method).append(' ').append(uri).append(" RTSP/1.0\r\n");
        r.append("CSeq: ").append(++cseq).append("\r\n");
        for (String h : headers) {
            r.append(h).append("\r\n");
        }
        r.append("\r\n");
        sendRaw(r.toString());
        return readResponse();
    }

    public void sendRaw(String text) throws IOException {
        sendRaw(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads the next response; interleaved packets before it are kept for {@link #nextFrame}. */
    public Response readResponse() throws IOException {
        while (true) {
            int first = in.read();
            if (first < 0) {
                throw new IOException("connection closed before a response");
            }
            if (first == '$') {
                frames.add(readFrameBody());
                continue;
            }
            String statusLine = ((char) first) + readLine();
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            String line;
            while (!(line = readLine()).isEmpty()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
            byte[] body = in.readNBytes(length);
            String[] parts = statusLine.split(" ", 3);
            return new Response(Integer.parseInt(parts[1]), statusLine, headers,
                    new String(body, StandardCharsets.UTF_8));
        }
    }

    /** The next interleaved packet within {@code timeout}, or null; responses in between are an error. */
    public Frame nextFrame(Duration timeout) throws IOException {
        if (!frames.isEmpty()) {
            return frames.poll();
        }
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            if (first != '$') {
                throw new IOException("expected an interleaved frame, got byte " + first);
            }
            return readFrameBody();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    /** Whether the server closed the connection (reads end) within {@code timeout}. */
    public boolean closedWithin(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private Frame readFrameBody() throws IOException {
        int channel = in.read();
        int length = (in.read() << 8) | in.read();
        byte[] data = in.readNBytes(length);
        if (data.length != length) {
            throw new IOException("truncated interleaved frame");
        }
        return new Frame(channel, data);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b < 0 && line.size() == 0) {
            throw new IOException("connection closed");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
