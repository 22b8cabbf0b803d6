package dev.vod.internal.mp4;

import java.nio.ByteBuffer;

/** Sample sizes from a {@code stsz} (fixed or 32-bit table) or {@code stz2} (4-, 8- or 16-bit table) box. */
final class SampleSizes {
    private final ByteBuffer buffer;
    private final long fixedSize;
    private final long count;
    private final int entriesAt;
    private final int fieldBits;
    /**
     * For a table: {@code before[i]} is the total size of samples {@code [0, i)}, so any range sums in O(1) (a seek
     * sums the kept part of every chunk); null for a fixed size.
     */
    private final long[] before;
    /** The 32-bit table as blocks seek outputs share; null otherwise. */
    private final SharedBlocks shared;

    private SampleSizes(ByteBuffer buffer, long fixedSize, long count, int entriesAt, int fieldBits) {
        this.buffer = buffer;
        this.fixedSize = fixedSize;
        this.count = count;
        this.entriesAt = entriesAt;
        this.fieldBits = fieldBits;
        if (fixedSize == 0) {
            // count fits an int: the table holds count entries inside a moov smaller than 2 GiB
            before = new long[Math.toIntExact(count + 1)];
            for (int i = 0; i < count; i++) {
                before[i + 1] = before[i] + size(i);
            }
        } else {
            before = null;
        }
        shared = fixedSize == 0 && fieldBits == 32 ? new SharedBlocks(buffer, entriesAt, (int) (4 * count)) : null;
    }

    static SampleSizes parse(ByteBuffer buffer, BoxHeader box) {
        long payload = box.payloadSize();
        int at = (int) box.payloadOffset();
        if (payload < 12) {
            throw Mp4Problems.malformed(box.name() + " box too short");
        }
        if (box.type() == BoxTypes.STSZ) {
            long fixed = buffer.getInt(at + 4) & 0xffffffffL;
            long count = buffer.getInt(at + 8) & 0xffffffffL;
            if (fixed == 0 && count * 4 > payload - 12) {
                throw Mp4Problems.malformed("stsz declares " + count + " samples but holds room for "
                        + (payload - 12) / 4);
            }
            return new SampleSizes(buffer, fixed, count, at + 12, 32);
        }
        int bits = buffer.get(at + 7) & 0xff;
        long count = buffer.getInt(at + 8) & 0xffffffffL;
        if (bits != 4 && bits != 8 && bits != 16) {
            throw Mp4Problems.malformed("stz2 field size " + bits);
        }
        if ((count * bits + 7) / 8 > payload - 12) {
            throw Mp4Problems.malformed("stz2 declares " + count + " samples but is too short for them");
        }
        return new SampleSizes(buffer, 0, count, at + 12, bits);
    }

    ByteBuffer buffer() {
        return buffer;
    }

    long count() {
        return count;
    }

    boolean isFixed() {
        return fixedSize != 0;
    }

    long fixedSize() {
        return fixedSize;
    }

    /** Sum of all sample sizes. */
    long total() {
        return sum(0, count);
    }

    long size(long sample) {
        if (fixedSize != 0) {
            return fixedSize;
        }
        int i = (int) sample;
        return switch (fieldBits) {
            case 32 -> buffer.getInt(entriesAt + 4 * i) & 0xffffffffL;
            case 16 -> buffer.getShort(entriesAt + 2 * i) & 0xffff;
            case 8 -> buffer.get(entriesAt + i) & 0xff;
            default -> (buffer.get(entriesAt + i / 2) >>> ((i & 1) == 0 ? 4 : 0)) & 0x0f;
        };
    }

    /** Total size of samples {@code [from, to)}. */
    long sum(long from, long to) {
        if (fixedSize != 0) {
            return Math.multiplyExact(fixedSize, to - from); // may overflow only in a hostile file
        }
        return before[(int) to] - before[(int) from];
    }

    /** Memory held besides the moov buffer, for the cache's budget. */
    long indexBytes() {
        return (before == null ? 0 : before.length * 8L) + (shared == null ? 0 : shared.maxBytes());
    }

    /** Whether the entries are 32-bit, so a run of them can be copied from the moov verbatim into a stsz. */
    boolean is32BitTable() {
        return fixedSize == 0 && fieldBits == 32;
    }

    /** Writes the 32-bit entries of samples {@code [from, to)} (only for {@link #is32BitTable()}). */
    void writeEntries(BoxWriter out, long from, long to) {
        shared.writeTo(out, 4 * from, 4 * to);
    }
}
