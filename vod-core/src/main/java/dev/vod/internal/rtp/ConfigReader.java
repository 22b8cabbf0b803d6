package dev.vod.internal.rtp;

/**
 * Reads a decoder configuration record (avcC, hvcC) front to back, turning a read past its end into an
 * {@link IllegalArgumentException} that names the record and the offset.
 */
final class ConfigReader {
    private final String recordName;
    private final byte[] bytes;
    private int position;

    ConfigReader(String recordName, byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException(recordName + " is missing");
        }
        this.recordName = recordName;
        this.bytes = bytes;
    }

    int u8() {
        need(1);
        return bytes[position++] & 0xff;
    }

    int u16() {
        return (u8() << 8) | u8();
    }

    byte[] bytes(int length) {
        need(length);
        byte[] out = java.util.Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return out;
    }

    void skip(int length) {
        need(length);
        position += length;
    }

    IllegalArgumentException malformed(String why) {
        return new IllegalArgumentException(recordName + " malformed at byte " + position + ": " + why);
    }

    private void need(int length) {
        if (length > bytes.length - position) {
            throw malformed("needs " + length + " more bytes, has " + (bytes.length - position));
        }
    }
}
