package dev.vod.internal.range;

/**
 * An inclusive byte range {@code first..last} of a representation, as in {@code Content-Range: bytes 0-499/1234}.
 *
 * @param first offset of the first byte, {@code >= 0}
 * @param last  offset of the last byte, {@code >= first}
 */
public record ByteRange(long first, long last) {
    public ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("invalid byte range " + first + "-" + last);
        }
    }

    /** Number of bytes in the range. */
    public long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value for this range of a representation of {@code completeLength} bytes. */
    public String contentRange(long completeLength) {
        return "bytes " + first + "-" + last + "/" + completeLength;
    }

    /** The {@code Content-Range} value of a 416 answer: {@code bytes *}{@code /completeLength}. */
    public static String unsatisfiedContentRange(long completeLength) {
        return "bytes */" + completeLength;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
