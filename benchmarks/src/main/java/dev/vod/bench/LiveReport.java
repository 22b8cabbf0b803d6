package dev.vod.bench;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one measured window of {@link LiveViewers}, from the viewers' tallies at its start and at its end,
 * what the watcher saw and the CPU times read at both ends ({@link LiveCpu}), written as one line
 * {@code RESULT {json}} on stdout and a summary on stderr.
 *
 * <pre>
 * RESULT {"mode":"steady","window":1,"windows":2,"window_start_ms":…,"window_end_ms":…,"wall_s":30.001,
 *   "viewers":500,"complete":500,"segments":7500,"requests":…,"requests_playlist":…,"requests_blocking":…,
 *   "requests_segment":…,"blocking_wait_mean_s":…,"failed":0,"missed":0,"bytes":…,"seconds":30.001,"mbps":…,
 *   "expected_last_sequence":…,"latency_n":…,"latency_p50":…,"latency_p95":…,"latency_max":…, (the same for
 *   edge, part_edge, pdt_latency) "watcher_failures":0,"blocking_reload":true,"client_cpu_s":…,
 *   "server_cpu_s":…,"server_jit_s":…,"server_gc_s":…,"publisher_cpu_s":…,"machine_busy_s":…,
 *   "others_cpu_s":…,"errors":{}}
 * </pre>
 *
 * <ul>
 *   <li><b>latency</b>: for each segment a viewer fetched in the window (except the one it joined at), the wall
 *       clock at its last byte minus its capture time, {@code publisherStart + mediaStart - mediaOffset};</li>
 *   <li><b>edge</b>: the first time the watcher saw a segment in the playlist, in the window, minus its capture
 *       time (its 100 ms reloads make it late by 50 ms on average); <b>part edge</b> the same for parts;</li>
 *   <li><b>pdt latency</b> (servers that write {@code EXT-X-PROGRAM-DATE-TIME}): last byte minus the segment's
 *       PDT, the same as latency but with the server's clock for the start;</li>
 *   <li><b>complete</b>: viewers that have fetched every segment from the one they joined at to the last one that
 *       appeared at least {@code grace} seconds before the window's end;</li>
 *   <li>counts (segments, bytes, requests, failed, missed, errors): what happened in the window; requests also by
 *       kind: {@code requests_playlist} (master and media playlists, plain GETs), {@code requests_blocking}
 *       (blocking reloads, with {@code blocking_wait_mean_s}, how long the server held them on average) and
 *       {@code requests_segment} (segments and init segments).</li>
 * </ul>
 */
final class LiveReport {
    /**
     * One span of time to report on: the {@code index}-th of {@code of} (from 1), epoch milliseconds.
     *
     * @param wholeRun the single run of the churn mode: counts from the start to after the viewers drained, every
     *                 fetch's latency, {@code seconds} up to the last byte; else only what fell in the window
     */
    record Window(String mode, int index, int of, long startMillis, long endMillis, boolean wholeRun) {
    }

    private final long publisherStart;
    private final double mediaOffset;
    private final double graceSeconds;
    private final boolean blockingReload;

    LiveReport(long publisherStart, double mediaOffset, double graceSeconds, boolean blockingReload) {
        this.publisherStart = publisherStart;
        this.mediaOffset = mediaOffset;
        this.graceSeconds = graceSeconds;
        this.blockingReload = blockingReload;
    }

    /**
     * @param before the tallies at the window's start, or null (all zero); a viewer past its end had none
     * @param failuresBefore the watcher's failed requests at the window's start
     * @param cpu the CPU times over the window (NaN for what was not read)
     */
    void write(Window w, LiveWatcher.Snapshot watch, int failuresBefore, List<LiveViewer.Tally> before,
               List<LiveViewer.Tally> after, LiveCpu.Figures cpu) {
        long lastExpected = -1;
        List<Double> edge = new ArrayList<>();
        List<Double> partEdge = new ArrayList<>();
        for (Map.Entry<String, LiveWatcher.Seen> e : watch.byUri().entrySet()) {
            LiveWatcher.Seen x = e.getValue();
            if (!x.part() && x.firstSeen() > 0 && x.firstSeen() <= w.endMillis() - Math.round(graceSeconds * 1000)) {
                lastExpected = Math.max(lastExpected, x.sequence());
            }
            long c = capture(x);
            if (x.firstSeen() > 0 && c > 0 && x.firstSeen() <= w.endMillis()
                    && (w.wholeRun() || x.firstSeen() >= w.startMillis())) {
                (x.part() ? partEdge : edge).add((x.firstSeen() - c) / 1000.0);
            }
        }
        long segments = 0;
        long bytes = 0;
        long playlistRequests = 0;
        long blockingRequests = 0;
        long segmentRequests = 0;
        long blockingWait = 0;
        long failed = 0;
        long missed = 0;
        int complete = 0;
        long last = w.startMillis();
        List<Double> latency = new ArrayList<>();
        List<Double> pdtLatency = new ArrayList<>();
        Map<String, Integer> errors = new HashMap<>();
        for (int i = 0; i < after.size(); i++) {
            LiveViewer.Tally a = after.get(i);
            LiveViewer.Tally b = before == null || i >= before.size() ? null : before.get(i);
            segments += a.segments() - (b == null ? 0 : b.segments());
            bytes += a.bytes() - (b == null ? 0 : b.bytes());
            playlistRequests += a.playlistRequests() - (b == null ? 0 : b.playlistRequests());
            blockingRequests += a.blockingRequests() - (b == null ? 0 : b.blockingRequests());
            segmentRequests += a.segmentRequests() - (b == null ? 0 : b.segmentRequests());
            blockingWait += a.blockingWaitMillis() - (b == null ? 0 : b.blockingWaitMillis());
            failed += a.failed() - (b == null ? 0 : b.failed());
            missed += a.missed() - (b == null ? 0 : b.missed());
            last = Math.max(last, a.lastCompleted());
            for (Map.Entry<String, Integer> e : a.errors().entrySet()) {
                int n = e.getValue() - (b == null ? 0 : b.errors().getOrDefault(e.getKey(), 0));
                if (n > 0) {
                    errors.merge(e.getKey(), n, Integer::sum);
                }
            }
            BitSet got = new BitSet();
            for (int j = 0; j < a.fetchedSequences().length; j++) {
                long sequence = a.fetchedSequences()[j];
                long end = a.fetchedEnds()[j];
                if (sequence >= a.joinSequence() && sequence - a.joinSequence() < Integer.MAX_VALUE) {
                    got.set((int) (sequence - a.joinSequence()));
                }
                if (sequence == a.joinSequence()
                        || !w.wholeRun() && (end < w.startMillis() || end > w.endMillis())) {
                    continue;
                }
                String uri = watch.uriOf().get(sequence);
                LiveWatcher.Seen x = uri == null ? null : watch.byUri().get(uri);
                long c = capture(x);
                if (c > 0) {
                    latency.add((end - c) / 1000.0);
                }
                if (x != null && x.pdtMillis() > 0) {
                    pdtLatency.add((end - x.pdtMillis()) / 1000.0);
                }
            }
            boolean all = a.joinSequence() >= 0
                    && (lastExpected < a.joinSequence() || got.nextClearBit(0) > lastExpected - a.joinSequence());
            complete += all ? 1 : 0;
        }
        long requests = playlistRequests + blockingRequests + segmentRequests;
        double seconds = w.wholeRun() ? Math.max(1, last - w.startMillis()) / 1000.0
                : Math.max(1, w.endMillis() - w.startMillis()) / 1000.0;
        StringBuilder json = new StringBuilder("{");
        json.append("\"mode\":\"").append(w.mode()).append("\",");
        field(json, "window", w.index());
        field(json, "windows", w.of());
        field(json, "window_start_ms", w.startMillis());
        field(json, "window_end_ms", w.endMillis());
        field(json, "wall_s", cpu.wall());
        field(json, "viewers", after.size());
        field(json, "complete", complete);
        field(json, "segments", segments);
        field(json, "requests", requests);
        field(json, "requests_playlist", playlistRequests);
        field(json, "requests_blocking", blockingRequests);
        field(json, "requests_segment", segmentRequests);
        field(json, "blocking_wait_mean_s",
                blockingRequests > 0 ? blockingWait / 1000.0 / blockingRequests : Double.NaN);
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
        field(json, "watcher_failures", watch.failures() - failuresBefore);
        json.append("\"blocking_reload\":").append(blockingReload).append(',');
        field(json, "client_cpu_s", cpu.client());
        field(json, "server_cpu_s", cpu.server());
        field(json, "server_jit_s", cpu.jit());
        field(json, "server_gc_s", cpu.gc());
        field(json, "publisher_cpu_s", cpu.publisher());
        field(json, "machine_busy_s", cpu.machine());
        field(json, "others_cpu_s", cpu.others());
        json.append("\"errors\":{");
        errors.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(5).forEach(e ->
                json.append('"').append(e.getKey().replace("\\", "\\\\").replace("\"", "'")).append("\":")
                        .append(e.getValue()).append(','));
        if (json.charAt(json.length() - 1) == ',') {
            json.setLength(json.length() - 1);
        }
        json.append("}}");
        System.out.println("RESULT " + json);
        String server = Double.isNaN(cpu.server()) ? ""
                : String.format(Locale.ROOT, ", server CPU %.2f s (JIT %.2f s)", cpu.server(), cpu.jit());
        System.err.printf(Locale.ROOT, "%s window %d/%d: %d viewers: %d complete, %d segments, %.1f Mbit/s, %d failed"
                        + " of %d requests (%d playlist, %d blocking, %d segment), latency p50 %s s, edge p50 %s s,"
                        + " client CPU %.2f s%s in %.1f s%n", w.mode(), w.index(), w.of(), after.size(), complete,
                segments, bytes * 8 / seconds / 1e6, failed, requests, playlistRequests, blockingRequests,
                segmentRequests, pct(latency, 50), pct(edge, 50), cpu.client(), server, cpu.wall());
    }

    /** When the segment's first frame was captured (epoch ms), or -1 when unknown. */
    private long capture(LiveWatcher.Seen x) {
        if (x == null || Double.isNaN(x.mediaStart()) || publisherStart <= 0) {
            return -1;
        }
        return publisherStart + Math.round((x.mediaStart() - mediaOffset) * 1000);
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
        if (Double.isNaN(value)) {
            json.append("null");
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            json.append((long) value);
        } else {
            json.append(String.format(Locale.ROOT, "%.3f", value));
        }
        json.append(',');
    }
}
