package dev.vod.internal.live;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * One HLS segment of a live rendition: the publisher's fragments from one key frame up to the next, each also an
 * LL-HLS part. The fragments' bytes are stored once, in pooled buffers, and shared by every viewer (a response
 * takes a retained duplicate). Guarded by its rendition's lock.
 */
final class LiveSegment {
    /** One fragment ({@code moof + mdat}) of the segment. */
    record Part(ByteBuf data, double seconds, boolean independent) {
    }

    final long sequence;
    /** Wall-clock time of the segment's first frame (its fragment's arrival less its duration), epoch ms. */
    final long programDateTime;
    /** A new publisher (or new init segment) starts here: {@code EXT-X-DISCONTINUITY}. */
    final boolean discontinuity;
    /** The init segment its fragments need; the same object for every segment of one publish. */
    final InitSegment init;
    final List<Part> parts = new ArrayList<>(4);
    double seconds;
    long bytes;
    boolean complete;

    LiveSegment(long sequence, long programDateTime, boolean discontinuity, InitSegment init) {
        this.sequence = sequence;
        this.programDateTime = programDateTime;
        this.discontinuity = discontinuity;
        this.init = init;
    }

    void add(Part part) {
        parts.add(part);
        seconds += part.seconds();
        bytes += part.data().readableBytes();
    }

    void release() {
        for (Part p : parts) {
            p.data().release();
        }
        parts.clear();
    }
}
