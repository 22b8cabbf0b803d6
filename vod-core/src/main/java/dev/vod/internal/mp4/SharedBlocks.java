package dev.vod.internal.mp4;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A large table of a moov ({@code stsz} entries, {@code ctts} runs) cut into fixed blocks that seek outputs share
 * instead of copying: the part of the table a seek keeps verbatim is a partial block (copied), whole blocks
 * (the same arrays for every request, sent as their own body segments) and a partial block (copied). For a long
 * film that is most of a megabyte-sized header that no request has to write.
 *
 * <p>Blocks are copied out of the moov buffer the first time a seek needs them, then kept with the parsed index.
 */
final class SharedBlocks {
    /** Block size: big enough that a header has few segments, small enough that a cut wastes little. */
    static final int BLOCK = 64 * 1024;

    private final ByteBuffer buffer;
    private final int start;
    private final int length;
    private final AtomicReferenceArray<byte[]> blocks;

    /** The {@code length} bytes of {@code buffer} from index {@code start}. */
    SharedBlocks(ByteBuffer buffer, int start, int length) {
        this.buffer = buffer;
        this.start = start;
        this.length = length;
        this.blocks = new AtomicReferenceArray<>(length / BLOCK);
    }

    /**
     * Writes bytes {@code [from, to)} of the table (relative to its start): whole blocks as shared inserts, the
     * rest copied.
     */
    void writeTo(BoxWriter out, long from, long to) {
        if (from < 0 || to > length || from > to) {
            throw new IndexOutOfBoundsException("bytes " + from + ".." + to + " of a table of " + length);
        }
        long firstWhole = (from + BLOCK - 1) / BLOCK;
        long endWhole = to / BLOCK;
        if (firstWhole >= endWhole) {
            out.write(buffer, start + from, to - from);
            return;
        }
        out.write(buffer, start + from, firstWhole * BLOCK - from);
        for (long b = firstWhole; b < endWhole; b++) {
            out.writeShared(block((int) b));
        }
        out.write(buffer, start + endWhole * BLOCK, to - endWhole * BLOCK);
    }

    private byte[] block(int index) {
        byte[] block = blocks.get(index);
        if (block == null) {
            block = new byte[BLOCK];
            buffer.get(start + index * BLOCK, block, 0, BLOCK);
            if (!blocks.compareAndSet(index, null, block)) {
                block = blocks.get(index); // another thread made the same bytes first: share its copy
            }
        }
        return block;
    }

    /** Memory the blocks can take once all are made. */
    long maxBytes() {
        return (long) blocks.length() * BLOCK;
    }
}
