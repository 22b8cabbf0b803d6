package dev.vod.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One viewer of {@link LiveViewers} on its own keep-alive connection ({@link LiveHttp}), everything on one
 * {@link LiveLoop}: the master playlist once (when the URL is one), the media playlist every half target duration
 * (as hls.js reloads at the live edge), the init segment once ({@code EXT-X-MAP}), then every segment from the
 * newest one of its first playlist on, in full, in order. Bodies are counted and dropped.
 *
 * <pre>
 * GET /live/bench/master.m3u8
 * GET /live/bench/main/index.m3u8     → lists seg-40 … seg-44: joins at seg-44
 * GET /live/bench/main/init-1.mp4
 * GET /live/bench/main/seg-44.m4s
 * GET /live/bench/main/index.m3u8     (a second later) → seg-45 is new
 * GET /live/bench/main/seg-45.m4s
 * </pre>
 */
final class LiveViewer {
    /** Its counters so far, copied on its loop for {@link LiveReport}. fetched: {sequence, wall clock at last byte}. */
    record Tally(long segments, long bytes, long requests, long failed, long missed, long joinSequence,
                 long lastCompleted, long[] fetchedSequences, long[] fetchedEnds, Map<String, Integer> errors) {
    }

    /** A 200 response (anything else counts as a failed request). */
    private interface Ok {
        void ok(byte[] body, int kept, long endMillis);
    }

    private static final Ok NOTHING = (body, kept, end) -> { };

    final LiveLoop loop;
    private final LiveHttp http;
    private final String masterPath;
    private final URI media;
    private final BooleanSupplier running;
    private final ArrayDeque<LivePlaylist.Segment> queue = new ArrayDeque<>();
    private long pollNanos = 1_000_000_000L;
    private boolean pollDue;
    private boolean initDone;
    private String init;
    private long joinSequence = -1;
    private long lastQueued = -1;
    private long lastCompleted;
    private long segments;
    private long bytes;
    private long requests;
    private long failed;
    private long missed;
    private long[] fetchedSequences = new long[64];
    private long[] fetchedEnds = new long[64];
    private int fetchedCount;
    private final Map<String, Integer> errors = new HashMap<>();

    /**
     * @param master  the master playlist's URL, fetched once first, or null (the URL was the media playlist)
     * @param running false once the run ends: no more reloads, what is queued is still fetched
     */
    LiveViewer(int index, LiveLoop loop, InetSocketAddress address, URI master, URI media, BooleanSupplier running) {
        this.loop = loop;
        this.http = new LiveHttp(loop, address, "LiveViewers/" + index);
        this.masterPath = master == null ? null : master.getRawPath();
        this.media = media;
        this.running = running;
    }

    /** Joins: the master playlist first when there is one (a player's first request), then the reloads. */
    void start() {
        if (masterPath != null) {
            request(masterPath, 0, NOTHING);
        }
        tick();
    }

    /** Whether it has nothing left to fetch (a racy read from another thread, good enough to stop waiting). */
    boolean idle() {
        return !http.busy() && queue.isEmpty();
    }

    Tally tally() {
        return new Tally(segments, bytes, requests, failed, missed, joinSequence, lastCompleted,
                Arrays.copyOf(fetchedSequences, fetchedCount), Arrays.copyOf(fetchedEnds, fetchedCount),
                Map.copyOf(errors));
    }

    /** Reloads at a fixed rate of half the target duration, as hls.js does at the live edge. */
    private void tick() {
        if (!running.getAsBoolean()) {
            return;
        }
        if (http.busy()) {
            pollDue = true;
        } else {
            poll();
        }
        loop.at(System.nanoTime() + pollNanos, this::tick);
    }

    private void poll() {
        pollDue = false;
        request(media.getRawPath(), LivePlaylist.MAX_BYTES, (body, kept, end) ->
                playlist(LivePlaylist.parse(new String(body, 0, kept, UTF_8))));
    }

    private void playlist(LivePlaylist p) {
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
    private void next() {
        if (http.busy()) {
            return;
        }
        if (pollDue && running.getAsBoolean()) {
            poll();
        } else if (init != null && !initDone) {
            initDone = true;
            request(media.resolve(init).getRawPath(), 0, NOTHING);
        } else if (!queue.isEmpty()) {
            LivePlaylist.Segment s = queue.poll();
            request(media.resolve(s.uri()).getRawPath(), 0, (body, kept, end) -> fetched(s.sequence(), end));
        }
    }

    private void fetched(long sequence, long end) {
        segments++;
        if (fetchedCount == fetchedSequences.length) {
            fetchedSequences = Arrays.copyOf(fetchedSequences, fetchedCount * 2);
            fetchedEnds = Arrays.copyOf(fetchedEnds, fetchedCount * 2);
        }
        fetchedSequences[fetchedCount] = sequence;
        fetchedEnds[fetchedCount++] = end;
    }

    private void request(String path, int keep, Ok ok) {
        requests++;
        http.get(path, keep, new LiveHttp.Done() {
            @Override
            public void ok(int status, long length, byte[] body, int kept, long end) {
                bytes += length;
                lastCompleted = end;
                if (status == 200) {
                    ok.ok(body, kept, end);
                } else {
                    failed++;
                    errors.merge("HTTP " + status + " for " + path.replaceAll("[0-9]+", "N"), 1, Integer::sum);
                }
                next();
            }

            @Override
            public void failed(String why) {
                failed++;
                errors.merge(why, 1, Integer::sum);
                next();
            }
        });
    }
}
