package dev.vod.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small closed-loop HTTP/1.1 load generator for {@code HEAD} requests, because wrk cannot: its parser waits for
 * the {@code Content-Length} bytes that a HEAD response announces but never sends, so it counts no request.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.vod.bench.HeadLoad --url http://127.0.0.1:18080/sample.mp4 \
 *     --connections 256 --threads 2 --duration 5 [--warmup 1] [--method HEAD] [--header 'If-None-Match: "x"'] \
 *     [--timeout 10]
 * </pre>
 *
 * <p>Like wrk: each connection sends one request, waits for the whole response, sends the next (keep-alive, no
 * pipelining); a connection the server closes is reopened and counted as a read error. At the end it prints a
 * short summary and the same {@code RESULT {...}} line as {@code benchmarks/wrk/report.lua}, so run.sh treats
 * both alike. Responses to HEAD, 1xx, 204 and 304 have no body; others are skipped by {@code Content-Length}
 * (chunked bodies are not supported: this tool is for the header path).
 */
public final class HeadLoad {
    private final InetSocketAddress address;
    private final byte[] request;
    private final boolean head;
    private final long timeoutNanos;

    private HeadLoad(InetSocketAddress address, byte[] request, boolean head, long timeoutNanos) {
        this.address = address;
        this.request = request;
        this.head = head;
        this.timeoutNanos = timeoutNanos;
    }

    /** Runs the load and prints the result; see the class comment for the flags. */
    public static void main(String[] args) throws Exception {
        String url = null;
        String method = "HEAD";
        int connections = 64;
        int threads = 2;
        int seconds = 10;
        int timeoutSeconds = 10;
        int warmupSeconds = 0;
        StringBuilder extraHeaders = new StringBuilder();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--url" -> url = value;
                case "--method" -> method = value.toUpperCase(Locale.ROOT);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--duration" -> seconds = Integer.parseInt(value);
                case "--timeout" -> timeoutSeconds = Integer.parseInt(value);
                case "--warmup" -> warmupSeconds = Integer.parseInt(value);
                case "--header" -> extraHeaders.append(value).append("\r\n");
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        URI uri = URI.create(url);
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String target = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            target += "?" + uri.getRawQuery();
        }
        byte[] request = (method + " " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port + "\r\n"
                + extraHeaders + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        HeadLoad load = new HeadLoad(new InetSocketAddress(uri.getHost(), port), request, method.equals("HEAD"),
                timeoutSeconds * 1_000_000_000L);

        threads = Math.max(1, Math.min(threads, connections));
        System.out.printf("Running %ds test @ %s (%s)%n  %d threads and %d connections%n",
                seconds, url, method, threads, connections);
        if (warmupSeconds > 0) {
            load.run(connections, threads, System.nanoTime() + warmupSeconds * 1_000_000_000L); // JIT, not measured
        }
        long start = System.nanoTime();
        Stats total = load.run(connections, threads, start + seconds * 1_000_000_000L);
        long durationMicros = (System.nanoTime() - start) / 1000;
        System.out.printf("  %d requests in %.2fs, %d bytes read%nRequests/sec: %.2f%n", total.requests,
                durationMicros / 1e6, total.bytes, total.requests / (durationMicros / 1e6));
        System.out.printf("RESULT {\"requests\":%d,\"bytes\":%d,\"duration_us\":%d,\"p50_us\":%d,\"p99_us\":%d,"
                        + "\"max_us\":%d,\"connect_errors\":%d,\"read_errors\":%d,\"write_errors\":%d,"
                        + "\"status_errors\":%d,\"timeouts\":%d}%n",
                total.requests, total.bytes, durationMicros, total.percentileMicros(50), total.percentileMicros(99),
                total.maxMicros, total.connectErrors, total.readErrors, total.writeErrors, total.statusErrors,
                total.timeouts);
    }

    private Stats run(int connections, int threads, long deadline) throws InterruptedException {
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int share = connections / threads + (t < connections % threads ? 1 : 0);
            Worker worker = new Worker(share, deadline);
            workers.add(worker);
            worker.start();
        }
        Stats total = new Stats();
        for (Worker worker : workers) {
            worker.join();
            total.add(worker.stats);
        }
        return total;
    }

    /** One thread driving its share of the connections with one selector. */
    private final class Worker extends Thread {
        final Stats stats = new Stats();
        private final int connections;
        private final long deadline;

        Worker(int connections, long deadline) {
            super("load");
            this.connections = connections;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            try (Selector selector = Selector.open()) {
                for (int i = 0; i < connections; i++) {
                    open(selector);
                }
                while (System.nanoTime() < deadline) {
                    selector.select(10);
                    for (SelectionKey key : selector.selectedKeys()) {
                        handle(selector, key);
                    }
                    selector.selectedKeys().clear();
                    long now = System.nanoTime();
                    for (SelectionKey key : selector.keys()) {
                        Connection c = (Connection) key.attachment();
                        if (c.sentAt != 0 && now - c.sentAt > timeoutNanos) {
                            stats.timeouts++;
                            c.sentAt = now; // count each stuck request once per timeout period, as wrk does
                        }
                    }
                }
                for (SelectionKey key : selector.keys()) {
                    key.channel().close();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void open(Selector selector) {
            try {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.connect(address);
                channel.register(selector, SelectionKey.OP_CONNECT, new Connection());
            } catch (IOException e) {
                stats.connectErrors++;
            }
        }

        private void handle(Selector selector, SelectionKey key) {
            SocketChannel channel = (SocketChannel) key.channel();
            Connection c = (Connection) key.attachment();
            try {
                if (key.isConnectable()) {
                    if (!channel.finishConnect()) {
                        return;
                    }
                    key.interestOps(SelectionKey.OP_READ);
                    send(channel, c);
                } else if (key.isReadable()) {
                    c.in.clear();
                    int n = channel.read(c.in);
                    if (n < 0) {
                        throw new IOException("closed by server");
                    }
                    stats.bytes += n;
                    c.in.flip();
                    if (c.consume(c.in)) {
                        stats.record((System.nanoTime() - c.sentAt) / 1000, c.status);
                        c.reset();
                        send(channel, c);
                    }
                }
            } catch (IOException e) {
                if (key.isValid() && key.isConnectable()) {
                    stats.connectErrors++;
                } else {
                    stats.readErrors++;
                }
                key.cancel();
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already counted
                }
                if (System.nanoTime() < deadline) {
                    open(selector);
                }
            }
        }

        private void send(SocketChannel channel, Connection c) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(request);
            c.sentAt = System.nanoTime();
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    stats.writeErrors++; // a tiny request not fitting an empty socket buffer: give up on it
                    throw new IOException("socket buffer full");
                }
            }
        }
    }

    /** Parser state of one connection: finds the end of the headers, then skips any body. */
    private final class Connection {
        final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        final byte[] header = new byte[64 * 1024];
        int headerLength;
        int matched; // how much of "\r\n\r\n" the last header bytes match
        long sentAt;
        int status;
        long bodyLeft = -1; // -1 while reading headers

        /** Consumes bytes; true when the response is complete. */
        boolean consume(ByteBuffer buf) throws IOException {
            while (buf.hasRemaining()) {
                if (bodyLeft < 0) {
                    byte b = buf.get();
                    if (headerLength == header.length) {
                        throw new IOException("headers over 64 KiB");
                    }
                    header[headerLength++] = b;
                    matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
                    if (matched == 4) {
                        bodyLeft = bodyLength();
                    }
                } else {
                    int skip = (int) Math.min(bodyLeft, buf.remaining());
                    buf.position(buf.position() + skip);
                    bodyLeft -= skip;
                }
                if (bodyLeft == 0) {
                    if (buf.hasRemaining()) {
                        throw new IOException("bytes after a complete response");
                    }
                    return true;
                }
            }
            return false;
        }

        private long bodyLength() throws IOException {
            if (headerLength < 12 || header[0] != 'H' || header[5] != '1' || header[8] != ' ') {
                throw new IOException("not an HTTP/1.x response");
            }
            status = (header[9] - '0') * 100 + (header[10] - '0') * 10 + (header[11] - '0');
            if (head || status < 200 || status == 204 || status == 304) {
                return 0;
            }
            String text = new String(header, 0, headerLength, StandardCharsets.ISO_8859_1);
            for (String line : text.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                    return Long.parseLong(line.substring(colon + 1).trim());
                }
            }
            throw new IOException("response without Content-Length");
        }

        void reset() {
            headerLength = 0;
            matched = 0;
            bodyLeft = -1;
            sentAt = 0;
        }
    }

    /** Counters and a latency histogram with 1 µs buckets below 1 ms and ~1% wide buckets above. */
    private static final class Stats {
        private static final int LINEAR = 1000;
        private static final double STEP = Math.log(1.01);
        final long[] buckets = new long[LINEAR + 1200]; // 1.01^1200 ms is far beyond any timeout
        long requests;
        long bytes;
        long maxMicros;
        long connectErrors;
        long readErrors;
        long writeErrors;
        long statusErrors;
        long timeouts;

        void record(long micros, int status) {
            requests++;
            if (status >= 400) {
                statusErrors++;
            }
            maxMicros = Math.max(maxMicros, micros);
            int index = micros < LINEAR ? (int) micros : LINEAR + (int) (Math.log(micros / (double) LINEAR) / STEP);
            buckets[Math.min(index, buckets.length - 1)]++;
        }

        void add(Stats other) {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] += other.buckets[i];
            }
            requests += other.requests;
            bytes += other.bytes;
            maxMicros = Math.max(maxMicros, other.maxMicros);
            connectErrors += other.connectErrors;
            readErrors += other.readErrors;
            writeErrors += other.writeErrors;
            statusErrors += other.statusErrors;
            timeouts += other.timeouts;
        }

        long percentileMicros(double percent) {
            if (requests == 0) {
                return 0;
            }
            long wanted = (long) Math.ceil(requests * percent / 100.0);
            long seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                seen += buckets[i];
                if (seen >= wanted) {
                    return i < LINEAR ? i : (long) (LINEAR * Math.exp((i - LINEAR + 1) * STEP));
                }
            }
            return maxMicros;
        }
    }
}
