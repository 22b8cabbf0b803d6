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
 * {@link LiveLoop}: the master playlist once (when the URL is one), the media playlist, the init segment once
 * ({@code EXT-X-MAP}), then every segment from the newest one of its first playlist on, in full, in order. Bodies
 * are counted and dropped.
 *
 * <p>It reloads the media playlist as hls.js does. When the playlist says
 * {@code #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES} (and blocking reloads are not turned off), a blocking reload
 * right after each answer that advanced ({@link LivePlaylist#nextBlockingReload}: {@code _HLS_msn} of the next
 * segment, or {@code _HLS_msn}/{@code _HLS_part} of the next part), which the server holds until that segment or
 * part exists; a timeout (three target durations + 10 s), an error or an answer that did not advance sends it back
 * to polling until the next answer that advances. Otherwise (nginx-rtmp) it polls at a fixed rate of half the
 * target duration, as hls.js does at the live edge.
 *
 * <pre>
 * GET /live/bench/master.m3u8
 * GET /live/bench/main/index.m3u8                → lists seg-40 … seg-44: joins at seg-44
 * GET /live/bench/main/init-1.mp4
 * GET /live/bench/main/seg-44.m4s
 * GET /live/bench/main/index.m3u8?_HLS_msn=45    → answered when seg-45 is complete (polling: every second)
 * GET /live/bench/main/seg-45.m4s
 * GET /live/bench/main/index.m3u8?_HLS_msn=46
 * </pre>
 *
 * Unlike hls.js in a browser it has one connection: it fetches what an answer listed before it sends the next
 * blocking reload (a browser sends the reload at once, on a second connection). On loopback a segment takes
 * milliseconds, so the server sees the same requests at nearly the same times. It fetches whole segments, never
 * parts: with parts (vod-ll) its blocking reloads follow the parts as hls.js's do, its fetches do not.
 */
final class LiveViewer {
    /** Its counters so far, copied on its loop for {@link LiveReport}. fetched: {sequence, wall clock at last byte}. */
    record Tally(long segments, long bytes, long playlistRequests, long blockingRequests, long segmentRequests,
                 long blockingWaitMillis, long failed, long missed, long joinSequence, long lastCompleted,
                 long[] fetchedSequences, long[] fetchedEnds, Map<String, Integer> errors) {
        long requests() {
            return playlistRequests + blockingRequests + segmentRequests;
        }
    }

    /** What a request is for: a playlist (master or media, a plain GET), a blocking reload, a segment (or init). */
    private enum Kind { PLAYLIST, BLOCKING, SEGMENT }

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
    private final boolean blockingAllowed;
    private final ArrayDeque<LivePlaylist.Segment> queue = new ArrayDeque<>();
    private long pollNanos = 1_000_000_000L;
    private long blockingTimeoutNanos = LiveHttp.TIMEOUT_NANOS + 6_000_000_000L;
    private boolean pollDue;
    /** The last playlist it received, to tell whether the next one advanced. */
    private LivePlaylist last;
    /** The blocking reload to send once what is queued is fetched, or null: polling (the fixed-rate ticks do it). */
    private LivePlaylist.Directive blockingNext;
    private boolean blocking;
    private boolean initDone;
    private String init;
    private long joinSequence = -1;
    private long lastQueued = -1;
    private long lastCompleted;
    private long segments;
    private long bytes;
    private long playlistRequests;
    private long blockingRequests;
    private long segmentRequests;
    private long blockingWaitMillis;
    private long failed;
    private long missed;
    private long[] fetchedSequences = new long[64];
    private long[] fetchedEnds = new long[64];
    private int fetchedCount;
    private final Map<String, Integer> errors = new HashMap<>();

    /**
     * @param master  the master playlist's URL, fetched once first, or null (the URL was the media playlist)
     * @param running false once the run ends: no more reloads, what is queued is still fetched
     * @param blockingReload whether to send blocking reloads when the playlist allows them
     */
    LiveViewer(int index, LiveLoop loop, InetSocketAddress address, URI master, URI media, BooleanSupplier running,
               boolean blockingReload) {
        this.loop = loop;
        this.http = new LiveHttp(loop, address, "LiveViewers/" + index);
        this.masterPath = master == null ? null : master.getRawPath();
        this.media = media;
        this.running = running;
        this.blockingAllowed = blockingReload;
    }

    /** Joins: the master playlist first when there is one (a player's first request), then the reloads. */
    void start() {
        if (masterPath != null) {
            request(Kind.PLAYLIST, masterPath, 0, NOTHING);
        }
        tick();
    }

    /** Whether it has nothing left to fetch (a racy read from another thread, good enough to stop waiting). */
    boolean idle() {
        return !http.busy() && queue.isEmpty();
    }

    Tally tally() {
        return new Tally(segments, bytes, playlistRequests, blockingRequests, segmentRequests, blockingWaitMillis,
                failed, missed, joinSequence, lastCompleted,
                Arrays.copyOf(fetchedSequences, fetchedCount), Arrays.copyOf(fetchedEnds, fetchedCount),
                Map.copyOf(errors));
    }

    /**
     * Reloads at a fixed rate of half the target duration, as hls.js does at the live edge; while it follows
     * blocking reloads the ticks go on but send nothing.
     */
    private void tick() {
        if (!running.getAsBoolean()) {
            return;
        }
        if (!blocking) {
            if (http.busy()) {
                pollDue = true;
            } else {
                poll();
            }
        }
        loop.at(System.nanoTime() + pollNanos, this::tick);
    }

    private void poll() {
        pollDue = false;
        request(Kind.PLAYLIST, media.getRawPath(), LivePlaylist.MAX_BYTES, (body, kept, end) ->
                playlist(LivePlaylist.parse(new String(body, 0, kept, UTF_8))));
    }

    private void blockingReload() {
        LivePlaylist.Directive d = blockingNext;
        blockingNext = null;
        long sent = System.currentTimeMillis();
        request(Kind.BLOCKING, media.getRawPath() + "?" + d.query(), LivePlaylist.MAX_BYTES, (body, kept, end) -> {
            blockingWaitMillis += end - sent;
            playlist(LivePlaylist.parse(new String(body, 0, kept, UTF_8)));
        });
    }

    private void playlist(LivePlaylist p) {
        if (p.targetSeconds() > 0) {
            pollNanos = Math.round(p.targetSeconds() / 2 * 1e9);
            blockingTimeoutNanos = LiveHttp.TIMEOUT_NANOS + Math.round(3 * p.targetSeconds() * 1e9);
        }
        // hls.js: a blocking reload after an answer that advanced, when the server allows them; else it polls.
        blockingNext = blockingAllowed && p.advancedFrom(last) ? p.nextBlockingReload() : null;
        blocking = blockingNext != null;
        pollDue &= !blocking;
        last = p;
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

    /**
     * After each response: a due poll first, then the init segment, then the next segment, then a blocking reload
     * (it may be held for a segment's duration: nothing listed may wait behind it).
     */
    private void next() {
        if (http.busy()) {
            return;
        }
        boolean on = running.getAsBoolean();
        if (pollDue && on) {
            poll();
        } else if (init != null && !initDone) {
            initDone = true;
            request(Kind.SEGMENT, media.resolve(init).getRawPath(), 0, NOTHING);
        } else if (!queue.isEmpty()) {
            LivePlaylist.Segment s = queue.poll();
            request(Kind.SEGMENT, media.resolve(s.uri()).getRawPath(), 0,
                    (body, kept, end) -> fetched(s.sequence(), end));
        } else if (blockingNext != null && on) {
            blockingReload();
        }
    }

    private void fail(Kind kind, String why) {
        failed++;
        errors.merge(why, 1, Integer::sum);
        if (kind == Kind.BLOCKING) {
            blocking = false; // back to polling, as hls.js retries without delivery directives
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

    private void request(Kind kind, String path, int keep, Ok ok) {
        switch (kind) {
            case PLAYLIST -> playlistRequests++;
            case BLOCKING -> blockingRequests++;
            case SEGMENT -> segmentRequests++;
        }
        long timeout = kind == Kind.BLOCKING ? blockingTimeoutNanos : LiveHttp.TIMEOUT_NANOS;
        http.get(path, keep, timeout, new LiveHttp.Done() {
            @Override
            public void ok(int status, long length, byte[] body, int kept, long end) {
                bytes += length;
                lastCompleted = end;
                if (status == 200) {
                    ok.ok(body, kept, end);
                } else {
                    fail(kind, "HTTP " + status + " for " + path.replaceAll("[0-9]+", "N"));
                }
                next();
            }

            @Override
            public void failed(String why) {
                fail(kind, (kind == Kind.BLOCKING ? "blocking reload: " : "") + why);
                next();
            }
        });
    }
}
