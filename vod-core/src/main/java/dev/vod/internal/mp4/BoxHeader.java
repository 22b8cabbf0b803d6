package dev.vod.internal.mp4;

/**
 * Where one box lies: its type, the offset of its first byte, the length of its header (8, or 16 with a 64-bit
 * size) and its total size. Offsets are absolute in a file, or relative to a buffer holding a parent box.
 */
record BoxHeader(int type, long offset, int headerSize, long size) {

    long end() {
        return offset + size;
    }

    long payloadOffset() {
        return offset + headerSize;
    }

    long payloadSize() {
        return size - headerSize;
    }

    String name() {
        return BoxTypes.name(type);
    }

    @Override
    public String toString() {
        return name() + "@" + offset + "+" + size;
    }
}
