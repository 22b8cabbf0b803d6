package dev.vod.internal.live;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One HLS segment of a live rendition: the publisher's fragments from one key frame up to the next, each also an
 * LL-HLS part. The fragments' bytes are stored once, in pooled buffers, and shared by every viewer (a response
 * takes a retained duplicate). When the publisher could also write them to a {@link SpoolFile}, one after the
 * other, viewers get them from there with sendfile instead ({@link #body}); the buffers stay for the continuous
 * stream, for TLS connections and as the fallback. Guarded by its rendition's lock.
 */
final class LiveSegment {
    static final String TYPE = "video/iso.segment";
    /** Segments never change once listed: a CDN may keep them for as long as the window is. */
    private static final String CACHE = "max-age=60";
    /**
     * One fragment ({@code moof + mdat}) of the segment.
     *
     * @param spoolOffset where its bytes start in the segment's spool file, -1 when they are not in it
     */
    record Part(ByteBuf data, double seconds, boolean independent, long spoolOffset) {
    }

    final long sequence;
    /** Wall-clock time of the segment's first frame (its fragment's arrival less its duration), epoch ms. */
    final long programDateTime;
    /** A new publisher (or new init segment) starts here: {@code EXT-X-DISCONTINUITY}. */
    final boolean discontinuity;
    /** The init segment its fragments need; the same object for every segment of one publish. */
    final InitSegment init;
    final List<Part> parts = new ArrayList<>(4);
    /** Response heads, built on first request: [0] the whole segment, [1 + i] part i; bodies are left null. */
    private LiveResponse[] heads;
    double seconds;
    long bytes;
    boolean complete;
    /** The file every part so far is in, back to back from offset {@link #spoolStart}; null: memory only. */
    private SpoolFile spool;
    private long spoolStart;

    LiveSegment(long sequence, long programDateTime, boolean discontinuity, InitSegment init) {
        this.sequence = sequence;
        this.programDateTime = programDateTime;
        this.discontinuity = discontinuity;
        this.init = init;
    }

    /**
     * Adds a part; {@code spooled} is the file its bytes were also written to (at {@link Part#spoolOffset}), or
     * null. The segment is served from the file only while all of its parts are in it, in order, contiguous.
     */
    void add(Part part, SpoolFile spooled) {
        if (parts.isEmpty() && spooled != null && part.spoolOffset() >= 0) {
            spool = spooled;
            spool.retain();
            spoolStart = part.spoolOffset();
        } else if (spool != null && (spooled != spool || part.spoolOffset() != spoolStart + bytes)) {
            spool.release(); // a gap or another file: the buffers are the only whole copy
            spool = null;
        }
        parts.add(part);
        seconds += part.seconds();
        bytes += part.data().readableBytes();
    }

    /**
     * The bytes of the whole segment ({@code part} -1) or of one part, retained for a response: a file region
     * when {@code files} and the segment is spooled, else a buffer.
     */
    Object body(int part, boolean files) {
        if (files && spool != null) {
            if (part < 0) {
                return spool.region(spoolStart, bytes);
            }
            Part p = parts.get(part);
            return spool.region(p.spoolOffset(), p.data().readableBytes());
        }
        if (part >= 0) {
            return parts.get(part).data().retainedDuplicate();
        }
        CompositeByteBuf body = Unpooled.compositeBuffer(Math.max(2, parts.size()));
        for (Part p : parts) {
            body.addComponent(true, p.data().retainedDuplicate());
        }
        return body;
    }

    /**
     * The answer for the whole segment ({@code part} -1, only once complete) or one part: its shared head (built
     * once, every viewer fetches the same segment) and its body, retained as {@link #body}.
     */
    LiveResponse response(int part, boolean files) {
        int slot = part + 1;
        if (heads == null || heads.length <= slot) {
            heads = Arrays.copyOf(heads == null ? new LiveResponse[0] : heads, Math.max(slot + 1, parts.size() + 1));
        }
        LiveResponse head = heads[slot];
        if (head == null) {
            long length = part < 0 ? bytes : parts.get(part).data().readableBytes();
            head = new LiveResponse(LiveResponse.headers(TYPE, CACHE, length),
                    LiveResponse.encodedHead(TYPE, CACHE, length), null);
            heads[slot] = head;
        }
        return new LiveResponse(head.headers(), head.encodedHead(), body(part, files));
    }

    void release() {
        for (Part p : parts) {
            p.data().release();
        }
        parts.clear();
        if (spool != null) {
            spool.release();
            spool = null;
        }
    }
}
