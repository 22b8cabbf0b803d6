package dev.vod.internal.mp4;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import dev.vod.internal.body.Segment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes boxes into a growing byte array: {@link #begin(int)} a box, write its payload, {@link #end(int)} it and
 * its 32-bit size is filled in. Only for generated headers ({@code moov}, {@code mdat} headers), never media data.
 *
 * <p>Besides written bytes, the output can hold shared blocks ({@link #writeShared}): arrays that are not copied
 * but become their own body segments ({@link #toSegments()}). Positions (marks, {@link #length()}, patches) count
 * them; patches must fall in written bytes.
 */
final class BoxWriter {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Scratch writers kept per thread up to this capacity; larger ones are left to the garbage collector. */
    private static final int MAX_SCRATCH = 32 * 1024 * 1024;
    private static final ThreadLocal<BoxWriter> SCRATCH = new ThreadLocal<>();
    private static final ThreadLocal<int[]> SUMS = ThreadLocal.withInitial(() -> new int[4096]);
    /** Largest segment {@link #toSegments()} makes of written bytes. */
    static final int MAX_PIECE = 256 * 1024;

    private byte[] bytes;
    /** Bytes written into {@link #bytes} (shared blocks not included). */
    private int length;
    /** Shared blocks ({@link Segment.Bytes}) and lazily generated tables ({@link Segment.Generated}). */
    private Segment[] shared = new Segment[4];
    /** Where each shared block goes: the count of written bytes before it. */
    private int[] sharedAt = new int[4];
    private int sharedCount;
    private int sharedBytes;

    BoxWriter(int initialCapacity) {
        bytes = new byte[Math.max(64, initialCapacity)];
    }

    /**
     * An empty writer owned by the calling thread, reused by its next call: for building a header that is then
     * copied out with {@link #toByteArray()}. Its bytes are not cleared, so {@link #skip(int)}ped ones must all
     * be patched.
     */
    static BoxWriter scratch(int initialCapacity) {
        BoxWriter writer = SCRATCH.get();
        if (writer != null && writer.bytes.length > MAX_SCRATCH) {
            SCRATCH.remove(); // grown past the bound by a huge moov: do not keep it
            writer = null;
        }
        if (writer == null || writer.bytes.length < initialCapacity) {
            writer = new BoxWriter(initialCapacity);
            if (initialCapacity <= MAX_SCRATCH) {
                SCRATCH.set(writer);
            }
        }
        writer.length = 0;
        Arrays.fill(writer.shared, 0, writer.sharedCount, null);
        writer.sharedCount = 0;
        writer.sharedBytes = 0;
        return writer;
    }

    /** Starts a box of this type; returns the mark to pass to {@link #end(int)}. */
    int begin(int type) {
        int mark = length();
        writeInt(0);
        writeInt(type);
        return mark;
    }

    /** Starts a full box (version and 24-bit flags). */
    int beginFull(int type, int version, int flags) {
        int mark = begin(type);
        writeInt(version << 24 | (flags & 0xffffff));
        return mark;
    }

    /** Ends the box started at {@code mark}, writing its size. */
    void end(int mark) {
        patchInt(mark, length() - mark);
    }

    void writeInt(int value) {
        ensure(4);
        INT.set(bytes, length, value);
        length += 4;
    }

    void writeUnsignedInt(long value) {
        if (value < 0 || value > 0xffffffffL) {
            throw new IllegalArgumentException("not a 32-bit unsigned value: " + value);
        }
        writeInt((int) value);
    }

    void writeLong(long value) {
        writeInt((int) (value >>> 32));
        writeInt((int) value);
    }

    void writeByte(int value) {
        ensure(1);
        bytes[length++] = (byte) value;
    }

    /** Copies {@code count} bytes of {@code source} from {@code offset} (absolute), e.g. a box kept verbatim. */
    void write(ByteBuffer source, long offset, long count) {
        ensure(Math.toIntExact(count));
        source.get((int) offset, bytes, length, (int) count);
        length += (int) count;
    }

    void write(byte[] source) {
        ensure(source.length);
        System.arraycopy(source, 0, bytes, length, source.length);
        length += source.length;
    }

    /** Copies a whole box of {@code source} verbatim. */
    void copy(ByteBuffer source, BoxHeader box) {
        write(source, box.offset(), box.size());
    }

    /** Reserves a 32-bit field to fill later with {@link #patchInt(int, int)}; returns its position. */
    int reserveInt() {
        int position = length();
        writeInt(0);
        return position;
    }

    /** Skips {@code count} bytes, to fill later with the patch methods (they are not cleared: see scratch). */
    void skip(int count) {
        ensure(count);
        length += count;
    }

    void patchInt(int position, int value) {
        INT.set(bytes, written(position, 4), value);
    }

    void patchLong(int position, long value) {
        LONG.set(bytes, written(position, 8), value);
    }

    /** Adds {@code block} to the output without copying it; it must not change afterwards. */
    void writeShared(byte[] block) {
        insert(new Segment.Bytes(block));
    }

    /**
     * Adds {@code length} bytes that {@code generator} produces when (and only as far as) they are sent: a large
     * table of which a Range request may need only a window.
     */
    void writeGenerated(int length, Segment.Generator generator) {
        insert(new Segment.Generated(length, generator));
    }

    private void insert(Segment block) {
        if (sharedCount == shared.length) {
            shared = Arrays.copyOf(shared, sharedCount * 2);
            sharedAt = Arrays.copyOf(sharedAt, sharedCount * 2);
        }
        if (length() + block.length() > Integer.MAX_VALUE - 16) {
            throw Mp4Problems.malformed("rewritten moov would exceed 2 GiB");
        }
        shared[sharedCount] = block;
        sharedAt[sharedCount] = length;
        sharedCount++;
        sharedBytes += (int) block.length();
    }

    /** Index in {@link #bytes} of output position {@code position}, checking {@code count} written bytes lie there. */
    private int written(int position, int count) {
        int before = 0; // shared bytes placed before position
        for (int i = 0; i < sharedCount; i++) {
            int start = sharedAt[i] + before;
            if (position >= start + shared[i].length()) {
                before += (int) shared[i].length();
            } else if (position >= start) {
                throw new IndexOutOfBoundsException("patch inside a shared block");
            } else {
                break;
            }
        }
        int index = position - before;
        boolean crossesBlock = false;
        for (int i = 0; i < sharedCount && !crossesBlock; i++) {
            crossesBlock = sharedAt[i] > index && sharedAt[i] < index + count;
        }
        if (index < 0 || index + count > length || crossesBlock) {
            throw new IndexOutOfBoundsException("patch outside the written bytes");
        }
        return index;
    }

    /**
     * Overwrites {@code count} 32-bit fields from {@code position} with {@code source[from..]}, adding
     * {@code delta} to every {@code stride}-th one (the first of each entry), modulo 2^32. The values are
     * summed and byte-swapped in an int array (loops the JIT compiles tightly), then stored with one bulk copy:
     * measurably faster than storing each through a big-endian view.
     */
    void patchIntsAdding(int position, int[] source, int from, int count, int stride, int delta) {
        int at = written(position, 4 * count);
        int[] sums = SUMS.get();
        if (sums.length < count) {
            sums = new int[Math.max(count, 2 * sums.length)];
            SUMS.set(sums);
        }
        if (stride == 1) {
            for (int i = 0; i < count; i++) {
                sums[i] = Integer.reverseBytes(source[from + i] + delta);
            }
        } else {
            System.arraycopy(source, from, sums, 0, count);
            for (int i = 0; i < count; i += stride) {
                sums[i] += delta;
            }
            for (int i = 0; i < count; i++) {
                sums[i] = Integer.reverseBytes(sums[i]);
            }
        }
        // Byte-swapped values stored little-endian are the big-endian values; on little-endian hardware (x86,
        // ARM) that store is a plain memory copy, elsewhere a swapping one: correct either way.
        ByteBuffer.wrap(bytes, at, 4 * count).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(sums, 0, count);
    }

    /** Output bytes so far, shared blocks included. */
    int length() {
        return length + sharedBytes;
    }

    /** The output as one array; only for a writer without shared blocks. */
    byte[] toByteArray() {
        if (sharedCount > 0) {
            throw new IllegalStateException("shared blocks: use toSegments()");
        }
        return Arrays.copyOf(bytes, length);
    }

    /**
     * The output as body segments: runs of written bytes (copied out, in pieces of at most {@link #MAX_PIECE})
     * and the shared blocks between them.
     */
    List<Segment> toSegments() {
        List<Segment> segments = new ArrayList<>(2 * sharedCount + 2);
        int from = 0;
        for (int i = 0; i < sharedCount; i++) {
            addWritten(segments, from, sharedAt[i]);
            from = sharedAt[i];
            segments.add(shared[i]);
        }
        addWritten(segments, from, length);
        if (segments.isEmpty()) {
            segments.add(new Segment.Bytes(new byte[0]));
        }
        return segments;
    }

    /**
     * Written bytes {@code [from, to)} as segments. Pieces stay small so that no header array is a "humongous"
     * allocation for the garbage collector (G1 regions may be 1 MiB), and a Range request copies only the piece
     * it touches.
     */
    private void addWritten(List<Segment> segments, int from, int to) {
        for (int at = from; at < to; at += MAX_PIECE) {
            segments.add(new Segment.Bytes(Arrays.copyOfRange(bytes, at, Math.min(to, at + MAX_PIECE))));
        }
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            long wanted = Math.max((long) bytes.length * 2, (long) length + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw Mp4Problems.malformed("rewritten moov would exceed 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }
}
