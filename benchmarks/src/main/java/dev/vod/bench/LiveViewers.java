package dev.vod.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * N live HLS viewers at the live edge, for {@code benchmarks/live.sh}. Each viewer, on its own keep-alive
 * connection: the master playlist once (when the URL is one), the media playlist every half target duration,
 * the init segment once ({@code EXT-X-MAP}), then every segment that appears after it joined, in full, in order;
 * it joins at the newest segment of its first playlist. Viewers start spread over one reload interval.
 *
 * <p>Besides them a <em>watcher</em> reloads the playlist every 100 ms on its own connection and notes the wall
 * clock at which each segment (and Low-Latency part) first appears, and fetches each one on a second connection
 * to read the media time its first video sample starts at ({@link LiveMedia}). With the publisher's wall-clock
 * start ({@code --publisher-start}, epoch milliseconds, taken just before ffmpeg starts) that gives when the
 * segment's first frame was captured: {@code capture = publisherStart + mediaStart - mediaOffset}.
 *
 * <ul>
 *   <li><b>latency</b>: for each segment a viewer fetched (except the one it joined at), the wall clock at its
 *       last byte minus its capture time;</li>
 *   <li><b>edge</b>: the first time the segment was in the playlist minus its capture time (the watcher's
 *       100 ms reloads make it late by 50 ms on average);</li>
 *   <li><b>pdt latency</b> (servers that write {@code EXT-X-PROGRAM-DATE-TIME}): last byte minus the segment's
 *       PDT, the same as latency but with the server's clock for the start;</li>
 *   <li><b>complete</b>: viewers that fetched every segment from the one they joined at to the last one that
 *       appeared at least {@code --grace} seconds before the end.</li>
 * </ul>
 *
 * Prints one line {@code RESULT {json}} on stdout, and a summary on stderr.
 *
 * <pre>
 * java -cp benchmarks.jar dev.vod.bench.LiveViewers --url http://127.0.0.1:8080/live/bench/master.m3u8 \
 *     --viewers 500 --duration 30 --publisher-start 1796178007221
 * </pre>
 */
public final class LiveViewers {
    private static final int KEEP_PLAYLIST = 256 * 1024;
    private static final int KEEP_MEDIA = 16 * 1024;

    private final URI url;
    private final int viewerCount;
    private final double durationSeconds;
    private final long publisherStart;
    private final double mediaOffset;
    private final double graceSeconds;
    private final long watchMillis;
    private final LiveLoop[] loops;
    private final InetSocketAddress address;
    private volatile boolean running = true;

    private LiveViewers(Map<String, String> a) {
        url = URI.create(a.get("url"));
        viewerCount = Integer.parseInt(a.getOrDefault("viewers", "100"));
        durationSeconds = Double.parseDouble(a.getOrDefault("duration", "30"));
        publisherStart = Long.parseLong(a.getOrDefault("publisher-start", "0"));
        mediaOffset = Double.parseDouble(a.getOrDefault("media-offset", "0"));
        graceSeconds = Double.parseDouble(a.getOrDefault("grace", "3"));
        watchMillis = Long.parseLong(a.getOrDefault("watch-ms", "100"));
        loops = new LiveLoop[Integer.parseInt(a.getOrDefault("threads", "2"))];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new LiveLoop("live-viewers-" + i);
        }
        address = new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort());
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            a.put(args[i].substring(2), args[i + 1]);
        }
        if (!a.containsKey("url")) {
            System.err.println("usage: LiveViewers --url PLAYLIST [--viewers N] [--duration S] [--threads T]"
                    + " [--publisher-start EPOCH_MS] [--media-offset S] [--grace S] [--watch-ms MS]");
            System.exit(2);
        }
        new LiveViewers(a).run();
    }

    // ------------------------------------------------------------------ the watcher

    /** What the watcher learnt of one segment or part. */
    private static final class Seen {
        long sequence = -1;
        long firstSeen = -1; // -1: already there at the watcher's first reload
        long pdt = -1;
        double mediaStart = Double.NaN;
        boolean part;
    }

    private final Map<String, Seen> seen = new HashMap<>(); // by URI, on loop 0 only
    private final Map<Long, String> uriOf = new HashMap<>();
    private long[] videoTrack;
    private boolean watcherFirst = true;

    private final class Watcher {
        final LiveHttp poller = new LiveHttp(loops[0], address, "LiveViewers/watcher");
        final LiveHttp fetcher = new LiveHttp(loops[0], address, "LiveViewers/watcher");
        final ArrayDeque<String> toFetch = new ArrayDeque<>();
        URI media;
        String map;
        int failures;

        void start(URI mediaUrl) {
            media = mediaUrl;
            reload();
        }

        void reload() {
            if (!running) {
                return;
            }
            poller.get(media.getRawPath(), KEEP_PLAYLIST, new LiveHttp.Done() {
                @Override
                public void ok(int status, long length, byte[] body, int kept, long end) {
                    if (status == 200) {
                        note(LivePlaylist.parse(new String(body, 0, kept, UTF_8)), end);
                    } else {
                        failures++;
                    }
                    again();
                }

                @Override
                public void failed(String why) {
                    failures++;
                    again();
                }
            });
        }

        void again() {
            loops[0].at(System.nanoTime() + watchMillis * 1_000_000, this::reload);
        }

        void note(LivePlaylist p, long now) {
            if (p.map() != null && map == null) {
                map = p.map();
                toFetch.addFirst(p.map());
            }
            for (LivePlaylist.Segment s : p.segments()) {
                Seen x = seen.get(s.uri());
                if (x == null) {
                    x = fresh(s.uri(), now);
                    x.sequence = s.sequence();
                    x.pdt = s.pdtMillis();
                    uriOf.put(s.sequence(), s.uri());
                } else if (x.part) { // listed as a part first? (not with the servers here)
                    x.part = false;
                }
            }
            for (LivePlaylist.Part part : p.parts()) {
                if (!seen.containsKey(part.uri())) {
                    fresh(part.uri(), now).part = true;
                }
            }
            watcherFirst = false;
            fetchNext();
        }

        Seen fresh(String uri, long now) {
            Seen x = new Seen();
            x.firstSeen = watcherFirst ? -1 : now;
            seen.put(uri, x);
            toFetch.add(uri);
            return x;
        }

        void fetchNext() {
            if (fetcher.busy() || toFetch.isEmpty()) {
                return;
            }
            String uri = toFetch.poll();
            fetcher.get(media.resolve(uri).getRawPath(), uri.equals(map) ? KEEP_PLAYLIST : KEEP_MEDIA,
                    new LiveHttp.Done() {
                        @Override
                        public void ok(int status, long length, byte[] body, int kept, long end) {
                            if (status != 200) {
                                failures++;
                            } else if (uri.equals(map)) {
                                videoTrack = LiveMedia.videoTrack(Arrays.copyOf(body, kept));
                            } else {
                                Seen x = seen.get(uri);
                                x.mediaStart = uri.contains(".ts") ? LiveMedia.tsStart(body, kept)
                                        : LiveMedia.fmp4Start(body, kept, videoTrack);
                            }
                            fetchNext();
                        }

                        @Override
                        public void failed(String why) {
                            failures++;
                            fetchNext();
                        }
                    });
        }
    }

    // ------------------------------------------------------------------ the viewers

    private final class Viewer {
        final LiveLoop loop;
        final LiveHttp http;
        final ArrayDeque<LivePlaylist.Segment> queue = new ArrayDeque<>();
        URI media;
        long pollNanos = 1_000_000_000L;
        boolean pollDue;
        boolean initDone;
        String init;
        long joinSequence = -1;
        long lastQueued = -1;
        long lastCompleted;
        // results
        long segments;
        long bytes;
        long requests;
        long failed;
        long missed;
        final List<long[]> fetched = new ArrayList<>(); // {sequence, endMillis}
        final Set<String> errors = new LinkedHashSet<>();

        Viewer(int index) {
            loop = loops[index % loops.length];
            http = new LiveHttp(loop, address, "LiveViewers/" + index);
        }

        /** Joins: the master playlist first when there is one (a player's first request), then the reloads. */
        void start(URI mediaUrl, boolean master) {
            media = mediaUrl;
            if (master) {
                request(url.getRawPath(), 0, (status, length, body, kept, end) -> { });
            }
            tick();
        }

        /** Reloads at a fixed rate of half the target duration, as hls.js does at the live edge. */
        void tick() {
            if (!running) {
                return;
            }
            if (http.busy()) {
                pollDue = true;
            } else {
                poll();
            }
            loop.at(System.nanoTime() + pollNanos, this::tick);
        }

        void poll() {
            pollDue = false;
            request(media.getRawPath(), KEEP_PLAYLIST, (status, length, body, kept, end) ->
                    playlist(LivePlaylist.parse(new String(body, 0, kept, UTF_8))));
        }

        void playlist(LivePlaylist p) {
            if (p.targetSeconds() > 0) {
                pollNanos = Math.round(p.targetSeconds() / 2 * 1e9);
            }
            if (p.map() != null && !p.map().equals(init)) {
                init = p.map();
                initDone = false;
            }
            List<LivePlaylist.Segment> segs = p.segments();
            if (segs.isEmpty()) {
                return;
            }
            if (joinSequence < 0) {
                LivePlaylist.Segment edge = segs.get(segs.size() - 1);
                joinSequence = edge.sequence();
                lastQueued = edge.sequence();
                queue.add(edge);
                return;
            }
            if (segs.get(0).sequence() > lastQueued + 1) { // fell out of the window before it was listed here
                missed += segs.get(0).sequence() - lastQueued - 1;
            }
            for (LivePlaylist.Segment s : segs) {
                if (s.sequence() > lastQueued) {
                    queue.add(s);
                    lastQueued = s.sequence();
                }
            }
        }

        /** After each response: a due reload first, then the init segment, then the next segment. */
        void next() {
            if (http.busy()) {
                return;
            }
            if (pollDue && running) {
                poll();
            } else if (init != null && !initDone) {
                initDone = true;
                request(media.resolve(init).getRawPath(), 0, (status, length, body, kept, end) -> { });
            } else if (!queue.isEmpty()) {
                LivePlaylist.Segment s = queue.poll();
                request(media.resolve(s.uri()).getRawPath(), 0, (status, length, body, kept, end) -> {
                    segments++;
                    fetched.add(new long[] {s.sequence(), end});
                });
            }
        }

        void request(String path, int keep, Ok ok) {
            requests++;
            http.get(path, keep, new LiveHttp.Done() {
                @Override
                public void ok(int status, long length, byte[] body, int kept, long end) {
                    bytes += length;
                    lastCompleted = end;
                    if (status == 200) {
                        ok.ok(status, length, body, kept, end);
                    } else {
                        failed++;
                        errors.add("HTTP " + status + " for " + path.replaceAll("[0-9]+", "N"));
                    }
                    next();
                }

                @Override
                public void failed(String why) {
                    failed++;
                    errors.add(why);
                    next();
                }
            });
        }
    }

    /** A 200 response (anything else counts as a failed request). */
    private interface Ok {
        void ok(int status, long length, byte[] body, int kept, long end);
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

    // ------------------------------------------------------------------ the run

    private void run() throws Exception {
        // The media playlist's URL, found once here so the watcher can start before the viewers.
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5)).build();
        String first = client.send(java.net.http.HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        boolean master = first.contains("#EXT-X-STREAM-INF");
        URI media = master ? url.resolve(variant(first)) : url;
        long cpuBefore = cpuNanos();

        Watcher watcher = new Watcher();
        for (LiveLoop loop : loops) {
            loop.start();
        }
        loops[0].submit(() -> watcher.start(media));
        Thread.sleep(1000); // the watcher's first reload: what is already listed is "already there"

        List<Viewer> viewers = new ArrayList<>();
        for (int i = 0; i < viewerCount; i++) {
            viewers.add(new Viewer(i));
        }
        long start = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        long spread = 1_000_000_000L; // one reload interval of a 2 s target
        for (int i = 0; i < viewerCount; i++) {
            Viewer v = viewers.get(i);
            long at = startNanos + spread * i / Math.max(1, viewerCount);
            v.loop.submit(() -> v.loop.at(at, () -> v.start(media, master)));
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
        report(viewers, watcher, start, end, (cpuAfter - cpuBefore) / 1e9);
    }

    private static boolean drained(List<Viewer> viewers) {
        for (Viewer v : viewers) {
            if (v.http.busy() || !v.queue.isEmpty()) { // a racy read, good enough to stop waiting
                return false;
            }
        }
        return true;
    }

    private long capture(String uri) {
        Seen x = uri == null ? null : seen.get(uri);
        if (x == null || Double.isNaN(x.mediaStart) || publisherStart <= 0) {
            return -1;
        }
        return publisherStart + Math.round((x.mediaStart - mediaOffset) * 1000);
    }

    private void report(List<Viewer> viewers, Watcher watcher, long start, long end, double clientCpu) {
        long lastExpected = -1;
        List<Double> edge = new ArrayList<>();
        List<Double> partEdge = new ArrayList<>();
        for (Map.Entry<String, Seen> e : seen.entrySet()) {
            Seen x = e.getValue();
            if (!x.part && x.firstSeen > 0 && x.firstSeen <= end - Math.round(graceSeconds * 1000)) {
                lastExpected = Math.max(lastExpected, x.sequence);
            }
            long c = capture(e.getKey());
            if (x.firstSeen > 0 && c > 0 && x.firstSeen <= end) {
                (x.part ? partEdge : edge).add((x.firstSeen - c) / 1000.0);
            }
        }
        long segments = 0;
        long bytes = 0;
        long requests = 0;
        long failed = 0;
        long missed = 0;
        int complete = 0;
        long last = start;
        List<Double> latency = new ArrayList<>();
        List<Double> pdtLatency = new ArrayList<>();
        Map<String, Integer> errors = new HashMap<>();
        for (Viewer v : viewers) {
            segments += v.segments;
            bytes += v.bytes;
            requests += v.requests;
            failed += v.failed;
            missed += v.missed;
            last = Math.max(last, v.lastCompleted);
            for (String error : v.errors) {
                errors.merge(error, 1, Integer::sum);
            }
            Set<Long> got = new java.util.HashSet<>();
            for (long[] f : v.fetched) {
                got.add(f[0]);
                if (f[0] == v.joinSequence) {
                    continue;
                }
                String uri = uriOf.get(f[0]);
                long c = capture(uri);
                if (c > 0) {
                    latency.add((f[1] - c) / 1000.0);
                }
                Seen x = uri == null ? null : seen.get(uri);
                if (x != null && x.pdt > 0) {
                    pdtLatency.add((f[1] - x.pdt) / 1000.0);
                }
            }
            boolean all = v.joinSequence >= 0;
            for (long s = v.joinSequence; all && s <= lastExpected; s++) {
                all = got.contains(s);
            }
            complete += all ? 1 : 0;
        }
        double seconds = Math.max(1, last - start) / 1000.0;
        StringBuilder json = new StringBuilder("{");
        field(json, "viewers", viewers.size());
        field(json, "complete", complete);
        field(json, "segments", segments);
        field(json, "requests", requests);
        field(json, "failed", failed);
        field(json, "missed", missed);
        field(json, "bytes", bytes);
        field(json, "seconds", seconds);
        field(json, "mbps", bytes * 8 / seconds / 1e6);
        field(json, "expected_last_sequence", lastExpected);
        percentiles(json, "latency", latency);
        percentiles(json, "edge", edge);
        percentiles(json, "part_edge", partEdge);
        percentiles(json, "pdt_latency", pdtLatency);
        field(json, "watcher_failures", watcher.failures);
        field(json, "client_cpu_s", clientCpu);
        json.append("\"errors\":{");
        errors.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(5).forEach(e ->
                json.append('"').append(e.getKey().replace("\\", "\\\\").replace("\"", "'")).append("\":")
                        .append(e.getValue()).append(','));
        if (json.charAt(json.length() - 1) == ',') {
            json.setLength(json.length() - 1);
        }
        json.append("}}");
        System.out.println("RESULT " + json);
        System.err.printf(Locale.ROOT, "%d viewers: %d complete, %d segments, %.1f Mbit/s, %d failed of %d"
                        + " requests, latency p50 %s s, edge p50 %s s, client CPU %.1f s%n", viewers.size(), complete,
                segments, bytes * 8 / seconds / 1e6, failed, requests, pct(latency, 50), pct(edge, 50), clientCpu);
    }

    private static void percentiles(StringBuilder json, String name, List<Double> values) {
        field(json, name + "_n", values.size());
        json.append('"').append(name).append("_p50\":").append(pct(values, 50)).append(',');
        json.append('"').append(name).append("_p95\":").append(pct(values, 95)).append(',');
        json.append('"').append(name).append("_max\":").append(pct(values, 100)).append(',');
    }

    /** Nearest-rank percentile, 3 decimals; null when there are no values. */
    private static String pct(List<Double> values, double p) {
        if (values.isEmpty()) {
            return "null";
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return String.format(Locale.ROOT, "%.3f", sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]);
    }

    private static void field(StringBuilder json, String name, double value) {
        json.append('"').append(name).append("\":");
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            json.append((long) value);
        } else {
            json.append(String.format(Locale.ROOT, "%.3f", value));
        }
        json.append(',');
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
