package dev.vod.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the box structure of MP4 bytes for assertions (ISO/IEC 14496-12 box headers only). */
public final class Mp4Boxes {
    /** Boxes that hold only boxes. */
    private static final List<String> CONTAINERS = List.of("moov", "trak", "mdia", "minf", "stbl", "mvex", "moof",
            "traf", "edts", "dinf");

    private Mp4Boxes() {
    }

    /**
     * One box.
     *
     * @param type     its four-character type
     * @param offset   where it starts in the bytes read
     * @param size     its size, header included
     * @param children its boxes, for container types
     */
    public record Box(String type, long offset, long size, List<Box> children) {
        /** The first descendant of this type (depth first), or null. */
        public Box find(String childType) {
            for (Box c : children) {
                if (c.type.equals(childType)) {
                    return c;
                }
                Box deeper = c.find(childType);
                if (deeper != null) {
                    return deeper;
                }
            }
            return null;
        }

        public List<Box> all(String childType) {
            return children.stream().filter(c -> c.type.equals(childType)).toList();
        }
    }

    /** The top-level boxes of {@code data}; fails when a box header is broken or a size runs past the end. */
    public static List<Box> read(byte[] data) {
        return read(ByteBuffer.wrap(data), 0, data.length);
    }

    /** The types of the top-level boxes, in order. */
    public static List<String> types(byte[] data) {
        return read(data).stream().map(Box::type).toList();
    }

    private static List<Box> read(ByteBuffer data, long from, long to) {
        List<Box> boxes = new ArrayList<>();
        long at = from;
        while (at < to) {
            if (to - at < 8) {
                throw new AssertionError((to - at) + " stray bytes at " + at);
            }
            long size = Integer.toUnsignedLong(data.getInt((int) at));
            byte[] fourcc = new byte[4];
            data.get((int) at + 4, fourcc);
            String type = new String(fourcc, StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                size = data.getLong((int) at + 8);
                header = 16;
            } else if (size == 0) {
                size = to - at;
            }
            if (size < header || at + size > to) {
                throw new AssertionError("box " + type + " at " + at + " has size " + size + ", past the end " + to);
            }
            List<Box> children = CONTAINERS.contains(type) ? read(data, at + header, at + size) : List.of();
            boxes.add(new Box(type, at, size, children));
            at += size;
        }
        return boxes;
    }

    /** The sequence number in an {@code mfhd} box (at its offset in {@code data}). */
    public static long sequenceNumber(byte[] data, Box mfhd) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(data).getInt((int) mfhd.offset() + 12));
    }
}
