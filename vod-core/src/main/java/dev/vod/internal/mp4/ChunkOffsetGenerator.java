package dev.vod.internal.mp4;

import dev.vod.internal.body.Segment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The entries of a cut track's {@code stco}, produced only when sent: for a long film the table is most of a
 * seek's header (hundreds of kilobytes), while a player's first Range request reads only its first 64 KiB.
 *
 * <p>The kept pieces are consecutive chunks in file order. They fall into runs, one per range of the output's
 * data layout, within which every offset moves by the same amount; so the table is described by a few numbers per
 * run (first piece, its exact value, the shift of the others) plus the source offsets cached with the index.
 * Entry {@code i} is {@code offsets[firstChunk + i] + shift} of its run, except a run's first piece, which may
 * start inside its chunk. Immutable once filled by {@link MoovRewriter}; then the same window gives the same
 * bytes every time.
 */
final class ChunkOffsetGenerator implements Segment.Generator {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final int[] offsets;
    private final int firstChunk;
    private final int count;
    private int runs;
    private int[] runStart = new int[4];
    private int[] runFirstValue = new int[4];
    private int[] runShift = new int[4];

    /** {@code count} entries for chunks from {@code firstChunk} of a table whose stco entries are {@code offsets}. */
    ChunkOffsetGenerator(int[] offsets, int firstChunk, int count) {
        this.offsets = offsets;
        this.firstChunk = firstChunk;
        this.count = count;
    }

    /** Forgets the runs (the moov is being laid out again). */
    void clear() {
        runs = 0;
    }

    /** Pieces from {@code start} on (until the next run) are their chunk's offset plus {@code shift}, mod 2^32. */
    void addRun(int start, int firstValue, int shift) {
        if (runs == runStart.length) {
            runStart = Arrays.copyOf(runStart, runs * 2);
            runFirstValue = Arrays.copyOf(runFirstValue, runs * 2);
            runShift = Arrays.copyOf(runShift, runs * 2);
        }
        runStart[runs] = start;
        runFirstValue[runs] = firstValue;
        runShift[runs] = shift;
        runs++;
    }

    /** Entry {@code i} of the table, as the bit pattern of the unsigned 32-bit offset. */
    int entry(int i, int run) {
        return i == runStart[run] ? runFirstValue[run] : offsets[firstChunk + i] + runShift[run];
    }

    private int runOf(int i) {
        int found = Arrays.binarySearch(runStart, 0, runs, i);
        return found >= 0 ? found : -found - 2;
    }

    @Override
    public void write(long from, byte[] dst, int dstOffset, int length) {
        if (from < 0 || length < 0 || from + length > 4L * count) {
            throw new IndexOutOfBoundsException("bytes " + from + "+" + length + " of " + 4L * count);
        }
        int at = dstOffset;
        long end = from + length;
        long position = from;
        int i = (int) (from / 4);
        int run = runOf(i);
        while (position < end) {
            while (run + 1 < runs && runStart[run + 1] <= i) {
                run++;
            }
            int value = entry(i, run);
            int skip = (int) (position - 4L * i);
            if (skip == 0 && end - position >= 4) {
                INT.set(dst, at, value);
                at += 4;
                position += 4;
            } else { // a window that cuts this entry: its bytes one by one
                for (int b = skip; b < 4 && position < end; b++) {
                    dst[at++] = (byte) (value >>> (24 - 8 * b));
                    position++;
                }
            }
            i++;
        }
    }
}
