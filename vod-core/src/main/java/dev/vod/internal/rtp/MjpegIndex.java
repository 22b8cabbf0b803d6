package dev.vod.internal.rtp;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Where the JPEG frames of an MJPEG file are. Two layouts are read, told apart by the first bytes:
 *
 * <pre>
 * seed format ("movie.Mjpeg" of the classic student RTSP servers): 5 ASCII digits of frame length, then the frame
 *   "05123" FFD8 ... FFD9 "04987" FFD8 ... FFD9 ...
 * plain concatenated JPEGs (e.g. ffmpeg -f mjpeg): each frame's end found by walking its markers
 *   FFD8 ... FFDA (scan) ... FFD9 FFD8 ... FFD9 ...
 * </pre>
 *
 * <p>The file is read through a bounded window, never whole. Malformed data (a length past the end of the file,
 * non-digits, a frame that does not start with SOI, or one over {@link #MAX_FRAME} bytes) ends the index at the last
 * good frame, so a truncated recording still plays up to where it breaks.
 */
public final class MjpegIndex {
    /** No frame is indexed beyond this size: a frame is read into memory to be packetized. */
    public static final int MAX_FRAME = 4 << 20;
    private static final int DIGITS = 5;

    private final long[] offsets;
    private final int[] lengths;

    private MjpegIndex(long[] offsets, int[] lengths) {
        this.offsets = offsets;
        this.lengths = lengths;
    }

    /** Indexes the first {@code size} bytes of {@code channel}; an empty index when there is no frame. */
    public static MjpegIndex read(FileChannel channel, long size) throws IOException {
        Window in = new Window(channel, size);
        Builder frames = new Builder();
        if (in.u8(0) == 0xff && in.u8(1) == 0xd8) {
            long position = 0;
            long end;
            while ((end = endOfJpeg(in, position)) > 0) {
                frames.add(position, (int) (end - position));
                position = end;
            }
        } else {
            long position = 0;
            int length;
            while ((length = seedLength(in, position)) > 0) {
                frames.add(position + DIGITS, length);
                position += DIGITS + length;
            }
        }
        return frames.build();
    }

    /** Number of frames. */
    public int frames() {
        return offsets.length;
    }

    /** File offset of each frame's SOI marker. A copy. */
    public long[] offsets() {
        return offsets.clone();
    }

    /** Length in bytes of each frame, SOI to EOI. A copy. */
    public int[] lengths() {
        return lengths.clone();
    }

    /** The length of the seed-format frame whose digits are at {@code position}, or -1 if there is none. */
    private static int seedLength(Window in, long position) throws IOException {
        int length = 0;
        for (int i = 0; i < DIGITS; i++) {
            int c = in.u8(position + i);
            if (c < '0' || c > '9') {
                return -1;
            }
            length = length * 10 + (c - '0');
        }
        long frame = position + DIGITS;
        if (length < 4 || frame + length > in.size || in.u8(frame) != 0xff || in.u8(frame + 1) != 0xd8) {
            return -1;
        }
        return length;
    }

    /**
     * The offset just past the EOI of the JPEG starting at {@code start}, or -1 if there is no complete JPEG there.
     * Marker segments are skipped by their length; in entropy-coded data, FF00 (a stuffed FF), RSTn and fill bytes
     * are not markers.
     */
    private static long endOfJpeg(Window in, long start) throws IOException {
        if (in.u8(start) != 0xff || in.u8(start + 1) != 0xd8) {
            return -1;
        }
        long limit = Math.min(in.size, start + MAX_FRAME);
        long position = start + 2;
        while (position + 1 < limit) {
            if (in.u8(position) != 0xff) {
                return -1;
            }
            int marker = in.u8(position + 1);
            if (marker == 0xd9) {
                return position + 2;
            } else if (marker == 0xff) {
                position++; // fill byte
            } else if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
                position += 2; // markers without a length
            } else {
                if (position + 3 >= limit) {
                    return -1;
                }
                position += 2 + ((in.u8(position + 2) << 8) | in.u8(position + 3));
                if (marker == 0xda) {
                    position = nextMarker(in, position, limit);
                }
            }
        }
        return -1;
    }

    /** The offset of the first marker after entropy-coded data from {@code position}, or {@code limit}. */
    private static long nextMarker(Window in, long position, long limit) throws IOException {
        while (position + 1 < limit) {
            if (in.u8(position) == 0xff) {
                int next = in.u8(position + 1);
                if (next != 0x00 && next != 0xff && (next < 0xd0 || next > 0xd7)) {
                    return position;
                }
            }
            position++;
        }
        return limit;
    }

    /** A read-only window of up to 64 KiB that slides over the file as offsets are asked for. */
    private static final class Window {
        private final FileChannel channel;
        private final long size;
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        private long bufferStart;

        Window(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
            buffer.limit(0);
        }

        /** The byte at {@code offset}, or -1 past the end. */
        int u8(long offset) throws IOException {
            if (offset < 0 || offset >= size) {
                return -1;
            }
            if (offset < bufferStart || offset >= bufferStart + buffer.limit()) {
                fill(offset);
            }
            return buffer.get((int) (offset - bufferStart)) & 0xff;
        }

        private void fill(long offset) throws IOException {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), size - offset));
            bufferStart = offset;
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new EOFException("file shorter than " + size + " bytes at offset " + offset);
                }
            }
            buffer.flip();
        }
    }

    /** Growable arrays of offsets and lengths. */
    private static final class Builder {
        private long[] offsets = new long[64];
        private int[] lengths = new int[64];
        private int count;

        void add(long offset, int length) {
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
                lengths = Arrays.copyOf(lengths, count * 2);
            }
            offsets[count] = offset;
            lengths[count] = length;
            count++;
        }

        MjpegIndex build() {
            return new MjpegIndex(Arrays.copyOf(offsets, count), Arrays.copyOf(lengths, count));
        }
    }
}
