package dev.vod.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads every slice of a stretch of one object exactly once: each request a different aligned range, so a cache in
 * front of a store misses on every one (the cold-read workload of {@code benchmarks/source.sh}). wrk cannot do this:
 * it runs for a time, not through a list, and repeats would be cache hits.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.vod.bench.SliceLoad --url http://127.0.0.1:18080/big.bin \
 *     --size BYTES [--slice 1048576] [--first 0] [--count N] [--connections 16] [--order shuffled|sequential]
 *     [--seed 1] [--timeout 10] [--verify FILE]
 * </pre>
 *
 * <p>The slices {@code first .. first+count-1} (all of the object's from {@code first} by default) are put in one
 * order, shuffled with the seed by default, the same for every server, and handed out to the connections from a
 * shared counter: each connection sends one {@code Range: bytes=a-b} request, reads the whole answer, takes the
 * next slice (keep-alive, no pipelining; a connection the server closes is reopened). An answer that is not
 * {@code 206} with the slice's length is an error; with {@code --verify FILE} (the object's bytes on local disk)
 * every body is compared with the file too, so a fast wrong answer counts as a mismatch, not as throughput.
 *
 * <p>Prints a summary and one line
 * {@code RESULT {"requests":..,"bytes":..,"duration_us":..,"mib_per_s":..,"ttfb_p50_us":..,"ttfb_p99_us":..,
 * "p50_us":..,"p99_us":..,"max_us":..,"errors":..,"mismatches":..}}: the time to first byte is from writing the
 * request to the first byte of the status line, the latency from writing it to the body's last byte. Bodies must
 * carry a {@code Content-Length} (no chunked encoding).
 */
public final class SliceLoad {
    private final URI url;
    private final long size;
    private final int sliceBytes;
    private final int[] order;
    private final int timeoutMillis;
    private final Path verify;
    private final AtomicInteger next = new AtomicInteger();

    private SliceLoad(URI url, long size, int sliceBytes, int[] order, int timeoutMillis, Path verify) {
        this.url = url;
        this.size = size;
        this.sliceBytes = sliceBytes;
        this.order = order;
        this.timeoutMillis = timeoutMillis;
        this.verify = verify;
    }

    /** Runs the load and prints the result; see the class comment for the flags. */
    public static void main(String[] args) throws Exception {
        URI url = null;
        long size = -1;
        int slice = 1 << 20;
        long first = 0;
        long count = -1;
        int connections = 16;
        String orderName = "shuffled";
        long seed = 1;
        int timeoutSeconds = 10;
        Path verify = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--url" -> url = URI.create(value);
                case "--size" -> size = Long.parseLong(value);
                case "--slice" -> slice = Integer.parseInt(value);
                case "--first" -> first = Long.parseLong(value);
                case "--count" -> count = Long.parseLong(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--order" -> orderName = value;
                case "--seed" -> seed = Long.parseLong(value);
                case "--timeout" -> timeoutSeconds = Integer.parseInt(value);
                case "--verify" -> verify = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (url == null || size <= 0) {
            throw new IllegalArgumentException("--url and --size are required");
        }
        long slices = (size + slice - 1) / slice;
        if (count < 0) {
            count = slices - first;
        }
        if (first < 0 || count <= 0 || first + count > slices || first + count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("slices " + first + "+" + count + " of an object of " + slices);
        }
        int[] order = new int[(int) count];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) (first + i);
        }
        switch (orderName) {
            case "sequential" -> { }
            case "shuffled" -> shuffle(order, new Random(seed));
            default -> throw new IllegalArgumentException("--order must be shuffled or sequential");
        }
        new SliceLoad(url, size, slice, order, timeoutSeconds * 1000, verify).run(connections);
    }

    private void run(int connections) throws Exception {
        List<Connection> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            Connection worker = new Connection();
            workers.add(worker);
            worker.start();
        }
        long requests = 0;
        long bytes = 0;
        long errors = 0;
        long mismatches = 0;
        String firstError = null;
        long[] ttfb = new long[0];
        long[] latency = new long[0];
        for (Connection worker : workers) {
            worker.join();
            requests += worker.count;
            bytes += worker.bytes;
            errors += worker.errors;
            mismatches += worker.mismatches;
            if (firstError == null) {
                firstError = worker.firstError;
            }
            ttfb = concat(ttfb, worker.ttfb, worker.count);
            latency = concat(latency, worker.latency, worker.count);
        }
        long micros = (System.nanoTime() - start) / 1000;
        Arrays.sort(ttfb);
        Arrays.sort(latency);
        double mibPerSecond = bytes / (micros / 1e6) / (1 << 20);
        System.out.printf(Locale.ROOT, "%d slices of %d bytes over %d connections in %.2f s: %.1f MiB/s, "
                        + "time to first byte p50 %.1f ms p99 %.1f ms, latency p50 %.1f ms p99 %.1f ms, "
                        + "%d errors, %d mismatches%s%n", requests, sliceBytes, connections, micros / 1e6,
                mibPerSecond, percentile(ttfb, 50) / 1e3, percentile(ttfb, 99) / 1e3, percentile(latency, 50) / 1e3,
                percentile(latency, 99) / 1e3, errors, mismatches, firstError == null ? "" : " (" + firstError + ")");
        System.out.printf(Locale.ROOT, "RESULT {\"requests\":%d,\"bytes\":%d,\"duration_us\":%d,\"mib_per_s\":%.2f,"
                        + "\"ttfb_p50_us\":%d,\"ttfb_p99_us\":%d,\"p50_us\":%d,\"p99_us\":%d,\"max_us\":%d,"
                        + "\"errors\":%d,\"mismatches\":%d}%n", requests, bytes, micros, mibPerSecond,
                percentile(ttfb, 50), percentile(ttfb, 99), percentile(latency, 50), percentile(latency, 99),
                latency.length == 0 ? 0 : latency[latency.length - 1], errors, mismatches);
    }

    /** One keep-alive connection, taking slices from the shared counter until none are left. */
    private final class Connection extends Thread {
        private final byte[] buffer = new byte[64 * 1024];
        private final ByteBuffer expected;
        private final long[] ttfb = new long[order.length];
        private final long[] latency = new long[order.length];
        private int count;
        private long bytes;
        private long errors;
        private long mismatches;
        private String firstError;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Connection() {
            expected = verify == null ? null : ByteBuffer.allocate(sliceBytes);
        }

        @Override
        public void run() {
            try (FileChannel file = verify == null ? null : FileChannel.open(verify, StandardOpenOption.READ)) {
                for (int i; (i = next.getAndIncrement()) < order.length; ) {
                    long offset = (long) order[i] * sliceBytes;
                    int length = (int) Math.min(sliceBytes, size - offset);
                    try {
                        exchange(offset, length, file);
                    } catch (IOException | RuntimeException e) {
                        fail(e.toString());
                        close();
                    }
                }
            } catch (IOException e) {
                fail("cannot read " + verify + ": " + e);
            } finally {
                close();
            }
        }

        private void exchange(long offset, int length, FileChannel file) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(timeoutMillis);
                socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), timeoutMillis);
                in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                out = socket.getOutputStream();
            }
            String target = url.getRawQuery() == null ? url.getRawPath() : url.getRawPath() + "?" + url.getRawQuery();
            String request = "GET " + target + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nRange: bytes=" + offset + "-" + (offset + length - 1) + "\r\n\r\n";
            long begin = System.nanoTime();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int firstByte = in.read();
            long firstByteAt = System.nanoTime();
            if (firstByte < 0) {
                throw new IOException("connection closed before the answer");
            }
            String status = (char) firstByte + line();
            long contentLength = -1;
            boolean closes = false;
            for (String header; !(header = line()).isEmpty(); ) {
                int colon = header.indexOf(':');
                String name = colon < 0 ? header : header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = colon < 0 ? "" : header.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    contentLength = Long.parseLong(value);
                } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                    closes = true;
                } else if (name.equals("transfer-encoding")) {
                    throw new IOException("chunked answer (" + status + "): not supported");
                }
            }
            if (contentLength < 0) {
                throw new IOException("no Content-Length (" + status + ")");
            }
            boolean right = status.startsWith("HTTP/1.1 206") && contentLength == length;
            if (right && file != null) {
                expected.clear().limit(length);
                while (expected.hasRemaining() && file.read(expected, offset + expected.position()) > 0) {
                    // positional reads until the slice is in
                }
            }
            long read = 0;
            boolean same = true;
            while (read < contentLength) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, contentLength - read));
                if (n < 0) {
                    throw new IOException("connection closed after " + read + " of " + contentLength + " bytes");
                }
                if (right && file != null) {
                    same &= Arrays.equals(buffer, 0, n, expected.array(), (int) read, (int) read + n);
                }
                read += n;
            }
            long end = System.nanoTime();
            if (!right) {
                fail("slice at " + offset + ": " + status + ", " + contentLength + " bytes");
            } else if (!same) {
                mismatches++;
                if (firstError == null) {
                    firstError = "slice at " + offset + ": bytes differ from " + verify;
                }
            } else {
                ttfb[count] = (firstByteAt - begin) / 1000;
                latency[count] = (end - begin) / 1000;
                count++;
                bytes += read;
            }
            if (closes) {
                close();
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("connection closed in the answer's head");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        private void fail(String error) {
            errors++;
            if (firstError == null) {
                firstError = error;
            }
        }

        private void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                socket = null;
            }
        }
    }

    private static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    private static long[] concat(long[] all, long[] more, int count) {
        long[] joined = Arrays.copyOf(all, all.length + count);
        System.arraycopy(more, 0, joined, all.length, count);
        return joined;
    }

    private static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1L, (long) Math.ceil(percent / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)];
    }
}
