package dev.vod.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An RTSP 1.0 load generator: N sessions of one URL played at once, each over UDP or interleaved TCP, and how
 * many of them keep up with real time.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.vod.bench.RtspLoad --url rtsp://127.0.0.1:8554/film.mp4 \
 *     --sessions 100 --transport udp|tcp --duration 20 [--threads 2] [--setup-concurrency 8] [--timeout 10] \
 *     [--keepalive 20] [--client-port-base 20000] [--server-pid PID --clk-tck 100]
 * </pre>
 *
 * <p>Each session ({@link RtspSession}) does DESCRIBE, SETUP of every track of the SDP (its {@code a=control}
 * resolved against Content-Base), PLAY; {@code --setup-concurrency} handshakes run at a time. When the last one
 * is done the measured window of {@code --duration} seconds starts; then every session sends TEARDOWN. A
 * session's packets count from its PLAY to the end of the window, and so does its wall time. Per session: RTP
 * packets and bytes, lost packets (sequence numbers, per SSRC), media time received (RTP timestamps from the
 * RTP-Info position, over the rtpmap clock rate; the least of its tracks) and the startup time, from sending
 * DESCRIBE to the first RTP packet. A session is <em>at real time</em> when its media time is at least 95% of
 * its wall time and it lost under 1% of its packets. GET_PARAMETER (OPTIONS if the server refuses it) keeps the
 * sessions alive every {@code --keepalive} seconds, or half the Session timeout if shorter.
 *
 * <p>It has to be cheap, as it shares the machine with the server: {@code --threads} receiver threads each run
 * one selector over their sessions' TCP connections or UDP channels, read as much as is there per wake-up, and
 * look only at the 12-byte RTP header. With {@code --server-pid} it also reads the server's CPU time
 * (/proc/PID/stat) at the start and the end of the window, so the set-up and the TEARDOWNs fall outside it. The
 * last line is {@code RESULT {json}}; a summary goes to stderr.
 */
public final class RtspLoad {
    private static final double REALTIME_SHARE = 0.95;
    private static final double MAX_LOSS = 0.01;

    /** Runs the load and prints the result; see the class comment for the flags. */
    public static void main(String[] args) throws Exception {
        String url = null;
        String transport = "udp";
        int sessions = 10;
        int seconds = 20;
        int threads = 2;
        int setupConcurrency = 8;
        int timeoutSeconds = 10;
        int keepAliveSeconds = 20;
        int clientPortBase = 20000;
        long serverPid = -1;
        int clockTicks = 100;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--url" -> url = value;
                case "--transport" -> transport = value.toLowerCase(Locale.ROOT);
                case "--sessions" -> sessions = Integer.parseInt(value);
                case "--duration" -> seconds = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--setup-concurrency" -> setupConcurrency = Integer.parseInt(value);
                case "--timeout" -> timeoutSeconds = Integer.parseInt(value);
                case "--keepalive" -> keepAliveSeconds = Integer.parseInt(value);
                case "--client-port-base" -> clientPortBase = Integer.parseInt(value);
                case "--server-pid" -> serverPid = Long.parseLong(value);
                case "--clk-tck" -> clockTicks = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (url == null || !(transport.equals("udp") || transport.equals("tcp"))) {
            throw new IllegalArgumentException("--url rtsp://... is required, --transport is udp or tcp");
        }
        URI uri = URI.create(url);
        boolean tcp = transport.equals("tcp");
        long timeoutNanos = TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long keepAliveNanos = TimeUnit.SECONDS.toNanos(keepAliveSeconds);
        long cpuBefore = processCpuNanos();

        Receiver[] receivers = new Receiver[threads];
        for (int i = 0; i < threads; i++) {
            receivers[i] = new Receiver();
            receivers[i].thread.start();
        }
        List<RtspSession> all = new ArrayList<>();
        AtomicInteger clientPorts = new AtomicInteger(clientPortBase);
        ThreadLocal<Selector> selectors = ThreadLocal.withInitial(RtspLoad::openSelector);
        ExecutorService setup = Executors.newFixedThreadPool(setupConcurrency);
        long setupStart = System.nanoTime();
        for (int i = 0; i < sessions; i++) {
            RtspSession session = new RtspSession(i, uri, tcp);
            session.keepAliveNanos = keepAliveNanos;
            all.add(session);
            Receiver receiver = receivers[i % threads];
            setup.execute(() -> {
                if (session.open(selectors.get(), timeoutNanos, clientPorts)) {
                    receiver.add(session);
                }
            });
        }
        setup.shutdown();
        if (!setup.awaitTermination(timeoutSeconds * 4L + sessions, TimeUnit.SECONDS)) {
            System.err.println("RtspLoad: set-up still running; measuring the sessions that are playing");
        }
        long setupNanos = System.nanoTime() - setupStart;
        long serverTicks = serverTicks(serverPid);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (Receiver r : receivers) {
            r.end = end;
            r.selector.wakeup();
        }
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000), (int) (left % 1_000_000));
        }
        double serverCpu = (serverTicks(serverPid) - serverTicks) / (double) clockTicks;
        double window = (System.nanoTime() - start) / 1e9;
        for (Receiver r : receivers) {
            r.thread.join();
        }
        long cpuNanos = processCpuNanos() - cpuBefore;
        report(all, transport, seconds, end, setupNanos, cpuNanos, serverPid < 0 ? -1 : serverCpu, window);
    }

    /** One thread and its selector, with the sessions handed to it once they play. */
    private static final class Receiver implements Runnable {
        final Selector selector = openSelector();
        final Thread thread = new Thread(this, "rtsp-receiver");
        final ConcurrentLinkedQueue<RtspSession> incoming = new ConcurrentLinkedQueue<>();
        final List<RtspSession> sessions = new ArrayList<>();
        final ByteBuffer datagram = ByteBuffer.allocateDirect(65536);
        volatile long end = Long.MAX_VALUE;

        void add(RtspSession session) {
            incoming.add(session);
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                long nextTick = 0;
                long stopAt = Long.MAX_VALUE;
                while (true) {
                    long now = System.nanoTime();
                    long wait = Math.max(1, Math.min(100, (Math.min(end, stopAt) - now) / 1_000_000));
                    selector.select(wait);
                    adopt();
                    for (SelectionKey key : selector.selectedKeys()) {
                        readable(key);
                    }
                    selector.selectedKeys().clear();
                    now = System.nanoTime();
                    if (stopAt == Long.MAX_VALUE && now >= end) {
                        // The window is over: freeze the counts, say goodbye, read answers for up to 2 s.
                        for (RtspSession s : sessions) {
                            s.counting = false;
                            try {
                                s.teardown();
                            } catch (IOException e) {
                                s.teardownAnswered = true;
                            }
                        }
                        stopAt = now + TimeUnit.SECONDS.toNanos(2);
                    } else if (stopAt != Long.MAX_VALUE
                            && (now >= stopAt || sessions.stream().allMatch(s -> s.teardownAnswered))) {
                        break;
                    } else if (stopAt == Long.MAX_VALUE && now >= nextTick) {
                        for (RtspSession s : sessions) {
                            try {
                                s.tick(now);
                            } catch (IOException e) {
                                fail(s, e);
                            }
                        }
                        nextTick = now + TimeUnit.SECONDS.toNanos(1);
                    }
                }
            } catch (IOException e) {
                e.printStackTrace();
            } finally {
                adopt();
                sessions.forEach(RtspSession::close);
            }
        }

        private void adopt() {
            RtspSession s;
            while ((s = incoming.poll()) != null) {
                sessions.add(s);
                try {
                    s.control.register(selector, SelectionKey.OP_READ, s);
                    for (int i = 0; i < s.datagrams.size(); i++) {
                        s.datagrams.get(i).register(selector, SelectionKey.OP_READ,
                                new RtspSession.Endpoint(s, i / 2, i % 2 == 1));
                    }
                } catch (IOException e) {
                    fail(s, e);
                }
            }
        }

        private void readable(SelectionKey key) {
            if (!key.isValid()) {
                return;
            }
            if (key.attachment() instanceof RtspSession s) {
                try {
                    if (!s.readControl()) {
                        if (s.counting) {
                            fail(s, new IOException("connection closed by the server"));
                        } else {
                            s.teardownAnswered = true;
                        }
                        key.cancel();
                    }
                } catch (IOException e) {
                    fail(s, e);
                    key.cancel();
                }
                return;
            }
            RtspSession.Endpoint e = (RtspSession.Endpoint) key.attachment();
            DatagramChannel channel = (DatagramChannel) key.channel();
            try {
                for (int i = 0; i < 64; i++) { // what is queued, within reason: other channels wait too
                    datagram.clear();
                    if (channel.receive(datagram) == null) {
                        break;
                    }
                    if (!e.rtcp()) {
                        datagram.flip();
                        e.session().datagram(e.track(), datagram);
                    }
                }
            } catch (IOException ex) {
                fail(e.session(), ex);
                key.cancel();
            }
        }

        private static void fail(RtspSession s, IOException e) {
            if (s.error == null && s.counting) {
                s.error = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
    }

    // ------------------------------------------------------------------------------------------ results

    private static void report(List<RtspSession> all, String transport, int seconds, long end, long setupNanos,
            long cpuNanos, double serverCpu, double window) {
        int playing = 0;
        int atRealtime = 0;
        long packets = 0;
        long bytes = 0;
        long lost = 0;
        long expected = 0;
        long gaps = 0;
        long malformed = 0;
        double sessionSeconds = 0;
        double mbps = 0;
        List<Double> startups = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> lateness = new ArrayList<>();
        String firstError = null;
        int errors = 0;
        for (RtspSession s : all) {
            if (s.error != null) {
                errors++;
                if (firstError == null) {
                    firstError = "session " + s.index + ": " + s.error;
                }
            }
            if (!s.playing) {
                continue; // failed in set-up
            }
            playing++;
            double wall = (end - s.playSent) / 1e9;
            double media = Double.MAX_VALUE;
            long sLost = 0;
            long sExpected = 0;
            long sBytes = 0;
            for (RtspTrack t : s.tracks) {
                media = Math.min(media, t.mediaSeconds());
                packets += t.packets;
                sBytes += t.bytes;
                sLost += t.lost();
                sExpected += t.expected();
                gaps += t.gaps;
            }
            bytes += sBytes;
            lost += sLost;
            expected += sExpected;
            malformed += s.malformed;
            sessionSeconds += wall;
            mbps += sBytes * 8 / wall / 1e6;
            ratios.add(media / wall);
            lateness.add(Math.max(0, wall - media) * 1000);
            if (s.firstPacket != 0) {
                startups.add((s.firstPacket - s.describeSent) / 1e6);
            }
            double loss = sExpected == 0 ? 1 : (double) sLost / sExpected;
            if (media >= REALTIME_SHARE * wall && loss < MAX_LOSS && s.error == null) {
                atRealtime++;
            }
        }
        double lossPct = expected == 0 ? 0 : 100.0 * lost / expected;
        String json = String.format(Locale.ROOT, "{\"sessions\":%d,\"transport\":\"%s\",\"duration_s\":%d,"
                        + "\"playing\":%d,\"sessions_at_realtime\":%d,\"errors\":%d,"
                        + "\"startup_ms_p50\":%.1f,\"startup_ms_p95\":%.1f,\"startup_ms_max\":%.1f,"
                        + "\"setup_s\":%.2f,\"total_mbps\":%.1f,\"loss_pct\":%.3f,\"lost\":%d,\"gaps\":%d,"
                        + "\"packets\":%d,\"bytes\":%d,\"malformed\":%d,\"session_seconds\":%.1f,"
                        + "\"media_ratio_min\":%.3f,\"media_ratio_p50\":%.3f,"
                        + "\"lateness_ms_p50\":%.0f,\"lateness_ms_max\":%.0f,\"client_cpu_s\":%.2f,"
                        + "\"server_cpu_window_s\":%.2f,\"window_s\":%.2f,\"error\":%s}",
                all.size(), transport, seconds, playing, atRealtime, errors,
                percentile(startups, 50), percentile(startups, 95), percentile(startups, 100),
                setupNanos / 1e9, mbps, lossPct, lost, gaps, packets, bytes, malformed, sessionSeconds,
                percentile(ratios, 0), percentile(ratios, 50), percentile(lateness, 50), percentile(lateness, 100),
                cpuNanos / 1e9, serverCpu, window, firstError == null ? "null" : quote(firstError));
        System.err.printf(Locale.ROOT, "%d/%d sessions at real time (%d playing, %d errors) over %s, "
                        + "startup p50 %.0f ms p95 %.0f ms, %.1f Mbit/s, loss %.3f%%, client CPU %.2f s%n",
                atRealtime, all.size(), playing, errors, transport, percentile(startups, 50),
                percentile(startups, 95), mbps, lossPct, cpuNanos / 1e9);
        if (firstError != null) {
            System.err.println("first error: " + firstError);
        }
        System.out.println("RESULT " + json);
    }

    /** Nearest-rank percentile (0 = min, 100 = max); NaN written as -1 for an empty list. */
    private static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return -1;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int rank = (int) Math.ceil(p / 100 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** User + system clock ticks of process {@code pid} so far (fields 14 and 15 of /proc/PID/stat); 0 if none. */
    private static long serverTicks(long pid) {
        if (pid < 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Field 2 is "(command)" and may hold spaces: count the fields after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static Selector openSelector() {
        try {
            return Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
