package dev.vod.internal.mp4;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a {@link FragmentIndex} from the random-access tables a muxer may have written: {@code mfra/tfra}
 * (a time and moof offset per key frame) or {@code sidx} (sizes and durations of consecutive subsegments).
 * Each returns null when the table is absent or does not line up with the file's moof boxes, so the caller
 * falls back to scanning moofs.
 */
final class FragmentTables {
    private FragmentTables() {
    }

    static FragmentIndex fromTfra(FileChannel channel, List<BoxHeader> topLevel, long[] moofs, Track reference,
                                  long dataEnd) {
        BoxHeader mfra = BoxReader.find(topLevel, BoxTypes.MFRA);
        if (mfra == null) {
            return null;
        }
        ByteBuffer bytes = FragmentIndex.read(channel, mfra);
        BoxHeader root = new BoxHeader(mfra.type(), 0, mfra.headerSize(), mfra.size());
        for (BoxHeader tfra : BoxReader.children(bytes, root)) {
            if (tfra.type() != BoxTypes.TFRA || tfra.payloadSize() < 16) {
                continue;
            }
            int at = (int) tfra.payloadOffset();
            int version = bytes.get(at) & 0xff;
            if (bytes.getInt(at + 4) != reference.trackId) {
                continue;
            }
            int sizes = bytes.getInt(at + 8);
            int entrySize = (version == 1 ? 16 : 8) + ((sizes >> 4) & 3) + ((sizes >> 2) & 3) + (sizes & 3) + 3;
            long entries = bytes.getInt(at + 12) & 0xffffffffL;
            if (entries == 0 || entries * entrySize > tfra.payloadSize() - 16) {
                return null;
            }
            long[] times = new long[(int) entries];
            long[] offsets = new long[(int) entries];
            int kept = 0;
            for (int i = 0; i < entries; i++) {
                int e = at + 16 + i * entrySize;
                long time = version == 1 ? bytes.getLong(e) : bytes.getInt(e) & 0xffffffffL;
                long offset = version == 1 ? bytes.getLong(e + 8) : bytes.getInt(e + 4) & 0xffffffffL;
                if (Arrays.binarySearch(moofs, offset) < 0) {
                    return null; // does not point at a moof: not trustworthy
                }
                if (kept > 0 && offset == offsets[kept - 1]) {
                    continue; // several key frames in one fragment: the fragment starts at the first
                }
                if (kept > 0 && (offset < offsets[kept - 1] || time < times[kept - 1])) {
                    return null;
                }
                times[kept] = time;
                offsets[kept++] = offset;
            }
            return new FragmentIndex(reference.timescale, Arrays.copyOf(times, kept), Arrays.copyOf(offsets, kept),
                    dataEnd, -1);
        }
        return null;
    }

    static FragmentIndex fromSidx(FileChannel channel, List<BoxHeader> topLevel, long[] moofs,
                                  long dataEnd) {
        BoxHeader sidx = BoxReader.find(topLevel, BoxTypes.SIDX);
        if (sidx == null) {
            return null;
        }
        ByteBuffer bytes = FragmentIndex.read(channel, sidx);
        int at = sidx.headerSize();
        int version = sidx.payloadSize() >= 4 ? bytes.get(at) & 0xff : -1;
        int fixed = version == 1 ? 32 : 24;
        if (version < 0 || sidx.payloadSize() < fixed) {
            return null;
        }
        long timescale = bytes.getInt(at + 8) & 0xffffffffL;
        long time = version == 1 ? bytes.getLong(at + 12) : bytes.getInt(at + 12) & 0xffffffffL;
        long firstOffset = version == 1 ? bytes.getLong(at + 20) : bytes.getInt(at + 16) & 0xffffffffL;
        int references = bytes.getShort(at + fixed - 2) & 0xffff;
        if (timescale == 0 || time < 0 || firstOffset < 0 || references == 0
                || (long) references * 12 > sidx.payloadSize() - fixed) {
            return null;
        }
        long offset = sidx.end() + firstOffset;
        long[] times = new long[references];
        long[] offsets = new long[references];
        for (int i = 0; i < references; i++) {
            int e = at + fixed + i * 12;
            int reference = bytes.getInt(e);
            if (reference < 0 || Arrays.binarySearch(moofs, offset) < 0) {
                return null; // a hierarchical index, or one that does not point at moofs
            }
            times[i] = time;
            offsets[i] = offset;
            offset += reference & 0x7fffffff;
            time += bytes.getInt(e + 4) & 0xffffffffL;
        }
        if (offset <= moofs[moofs.length - 1]) {
            return null; // covers only part of the file (one sidx per segment): scan instead
        }
        return new FragmentIndex(timescale, times, offsets, dataEnd, time);
    }
}
