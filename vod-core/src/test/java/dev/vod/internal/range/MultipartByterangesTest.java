package dev.vod.internal.range;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.body.Body;
import dev.vod.internal.body.Segment;
import dev.vod.internal.body.SourceFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartByterangesTest {
    private static final String BOUNDARY = "0123456789abcdef01234567";

    @TempDir
    Path temp;

    private byte[] content;
    private Body fileBody;

    @BeforeEach
    void createFile() throws IOException {
        content = new byte[5000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + 7);
        }
        Path file = Files.write(temp.resolve("clip.mp4"), content);
        fileBody = Body.ofFile(new SourceFile(file, content.length, 0));
    }

    /** Reads every segment (file slices from disk) and concatenates them: the bytes a client would receive. */
    static byte[] materialise(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Segment segment : body.segments()) {
            if (segment instanceof Segment.Bytes bytes) {
                out.writeBytes(bytes.data());
            } else if (segment instanceof Segment.FileSlice slice) {
                try (FileChannel channel = FileChannel.open(slice.file().path(), StandardOpenOption.READ)) {
                    ByteBuffer buffer = ByteBuffer.allocate((int) slice.length());
                    while (buffer.hasRemaining()) {
                        if (channel.read(buffer, slice.offset() + buffer.position()) < 0) {
                            throw new IOException("file shorter than slice " + slice);
                        }
                    }
                    out.writeBytes(buffer.array());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out.toByteArray();
    }

    private byte[] bytes(int first, int last) {
        return java.util.Arrays.copyOfRange(content, first, last + 1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void twoRangesAreByteExact() {
        MultipartByteranges.Multipart multipart = MultipartByteranges.build(fileBody,
                List.of(new ByteRange(0, 99), new ByteRange(4900, 4999)), "video/mp4", 5000, BOUNDARY);
        byte[] expected = concat(
                ascii("\r\n--" + BOUNDARY + "\r\nContent-Type: video/mp4\r\nContent-Range: bytes 0-99/5000\r\n\r\n"),
                bytes(0, 99),
                ascii("\r\n--" + BOUNDARY + "\r\nContent-Type: video/mp4\r\n"
                        + "Content-Range: bytes 4900-4999/5000\r\n\r\n"),
                bytes(4900, 4999),
                ascii("\r\n--" + BOUNDARY + "--\r\n"));
        assertArrayEquals(expected, materialise(multipart.body()));
        assertEquals(expected.length, multipart.body().length());
        assertEquals("multipart/byteranges; boundary=" + BOUNDARY, multipart.contentTypeHeader());
    }

    @Test
    void fileBytesStayFileSlicesForZeroCopy() {
        MultipartByteranges.Multipart multipart = MultipartByteranges.build(fileBody,
                List.of(new ByteRange(10, 19), new ByteRange(200, 299)), "video/mp4", 5000);
        List<Segment> segments = multipart.body().segments();
        assertEquals(5, segments.size());
        assertEquals(new Segment.FileSlice(((Segment.FileSlice) fileBody.segments().get(0)).file(), 10, 10),
                segments.get(1));
        assertTrue(segments.get(0) instanceof Segment.Bytes);
        assertTrue(segments.get(2) instanceof Segment.Bytes);
        assertTrue(segments.get(3) instanceof Segment.FileSlice);
        assertTrue(segments.get(4) instanceof Segment.Bytes);
    }

    @Test
    void lengthMatchesMaterialisedBytesWithRandomBoundary() {
        MultipartByteranges.Multipart multipart = MultipartByteranges.build(fileBody,
                List.of(new ByteRange(0, 0), new ByteRange(100, 199), new ByteRange(4999, 4999)), "video/mp4", 5000);
        assertEquals(multipart.body().length(), materialise(multipart.body()).length);
    }

    @Test
    void rangesOfAMixedBodySpanGeneratedAndFileSegments() {
        byte[] header = ascii("GENERATED-HEADER");
        Body mixed = Body.of(new Segment.Bytes(header), fileBody.segments().get(0));
        long total = mixed.length();
        MultipartByteranges.Multipart multipart = MultipartByteranges.build(mixed,
                List.of(new ByteRange(10, 25), new ByteRange(1000, 1009)), "video/mp4", total, BOUNDARY);
        byte[] expected = concat(
                ascii("\r\n--" + BOUNDARY + "\r\nContent-Type: video/mp4\r\nContent-Range: bytes 10-25/"
                        + total + "\r\n\r\n"),
                ascii("HEADER"), bytes(0, 9),
                ascii("\r\n--" + BOUNDARY + "\r\nContent-Type: video/mp4\r\nContent-Range: bytes 1000-1009/"
                        + total + "\r\n\r\n"),
                bytes(1000 - header.length, 1009 - header.length),
                ascii("\r\n--" + BOUNDARY + "--\r\n"));
        assertArrayEquals(expected, materialise(multipart.body()));
    }

    @Test
    void nullContentTypeOmitsThePartHeader() {
        MultipartByteranges.Multipart multipart = MultipartByteranges.build(fileBody,
                List.of(new ByteRange(0, 1), new ByteRange(1000, 1001)), null, 5000, BOUNDARY);
        String text = new String(materialise(multipart.body()), StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("\r\n--" + BOUNDARY + "\r\nContent-Range: bytes 0-1/5000\r\n\r\n"), text);
        assertFalse(text.contains("Content-Type"), text);
    }

    @Test
    void boundaryIsRandomHexPerResponse() {
        String a = MultipartByteranges.randomBoundary();
        String b = MultipartByteranges.randomBoundary();
        assertTrue(a.matches("[0-9a-f]{24}"), a);
        assertNotEquals(a, b);
        String header = MultipartByteranges.build(fileBody, List.of(new ByteRange(0, 0)), "video/mp4", 5000)
                .contentTypeHeader();
        assertTrue(header.matches("multipart/byteranges; boundary=[0-9a-f]{24}"), header);
    }

    @Test
    void rangeOutsideBodyFails() {
        assertThrows(IndexOutOfBoundsException.class, () -> MultipartByteranges.build(fileBody,
                List.of(new ByteRange(4990, 5000)), "video/mp4", 5000));
    }

    @Test
    void noRangesFails() {
        assertThrows(IllegalArgumentException.class,
                () -> MultipartByteranges.build(fileBody, List.of(), "video/mp4", 5000));
    }

    @Test
    void parsedRangesFeedStraightIn() {
        RangeSpec.Satisfiable spec = (RangeSpec.Satisfiable) RangeSpec.parse("bytes=-10,0-9", 5000);
        MultipartByteranges.Multipart multipart =
                MultipartByteranges.build(fileBody, spec.ranges(), "video/mp4", 5000, BOUNDARY);
        String text = new String(materialise(multipart.body()), StandardCharsets.ISO_8859_1);
        assertTrue(text.indexOf("bytes 0-9/5000") < text.indexOf("bytes 4990-4999/5000"));
        assertTrue(text.endsWith("\r\n--" + BOUNDARY + "--\r\n"));
    }
}
