package dev.vod.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Live HLS viewers at the live edge, for {@code benchmarks/live.sh}: {@link LiveViewer}s (one keep-alive connection
 * each) on a few {@link LiveLoop} threads, and a {@link LiveWatcher} that notes when each segment appears and when
 * its first frame was captured (from the publisher's wall-clock start, {@code --publisher-start}, epoch
 * milliseconds, taken just before ffmpeg starts). Viewers join spread over one second (a reload interval of a 2 s
 * target) and send blocking playlist reloads where the playlist allows them, as hls.js does, unless
 * {@code --no-blocking-reload}. Two modes:
 *
 * <ul>
 *   <li><b>steady state</b> ({@code --schedule 100,500}): one audience that grows and keeps its connections.
 *       Viewers join up to the first count, which plays for {@code --warmup} seconds (not measured), then a window
 *       of {@code --duration} seconds is measured; then more viewers join up to the next count (the others keep
 *       theirs), {@code --settle} seconds pass, the next window is measured, and so on. {@link LiveCpu} reads the
 *       server's CPU ({@code --server-pid}, and the publisher's with {@code --publisher-pid}) at both ends of each
 *       window. One {@code RESULT} line per window, printed at its end.</li>
 *   <li><b>single run</b> ({@code --viewers N}, the churn mode of live.sh: one process per viewer count): N viewers
 *       join, play for {@code --duration} seconds, then reload no more but finish the segments already listed, for
 *       up to 5 s; one {@code RESULT} line for the whole run (CPU figures from before the watcher starts to after
 *       the loops stopped).</li>
 * </ul>
 *
 * {@link LiveReport} says what each figure of a {@code RESULT {json}} line (stdout) means; a summary goes to
 * stderr. When a viewer thread dies it prints no further {@code RESULT} and exits with status 1.
 *
 * <pre>
 * java -cp benchmarks.jar dev.vod.bench.LiveViewers --url http://127.0.0.1:8080/live/bench/master.m3u8 \
 *     --schedule 100,500 --warmup 20 --duration 30 --server-pid 4242 --publisher-start 1796178007221
 * </pre>
 */
public final class LiveViewers {
    /** The options that take no value. */
    private static final Set<String> FLAGS = Set.of("--no-blocking-reload");
    private static final String USAGE = "usage: LiveViewers --url PLAYLIST (--schedule N,N... [--warmup S] [--settle S]"
            + " | --viewers N) [--duration S] [--server-pid PID] [--publisher-pid PID] [--no-blocking-reload]"
            + " [--threads T] [--publisher-start EPOCH_MS] [--media-offset S] [--grace S] [--watch-ms MS]";

    private final URI url;
    private final int[] schedule;
    private final int viewerCount;
    private final double durationSeconds;
    private final double warmupSeconds;
    private final double settleSeconds;
    private final LiveReport report;
    private final LiveCpu cpu;
    private final long watchMillis;
    private final boolean blockingReload;
    private final LiveLoop[] loops;
    private final InetSocketAddress address;
    private final List<LiveViewer> viewers = new ArrayList<>();
    private LiveWatcher watcher;
    private URI media;
    private boolean master;
    private volatile boolean running = true;

    private LiveViewers(Map<String, String> a) {
        url = URI.create(a.get("url"));
        schedule = a.containsKey("schedule")
                ? Arrays.stream(a.get("schedule").split(",")).mapToInt(Integer::parseInt).toArray() : null;
        viewerCount = Integer.parseInt(a.getOrDefault("viewers", "100"));
        durationSeconds = Double.parseDouble(a.getOrDefault("duration", "30"));
        warmupSeconds = Double.parseDouble(a.getOrDefault("warmup", "20"));
        settleSeconds = Double.parseDouble(a.getOrDefault("settle", "5"));
        blockingReload = !a.containsKey("no-blocking-reload");
        report = new LiveReport(Long.parseLong(a.getOrDefault("publisher-start", "0")),
                Double.parseDouble(a.getOrDefault("media-offset", "0")),
                Double.parseDouble(a.getOrDefault("grace", "3")), blockingReload);
        cpu = new LiveCpu(Long.parseLong(a.getOrDefault("server-pid", "0")),
                Long.parseLong(a.getOrDefault("publisher-pid", "0")));
        watchMillis = Long.parseLong(a.getOrDefault("watch-ms", "100"));
        loops = new LiveLoop[Integer.parseInt(a.getOrDefault("threads", "2"))];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new LiveLoop("live-viewers-" + i);
        }
        address = new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort());
        if (schedule != null && (a.containsKey("viewers") || schedule.length == 0 || schedule[0] < 1
                || !Arrays.equals(schedule, Arrays.stream(schedule).sorted().distinct().toArray()))) {
            throw new IllegalArgumentException("--schedule takes increasing viewer counts, and no --viewers");
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name [value], got " + args[i]);
            }
            if (FLAGS.contains(args[i])) {
                a.put(args[i].substring(2), "");
            } else if (i + 1 < args.length) {
                a.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
        }
        if (!a.containsKey("url")) {
            System.err.println(USAGE);
            System.exit(2);
        }
        LiveViewers run = new LiveViewers(a);
        LiveCpu.Sample before = run.cpu.sample(); // the single run's figures start here, as they always have
        run.start();
        if (run.schedule != null) {
            run.steady();
        } else {
            run.single(before);
        }
    }

    /** Finds the media playlist, starts the loops and the watcher, and gives it a second to see what is there. */
    private void start() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String first = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        master = first.contains("#EXT-X-STREAM-INF");
        media = master ? url.resolve(variant(first)) : url;
        watcher = new LiveWatcher(loops[0], address, watchMillis, () -> running);
        for (LiveLoop loop : loops) {
            loop.start();
        }
        loops[0].submit(() -> watcher.start(media));
        Thread.sleep(1000); // the watcher's first reload: what is already listed is "already there"
    }

    private static String variant(String master) {
        for (String line : master.split("\n")) {
            line = line.trim();
            if (!line.isEmpty() && !line.startsWith("#")) {
                return line;
            }
        }
        throw new IllegalStateException("no variant in the master playlist");
    }

    /** New viewers up to {@code count}, joining spread over the next second; the others go on as they are. */
    private void grow(int count) {
        int from = viewers.size();
        long startNanos = System.nanoTime();
        for (int i = from; i < count; i++) {
            LiveViewer v = new LiveViewer(i, loops[i % loops.length], address, master ? url : null, media,
                    () -> running, blockingReload);
            viewers.add(v);
            long at = startNanos + 1_000_000_000L * (i - from) / Math.max(1, count - from);
            v.loop.submit(() -> v.loop.at(at, v::start));
        }
    }

    private void steady() throws Exception {
        for (int w = 0; w < schedule.length; w++) {
            grow(schedule[w]);
            sleep(w == 0 ? warmupSeconds : settleSeconds);
            LiveCpu.Sample c0 = cpu.sample();
            List<LiveViewer.Tally> t0 = tallies();
            int failures0 = watch().failures();
            sleep(durationSeconds);
            LiveCpu.Sample c1 = cpu.sample();
            List<LiveViewer.Tally> t1 = tallies();
            LiveWatcher.Snapshot seen = watch();
            exitIfALoopDied();
            report.write(new LiveReport.Window("steady", w + 1, schedule.length, c0.epochMillis(), c1.epochMillis(),
                    false), seen, failures0, t0, t1, cpu.between(c0, c1));
        }
        stopLoops();
    }

    private void single(LiveCpu.Sample c0) throws Exception {
        long start = System.currentTimeMillis();
        grow(viewerCount);
        long end = start + Math.round(durationSeconds * 1000);
        Thread.sleep(Math.max(0, end - System.currentTimeMillis()));
        running = false; // no more reloads; segments already listed are still fetched, for up to 5 s
        long drainUntil = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < drainUntil && !drained()) {
            Thread.sleep(50);
        }
        stopLoops();
        LiveCpu.Sample c1 = cpu.sample();
        List<LiveViewer.Tally> tallies = new ArrayList<>();
        for (LiveViewer v : viewers) {
            tallies.add(v.tally()); // the loops have stopped: safe to read here
        }
        report.write(new LiveReport.Window("churn", 1, 1, start, end, true), watcher.snapshot(), 0, null, tallies,
                cpu.between(c0, c1));
    }

    /** Every viewer's counters, each copied on its own loop while the viewers run. */
    private List<LiveViewer.Tally> tallies() throws Exception {
        exitIfALoopDied();
        LiveViewer.Tally[] out = new LiveViewer.Tally[viewers.size()];
        for (int k = 0; k < loops.length; k++) {
            int loop = k;
            loops[k].call(() -> {
                for (int i = loop; i < out.length; i += loops.length) {
                    out[i] = viewers.get(i).tally();
                }
            });
        }
        return List.of(out);
    }

    private LiveWatcher.Snapshot watch() throws Exception {
        LiveWatcher.Snapshot[] out = new LiveWatcher.Snapshot[1];
        loops[0].call(() -> out[0] = watcher.snapshot());
        return out[0];
    }

    private boolean drained() {
        for (LiveViewer v : viewers) {
            if (!v.idle()) {
                return false;
            }
        }
        return true;
    }

    private void stopLoops() throws InterruptedException {
        running = false;
        for (LiveLoop loop : loops) {
            loop.stop();
        }
        for (LiveLoop loop : loops) {
            loop.join();
        }
        exitIfALoopDied();
    }

    /** A dead loop stopped its viewers: no (further) RESULT line, so live.sh records the window as failed. */
    private void exitIfALoopDied() {
        for (LiveLoop loop : loops) {
            if (loop.failure() != null) {
                System.err.println("a viewer thread died: " + loop.failure());
                System.exit(1);
            }
        }
    }

    private static void sleep(double seconds) throws InterruptedException {
        Thread.sleep(Math.round(seconds * 1000));
    }
}
