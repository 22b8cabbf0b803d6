package dev.vod.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * N live HLS viewers at the live edge, for {@code benchmarks/live.sh}: {@link LiveViewer}s (one keep-alive
 * connection each) on a few {@link LiveLoop} threads, started spread over one reload interval, and a
 * {@link LiveWatcher} that notes when each segment appears and when its first frame was captured (from the
 * publisher's wall-clock start, {@code --publisher-start}, epoch milliseconds, taken just before ffmpeg starts).
 * They run for {@code --duration} seconds; then they reload no more but finish the segments already listed, for
 * up to 5 s, and {@link LiveReport} prints one line {@code RESULT {json}} on stdout, and a summary on stderr.
 * Viewers send blocking playlist reloads where the playlist allows them, as hls.js does, unless
 * {@code --no-blocking-reload}.
 *
 * <pre>
 * java -cp benchmarks.jar dev.vod.bench.LiveViewers --url http://127.0.0.1:8080/live/bench/master.m3u8 \
 *     --viewers 500 --duration 30 --publisher-start 1796178007221
 * </pre>
 */
public final class LiveViewers {
    /** The options that take no value. */
    private static final Set<String> FLAGS = Set.of("--no-blocking-reload");
    private final URI url;
    private final int viewerCount;
    private final double durationSeconds;
    private final LiveReport report;
    private final long watchMillis;
    private final boolean blockingReload;
    private final LiveLoop[] loops;
    private final InetSocketAddress address;
    private volatile boolean running = true;

    private LiveViewers(Map<String, String> a) {
        url = URI.create(a.get("url"));
        viewerCount = Integer.parseInt(a.getOrDefault("viewers", "100"));
        durationSeconds = Double.parseDouble(a.getOrDefault("duration", "30"));
        report = new LiveReport(Long.parseLong(a.getOrDefault("publisher-start", "0")),
                Double.parseDouble(a.getOrDefault("media-offset", "0")),
                Double.parseDouble(a.getOrDefault("grace", "3")));
        watchMillis = Long.parseLong(a.getOrDefault("watch-ms", "100"));
        blockingReload = !a.containsKey("no-blocking-reload");
        loops = new LiveLoop[Integer.parseInt(a.getOrDefault("threads", "2"))];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new LiveLoop("live-viewers-" + i);
        }
        address = new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort());
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
            System.err.println("usage: LiveViewers --url PLAYLIST [--viewers N] [--duration S] [--threads T]"
                    + " [--publisher-start EPOCH_MS] [--media-offset S] [--grace S] [--watch-ms MS]"
                    + " [--no-blocking-reload]");
            System.exit(2);
        }
        new LiveViewers(a).run();
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

    private void run() throws Exception {
        // The media playlist's URL, found once here so the watcher can start before the viewers.
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String first = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        boolean master = first.contains("#EXT-X-STREAM-INF");
        URI media = master ? url.resolve(variant(first)) : url;
        long cpuBefore = cpuNanos();

        LiveWatcher watcher = new LiveWatcher(loops[0], address, watchMillis, () -> running);
        for (LiveLoop loop : loops) {
            loop.start();
        }
        loops[0].submit(() -> watcher.start(media));
        Thread.sleep(1000); // the watcher's first reload: what is already listed is "already there"

        List<LiveViewer> viewers = new ArrayList<>();
        for (int i = 0; i < viewerCount; i++) {
            viewers.add(new LiveViewer(i, loops[i % loops.length], address, master ? url : null, media,
                    () -> running, blockingReload));
        }
        long start = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        long spread = 1_000_000_000L; // one reload interval of a 2 s target
        for (int i = 0; i < viewerCount; i++) {
            LiveViewer v = viewers.get(i);
            long at = startNanos + spread * i / Math.max(1, viewerCount);
            v.loop.submit(() -> v.loop.at(at, v::start));
        }
        long end = start + Math.round(durationSeconds * 1000);
        Thread.sleep(Math.max(0, end - System.currentTimeMillis()));
        running = false; // no more reloads; segments already listed are still fetched, for up to 5 s
        long drainUntil = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < drainUntil && !drained(viewers)) {
            Thread.sleep(50);
        }
        for (LiveLoop loop : loops) {
            loop.stop();
        }
        for (LiveLoop loop : loops) {
            loop.join();
            if (loop.failure() != null) {
                // Half the viewers stopped with it: no RESULT line, so live.sh records the run as failed.
                System.err.println("a viewer thread died: " + loop.failure());
                System.exit(1);
            }
        }
        long cpuAfter = cpuNanos();
        List<LiveViewer.Tally> tallies = new ArrayList<>();
        for (LiveViewer v : viewers) {
            tallies.add(v.tally()); // the loops have stopped: safe to read here
        }
        report.write(new LiveReport.Window(start, end, true), watcher.snapshot(), 0, null, tallies,
                (cpuAfter - cpuBefore) / 1e9);
    }

    private static boolean drained(List<LiveViewer> viewers) {
        for (LiveViewer v : viewers) {
            if (!v.idle()) {
                return false;
            }
        }
        return true;
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
