package dev.vod.bench;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * One keep-alive HTTP/1.1 connection of {@link LiveViewers}, non-blocking, on one {@link LiveLoop}: one GET at a
 * time (no pipelining), bodies with a {@code Content-Length} (or up to the close), of which only the first
 * {@code keep} bytes are kept (the rest is counted and dropped). It reconnects on the next request after the
 * server closes it. Limits: no chunked bodies (a failure), no redirects, no TLS.
 */
final class LiveHttp {
    /** What becomes of a request; called on the loop's thread. */
    interface Done {
        /** @param body the first bytes of the body, {@code kept} of them; endMillis: wall clock at the last byte */
        void ok(int status, long length, byte[] body, int kept, long endMillis);

        void failed(String why);
    }

    /** How long a request may take, unless {@link #get(String, int, long, Done)} says otherwise. */
    static final long TIMEOUT_NANOS = 10_000_000_000L;

    private final LiveLoop loop;
    private final InetSocketAddress address;
    private final byte[] requestHead;
    private SocketChannel channel;
    private SelectionKey key;
    private ByteBuffer out;
    private Done done;
    private long deadline;
    private long timeoutNanos;
    private byte[] head = new byte[1024];
    private int headLength;
    private boolean inBody;
    private int status;
    private long contentLength;
    private long bodyRead;
    private boolean closeAfter;
    private byte[] kept = new byte[0];
    private int keptLength;
    private int keep;

    LiveHttp(LiveLoop loop, InetSocketAddress address, String userAgent) {
        this.loop = loop;
        this.address = address;
        this.requestHead = (" HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
                + "\r\nUser-Agent: " + userAgent + "\r\nAccept: */*\r\n\r\n").getBytes(ISO_8859_1);
        loop.add(this);
    }

    boolean busy() {
        return done != null;
    }

    /** Sends {@code GET path}; {@code done} is called once, on this loop. */
    void get(String path, int keepBytes, Done callback) {
        get(path, keepBytes, TIMEOUT_NANOS, callback);
    }

    /** The same with a timeout of its own (a blocking playlist reload is held by the server until it can answer). */
    void get(String path, int keepBytes, long timeout, Done callback) {
        if (done != null) {
            throw new IllegalStateException("one request at a time");
        }
        done = callback;
        keep = keepBytes;
        if (kept.length < keepBytes) {
            kept = new byte[keepBytes];
        }
        keptLength = 0;
        headLength = 0;
        inBody = false;
        bodyRead = 0;
        contentLength = -1;
        closeAfter = false;
        timeoutNanos = timeout;
        deadline = System.nanoTime() + timeout;
        byte[] line = ("GET " + path).getBytes(ISO_8859_1);
        out = ByteBuffer.allocate(line.length + requestHead.length).put(line).put(requestHead).flip();
        try {
            if (channel == null) {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                key = channel.register(loop.selector, 0, this);
                if (!channel.connect(address)) {
                    key.interestOps(SelectionKey.OP_CONNECT);
                    return;
                }
            }
            write();
        } catch (IOException e) {
            fail("connect: " + e.getMessage());
        }
    }

    void ready(SelectionKey k) {
        try {
            if (!k.isValid()) {
                return;
            }
            if (k.isConnectable()) {
                channel.finishConnect();
                write();
                return;
            }
            if (k.isWritable()) {
                write();
            }
            if (k.isValid() && k.isReadable()) {
                read();
            }
        } catch (IOException e) {
            fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void write() throws IOException {
        channel.write(out);
        key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void read() throws IOException {
        ByteBuffer in = loop.readBuffer;
        // A finished response may have closed the connection (Connection: close) or started the next request on a
        // new one: stop reading this one then.
        SocketChannel reading = channel;
        while (channel == reading && reading != null && reading.isOpen()) {
            in.clear();
            int n = channel.read(in);
            if (n < 0) {
                if (done != null && inBody && contentLength < 0) {
                    finish();
                } else if (done != null) {
                    fail("connection closed by the server");
                }
                close();
                return;
            }
            if (n == 0) {
                return;
            }
            in.flip();
            if (done == null) {
                continue; // bytes nobody asked for: dropped
            }
            if (!inBody) {
                int take = Math.min(in.remaining(), Math.max(0, 16384 - headLength));
                if (head.length < headLength + take) {
                    head = Arrays.copyOf(head, Math.max(head.length * 2, headLength + take));
                }
                int before = headLength;
                in.get(head, headLength, take);
                headLength += take;
                int end = headEnd(Math.max(0, before - 3));
                if (end < 0) {
                    if (headLength >= 16384) {
                        fail("response head over 16 KiB");
                        return;
                    }
                    continue;
                }
                if (!parseHead(end)) {
                    return;
                }
                inBody = true;
                body(head, end, headLength - end); // what came with the head
            }
            int length = in.remaining();
            if (keptLength < keep && length > 0) {
                int copy = Math.min(length, keep - keptLength);
                in.get(kept, keptLength, copy);
                keptLength += copy;
            }
            bodyRead += length;
            if (done != null && contentLength >= 0 && bodyRead >= contentLength) {
                finish();
            }
        }
    }

    private void body(byte[] from, int offset, int length) {
        if (keptLength < keep) {
            int copy = Math.min(length, keep - keptLength);
            System.arraycopy(from, offset, kept, keptLength, copy);
            keptLength += copy;
        }
        bodyRead += length;
    }

    private int headEnd(int from) {
        for (int i = from; i + 3 < headLength; i++) {
            if (head[i] == '\r' && head[i + 1] == '\n' && head[i + 2] == '\r' && head[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private boolean parseHead(int end) {
        String text = new String(head, 0, end, ISO_8859_1);
        String[] lines = text.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (RuntimeException e) {
            fail("bad status line: " + lines[0]);
            return false;
        }
        closeAfter = statusLine[0].equals("HTTP/1.0");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim();
            String value = lines[i].substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Connection")) {
                closeAfter = value.equalsIgnoreCase("close") || (closeAfter && !value.equalsIgnoreCase("keep-alive"));
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && !value.equalsIgnoreCase("identity")) {
                fail("chunked bodies are not supported");
                return false;
            }
        }
        return true;
    }

    private void finish() {
        Done d = done;
        done = null;
        long endMillis = System.currentTimeMillis();
        if (closeAfter) {
            close();
        }
        d.ok(status, bodyRead, kept, keptLength, endMillis);
    }

    private void fail(String why) {
        close();
        Done d = done;
        done = null;
        if (d != null) {
            d.failed(why);
        }
    }

    void checkTimeout(long now) {
        if (done != null && now > deadline) {
            fail("timed out after " + timeoutNanos / 1_000_000_000L + " s");
        }
    }

    void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        channel = null;
        key = null;
    }
}
