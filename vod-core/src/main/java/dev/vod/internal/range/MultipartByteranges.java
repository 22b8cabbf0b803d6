package dev.vod.internal.range;

import dev.vod.internal.body.Body;
import dev.vod.internal.body.Segment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@code multipart/byteranges} body (RFC 9110 §14.6) for a 206 with several ranges, built as a {@link Body} so it
 * is written zero-copy like any other: generated boundary blocks interleaved with slices of the original body.
 *
 * <pre>
 * Content-Type: multipart/byteranges; boundary=3d6b6a416f9b5e2c7a1f0b88
 *
 * \r\n--3d6b6a416f9b5e2c7a1f0b88\r\n
 * Content-Type: video/mp4\r\n
 * Content-Range: bytes 0-99/5000\r\n
 * \r\n
 * (bytes 0..99)
 * \r\n--3d6b6a416f9b5e2c7a1f0b88\r\n
 * Content-Type: video/mp4\r\n
 * Content-Range: bytes 4900-4999/5000\r\n
 * \r\n
 * (bytes 4900..4999)
 * \r\n--3d6b6a416f9b5e2c7a1f0b88--\r\n
 * </pre>
 *
 * <p>The boundary is 24 random hex digits per response (96 bits from {@link ThreadLocalRandom}); the chance that
 * it occurs inside the media is negligible, so the body is not scanned for it. The exact length, for
 * {@code Content-Length}, is {@code multipart.body().length()}.
 */
public final class MultipartByteranges {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int BOUNDARY_HEX_DIGITS = 24;

    private MultipartByteranges() {
    }

    /**
     * The multipart body and its {@code Content-Type} header value.
     *
     * @param body              boundary blocks and slices, in order
     * @param contentTypeHeader {@code multipart/byteranges; boundary=...}
     */
    public record Multipart(Body body, String contentTypeHeader) {
        public Multipart {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(contentTypeHeader, "contentTypeHeader");
        }
    }

    /**
     * Builds the multipart answer for {@code ranges} of {@code body}.
     *
     * @param contentType  the representation's media type, repeated in each part; {@code null} to omit it
     * @param totalLength  the representation's complete length for each part's {@code Content-Range}, normally
     *                     {@code body.length()}
     * @throws IllegalArgumentException  when {@code ranges} is empty
     * @throws IndexOutOfBoundsException when a range lies outside {@code body}
     */
    public static Multipart build(Body body, List<ByteRange> ranges, String contentType, long totalLength) {
        return build(body, ranges, contentType, totalLength, randomBoundary());
    }

    /** As {@link #build(Body, List, String, long)} with a chosen boundary (tests). */
    static Multipart build(Body body, List<ByteRange> ranges, String contentType, long totalLength,
                           String boundary) {
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("no ranges");
        }
        List<Segment> segments = new ArrayList<>(ranges.size() * 2 + 1);
        for (ByteRange range : ranges) {
            StringBuilder head = new StringBuilder(96)
                    .append("\r\n--").append(boundary).append("\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            head.append("Content-Range: ").append(range.contentRange(totalLength)).append("\r\n\r\n");
            segments.add(ascii(head.toString()));
            segments.addAll(body.slice(range.first(), range.length()).segments());
        }
        segments.add(ascii("\r\n--" + boundary + "--\r\n"));
        return new Multipart(Body.of(segments), "multipart/byteranges; boundary=" + boundary);
    }

    static String randomBoundary() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[BOUNDARY_HEX_DIGITS];
        long bits = 0;
        for (int i = 0; i < out.length; i++) {
            if (i % 16 == 0) {
                bits = random.nextLong();
            }
            out[i] = HEX[(int) (bits & 0xF)];
            bits >>>= 4;
        }
        return new String(out);
    }

    private static Segment ascii(String text) {
        // Header text is ASCII except the content type, which a sane configuration keeps ASCII too.
        return new Segment.Bytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
