package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately small, independent reader of fragmented MP4 output, for checking the packager: walks
 * {@code moof}/{@code mdat} pairs and expands every {@code trun} into samples with their bytes. It knows only
 * what the packager writes (default-base-is-moof, explicit per-sample fields) and fails on anything else.
 */
final class FragmentReader {
    private FragmentReader() {
    }

    /** One sample read back: its decode time, duration, composition offset, key-frame flag and bytes. */
    record Sample(long dts, long duration, long ctsOffset, boolean sync, byte[] data) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Sample s && s.dts == dts && s.duration == duration && s.ctsOffset == ctsOffset
                    && s.sync == sync && Arrays.equals(s.data, data);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(dts) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Sample[dts=" + dts + ", duration=" + duration + ", cts+" + ctsOffset + ", sync=" + sync
                    + ", " + data.length + " bytes]";
        }
    }

    /** Samples per track ID of the fragments in {@code bytes} (no init segment), checking sequence numbers. */
    static Map<Integer, List<Sample>> read(byte[] bytes, int firstSequence) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        Map<Integer, List<Sample>> out = new HashMap<>();
        int at = 0;
        int sequence = firstSequence;
        while (at < bytes.length) {
            int moofSize = b.getInt(at);
            assertEquals("moof", type(b, at + 4), "box at " + at);
            int mdatAt = at + moofSize;
            assertEquals("mdat", type(b, mdatAt + 4), "box after the moof at " + at);
            long mdatSize = b.getInt(mdatAt) & 0xffffffffL;
            int p = at + 8;
            while (p < at + moofSize) {
                int size = b.getInt(p);
                String type = type(b, p + 4);
                if (type.equals("mfhd")) {
                    assertEquals(sequence++, b.getInt(p + 12), "mfhd sequence number");
                } else if (type.equals("traf")) {
                    readTraf(b, p, size, at, mdatAt, mdatSize, out);
                }
                p += size;
            }
            at = (int) (mdatAt + mdatSize);
        }
        return out;
    }

    private static void readTraf(ByteBuffer b, int traf, int trafSize, int moof, int mdatAt, long mdatSize,
                                 Map<Integer, List<Sample>> out) {
        int p = traf + 8;
        int track = -1;
        long dts = -1;
        while (p < traf + trafSize) {
            int size = b.getInt(p);
            String type = type(b, p + 4);
            int flags = b.getInt(p + 8) & 0xffffff;
            int version = b.get(p + 8) & 0xff;
            switch (type) {
                case "tfhd" -> {
                    assertEquals(0x020000, flags, "tfhd flags: default-base-is-moof only");
                    track = b.getInt(p + 12);
                }
                case "tfdt" -> dts = version == 1 ? b.getLong(p + 12) : b.getInt(p + 12) & 0xffffffffL;
                case "trun" -> {
                    assertTrue(track > 0 && dts >= 0, "tfhd and tfdt before trun");
                    assertEquals(0x701, flags & 0x701, "trun carries data offset, durations, sizes and flags");
                    int count = b.getInt(p + 12);
                    int data = moof + b.getInt(p + 16);
                    int e = p + 20;
                    List<Sample> samples = out.computeIfAbsent(track, k -> new ArrayList<>());
                    for (int i = 0; i < count; i++) {
                        long duration = b.getInt(e) & 0xffffffffL;
                        int sampleSize = b.getInt(e + 4);
                        int sampleFlags = b.getInt(e + 8);
                        long cto = 0;
                        e += 12;
                        if ((flags & 0x800) != 0) {
                            cto = version == 1 ? b.getInt(e) : b.getInt(e) & 0xffffffffL;
                            e += 4;
                        }
                        assertTrue(data >= mdatAt + 8 && data + sampleSize <= mdatAt + mdatSize, "sample inside mdat");
                        byte[] bytes = Arrays.copyOfRange(b.array(), data, data + sampleSize);
                        samples.add(new Sample(dts, duration, cto, (sampleFlags & 0x00010000) == 0, bytes));
                        data += sampleSize;
                        dts += duration;
                    }
                }
                default -> {
                }
            }
            p += size;
        }
    }

    private static String type(ByteBuffer b, int at) {
        return new String(b.array(), at, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
