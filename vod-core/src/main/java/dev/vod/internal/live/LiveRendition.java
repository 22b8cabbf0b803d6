package dev.vod.internal.live;

import dev.vod.internal.mp4.LiveInit;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One rendition of a live channel: the ring of its last {@code window} seconds of segments, the publisher that
 * holds it, and the viewers waiting on it. Its publisher appends fragments on one event loop while viewers read
 * from others, so every method takes the rendition's lock; none blocks or does I/O under it.
 *
 * <p>Segments: while every fragment a publisher sends starts with a key frame ({@code frag_keyframe}, one
 * fragment a GOP), each fragment is a complete segment the moment it arrives. When fragments are shorter than a
 * GOP, each is a Low-Latency HLS part, and a segment runs from one key-frame fragment to the next; its parts are
 * listed while it grows. Fragments before the first key frame of a publish cannot be decoded and are dropped.
 */
final class LiveRendition {
    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";

    /** A viewer of the continuous stream ({@code /live/NAME.mp4}): gets each fragment as it arrives. */
    interface Listener {
        /** A new fragment; the listener must release {@code fragment}. Called under the lock: do not block. */
        void fragment(InitSegment init, ByteBuf fragment, boolean independent);

        /** The publisher went away. */
        void ended();
    }

    /** Someone waiting for a segment or part that does not exist yet (blocking playlist reload). */
    private record Waiter(long sequence, int part, Runnable ready) {
    }

    final String name;
    private final double windowSeconds;
    private final ArrayDeque<LiveSegment> segments = new ArrayDeque<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final LiveStats stats = new LiveStats();
    private Object publisher;
    private InitSegment init;
    private int initCount;
    private long nextSequence;
    private long discontinuitiesEvicted;
    private boolean pendingDiscontinuity;
    /** True while every fragment of this publish started with a key frame: one fragment, one segment. */
    private boolean wholeGops = true;
    /**
     * Fragments of this publish so far. Its first one cannot tell whole-GOP fragments from parts (both start with
     * a key frame): its segment stays open until the second says which, so that the rest of a first GOP sent in
     * parts joins it instead of being dropped.
     */
    private long fragmentsThisPublish;
    private boolean sawParts;
    private double longestSegment;
    private double longestPart;
    private boolean ended;
    /** Bumped on every change a playlist shows: the rendered playlist is reused until then. */
    private long version;
    private long renderedVersion = -1;
    /** The media playlist's response at {@link #renderedVersion}; this rendition holds one reference to its body. */
    private LiveResponse rendered;
    /** The channel was dropped ({@link #clear}): nothing is cached any more. */
    private boolean cleared;

    LiveRendition(String name, double windowSeconds) {
        this.name = name;
        this.windowSeconds = windowSeconds;
    }

    /** Takes the rendition for {@code owner}; false while another publisher holds it (the streamer lock). */
    synchronized boolean claim(Object owner) {
        if (publisher != null && publisher != owner) {
            return false;
        }
        publisher = owner;
        pendingDiscontinuity = !segments.isEmpty();
        wholeGops = true;
        fragmentsThisPublish = 0;
        ended = false;
        version++;
        stats.publishStarted();
        return true;
    }

    synchronized boolean live() {
        return publisher != null;
    }

    synchronized boolean ended() {
        return ended;
    }

    /** The publisher's init segment; a new one after a takeover starts a discontinuity. */
    synchronized InitSegment init(byte[] bytes, LiveInit info) {
        init = new InitSegment(bytes, info, ++initCount);
        return init;
    }

    synchronized InitSegment currentInit() {
        return init;
    }

    /** The init segment numbered {@code number} if a segment in the window still uses it. */
    synchronized InitSegment init(int number) {
        if (init != null && init.number() == number) {
            return init;
        }
        for (LiveSegment s : segments) {
            if (s.init.number() == number) {
                return s.init;
            }
        }
        return null;
    }

    /**
     * Adds one fragment (ownership of {@code data} passes here), received at {@code arrivalMillis}; the publisher
     * also wrote its bytes to {@code spool} at {@code spoolOffset} (null and -1 when not).
     *
     * @return false when it was dropped (before the first key frame of the publish)
     */
    synchronized boolean append(Object owner, ByteBuf data, LiveInit.Fragment fragment, long arrivalMillis,
                                SpoolFile spool, long spoolOffset) {
        if (owner != publisher || init == null) {
            data.release();
            return false;
        }
        LiveSegment open = segments.peekLast();
        if (open != null && open.complete) {
            open = null;
        }
        if (!fragment.independent()) {
            wholeGops = false;
            if (open == null) {
                data.release();
                stats.dropped();
                return false;
            }
        }
        if (open != null && fragment.independent()) {
            complete(open);
            open = null;
        }
        if (open == null) {
            long pdt = arrivalMillis - Math.round(fragment.seconds() * 1000);
            open = new LiveSegment(nextSequence++, pdt, pendingDiscontinuity, init);
            pendingDiscontinuity = false;
            segments.add(open);
        }
        stats.fragment(data.readableBytes(), fragment, arrivalMillis);
        open.add(new LiveSegment.Part(data, fragment.seconds(), fragment.independent(), spoolOffset), spool);
        longestPart = Math.max(longestPart, fragment.seconds());
        sawParts |= !wholeGops;
        for (Listener l : listeners) {
            l.fragment(init, data.retainedDuplicate(), fragment.independent());
        }
        if (wholeGops && ++fragmentsThisPublish > 1) {
            complete(open);
        }
        evict();
        wake();
        return true;
    }

    private void complete(LiveSegment segment) {
        segment.complete = true;
        longestSegment = Math.max(longestSegment, segment.seconds);
    }

    private void evict() {
        double total = 0;
        for (LiveSegment s : segments) {
            total += s.seconds;
        }
        while (segments.size() > 3 && total - segments.peekFirst().seconds >= windowSeconds) {
            LiveSegment gone = segments.pollFirst();
            total -= gone.seconds;
            if (gone.discontinuity) {
                discontinuitiesEvicted++;
            }
            gone.release();
        }
    }

    /** The publisher is gone: the open segment completes, the playlist gets its end, stream viewers stop. */
    synchronized void release(Object owner) {
        if (owner != publisher) {
            return;
        }
        publisher = null;
        LiveSegment open = segments.peekLast();
        if (open != null && !open.complete) {
            if (open.parts.isEmpty()) {
                segments.pollLast();
            } else {
                complete(open);
            }
        }
        ended = true;
        stats.publishEnded();
        for (Listener l : listeners) {
            l.ended();
        }
        wake();
    }

    /** Frees every buffer (the channel is gone). */
    synchronized void clear() {
        for (LiveSegment s : segments) {
            s.release();
        }
        segments.clear();
        dropRendered();
        cleared = true;
        wake();
    }

    void unlisten(Listener listener) {
        listeners.remove(listener);
    }

    int listeners() {
        return listeners.size();
    }

    /**
     * Adds a stream viewer and returns the fragments from the latest key frame on (retained; the caller releases
     * them), in one step so that none falls between the catch-up and the first fragment the listener gets.
     */
    synchronized List<ByteBuf> join(Listener listener) {
        listeners.add(listener);
        List<ByteBuf> out = new ArrayList<>();
        Iterator<LiveSegment> it = segments.descendingIterator();
        while (it.hasNext()) {
            LiveSegment s = it.next();
            if (!s.parts.isEmpty() && s.init == init) {
                for (LiveSegment.Part p : s.parts) {
                    out.add(p.data().retainedDuplicate());
                }
                return out;
            }
        }
        return out;
    }

    /**
     * Whole segment {@code sequence} ({@code part} -1) or one of its parts, retained for a response: a file region
     * when {@code files} and the segment is spooled, else a buffer; null when it is not (or no longer) there.
     */
    synchronized Object segment(long sequence, int part, boolean files) {
        LiveSegment s = find(sequence);
        if (s == null || (part < 0 && !s.complete) || part >= s.parts.size()) {
            return null;
        }
        return s.body(part, files);
    }

    /** As {@link #segment}, with the response's shared head. */
    synchronized LiveResponse segmentResponse(long sequence, int part, boolean files) {
        LiveSegment s = find(sequence);
        if (s == null || (part < 0 && !s.complete) || part >= s.parts.size()) {
            return null;
        }
        return s.response(part, files);
    }

    private LiveSegment find(long sequence) {
        for (LiveSegment s : segments) {
            if (s.sequence == sequence) {
                return s;
            }
        }
        return null;
    }

    /**
     * Runs {@code ready} once segment {@code sequence} is complete (part -1) or its part {@code part} exists, or
     * when the rendition ends; right away when it already is. Returns a handle to cancel the wait.
     */
    synchronized Runnable whenAvailable(long sequence, int part, Runnable ready) {
        if (available(sequence, part) || ended || publisher == null) {
            ready.run();
            return () -> { };
        }
        Waiter w = new Waiter(sequence, part, ready);
        waiters.add(w);
        return () -> {
            synchronized (LiveRendition.this) {
                waiters.remove(w);
            }
        };
    }

    private boolean available(long sequence, int part) {
        LiveSegment s = find(sequence);
        if (s == null) {
            return sequence < nextSequence - segments.size(); // evicted: long past, answer now
        }
        return part < 0 ? s.complete : s.parts.size() > part || s.complete;
    }

    private void wake() {
        version++;
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (ended || publisher == null || available(w.sequence, w.part)) {
                it.remove();
                w.ready.run();
            }
        }
    }

    /**
     * The media playlist's response as it reads now (body retained for the caller), rendered once per change and
     * shared by every viewer (hundreds of them poll it every second or two).
     */
    synchronized LiveResponse playlist() {
        if (renderedVersion != version || rendered == null) {
            dropRendered();
            LiveResponse fresh = LiveResponse.of(PLAYLIST_TYPE, "no-cache",
                    LivePlaylists.media(snapshot()).getBytes(StandardCharsets.UTF_8));
            if (cleared) {
                return fresh; // the channel is gone: nothing would release a cached copy
            }
            rendered = fresh;
            renderedVersion = version;
        }
        return rendered.retainedDuplicate();
    }

    private void dropRendered() {
        if (rendered != null) {
            ((ByteBuf) rendered.body()).release(); // responses still being written hold their own references
            rendered = null;
        }
    }

    /**
     * The sequence number the playlist's next segment will have ({@link LivePlaylists.Media#nextSequence()}), without
     * building a snapshot: every blocking reload asks for it.
     */
    synchronized long listedNextSequence() {
        return segments.isEmpty() ? 0 : segments.peekLast().sequence + 1;
    }

    /** The playlist's target duration in seconds, as {@link LivePlaylists.Media#targetSeconds()}. */
    synchronized double targetSeconds() {
        return Math.max(1, longestSegment);
    }

    /** What a media playlist shows now. */
    synchronized LivePlaylists.Media snapshot() {
        List<LivePlaylists.SegmentView> views = new ArrayList<>(segments.size());
        for (LiveSegment s : segments) {
            double[] parts = new double[s.parts.size()];
            boolean[] independent = new boolean[parts.length];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = s.parts.get(i).seconds();
                independent[i] = s.parts.get(i).independent();
            }
            views.add(new LivePlaylists.SegmentView(s.sequence, s.programDateTime, s.seconds, s.discontinuity,
                    s.init.number(), s.complete, parts, independent));
        }
        return new LivePlaylists.Media(views, discontinuitiesEvicted, Math.max(1, longestSegment),
                sawParts ? longestPart : 0, ended && publisher == null);
    }

    LiveStats stats() {
        return stats;
    }
}
