package dev.vod.internal.mp4;

import dev.vod.internal.body.Segment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A run of a cached int table written as big-endian 32-bit fields, {@code delta} added (mod 2^32) to every
 * {@code stride}-th one: what {@link BoxWriter#patchIntsAdding} writes, produced only when sent. Used for the
 * middle of a cut's {@code stsc} (source entries with their first chunk moved down), which for an interleaved
 * long film is hundreds of kilobytes a Range request mostly does not read. The table must not change.
 */
final class ShiftedIntsGenerator implements Segment.Generator {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final int[] source;
    private final int from;
    private final int count;
    private final int stride;
    private final int delta;

    /** Fields {@code source[from .. from + count)}, {@code delta} added to fields 0, stride, 2 * stride, ... */
    ShiftedIntsGenerator(int[] source, int from, int count, int stride, int delta) {
        this.source = source;
        this.from = from;
        this.count = count;
        this.stride = stride;
        this.delta = delta;
    }

    private int field(int k) {
        return source[from + k] + (k % stride == 0 ? delta : 0);
    }

    @Override
    public void write(long position, byte[] dst, int dstOffset, int length) {
        if (position < 0 || length < 0 || position + length > 4L * count) {
            throw new IndexOutOfBoundsException("bytes " + position + "+" + length + " of " + 4L * count);
        }
        int at = dstOffset;
        long end = position + length;
        int k = (int) (position / 4);
        while (position < end) {
            int value = field(k);
            int skip = (int) (position - 4L * k);
            if (skip == 0 && end - position >= 4) {
                INT.set(dst, at, value);
                at += 4;
                position += 4;
            } else { // a window that cuts this field: its bytes one by one
                for (int b = skip; b < 4 && position < end; b++) {
                    dst[at++] = (byte) (value >>> (24 - 8 * b));
                    position++;
                }
            }
            k++;
        }
    }
}
