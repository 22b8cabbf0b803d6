package dev.vod.internal.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.rtp.JpegImages.Options;
import dev.vod.testing.ExternalTool;
import io.netty.buffer.Unpooled;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MjpegIndexTest {
    private static final List<byte[]> FRAMES = List.of(
            JpegImages.encode(JpegImages.picture(160, 120, BufferedImage.TYPE_INT_RGB), Options.yuv420()),
            JpegImages.encode(JpegImages.picture(176, 144, BufferedImage.TYPE_INT_RGB),
                    Options.yuv420().restartEvery(2)),
            JpegImages.encode(JpegImages.picture(320, 240, BufferedImage.TYPE_INT_RGB), Options.yuv420()));

    @TempDir
    Path dir;

    @Test
    void theSeedFormatIsIndexedFrameByFrame() throws IOException {
        Path file = write(seed(FRAMES));
        MjpegIndex index = index(file);
        assertEquals(3, index.frames());
        assertEquals(5, index.offsets()[0]);
        assertFrames(file, index, FRAMES);
    }

    @Test
    void concatenatedJpegsAreSplitAtEachEoi() throws IOException {
        Path file = write(concatenated(FRAMES));
        MjpegIndex index = index(file);
        assertEquals(3, index.frames());
        assertEquals(0, index.offsets()[0]);
        assertFrames(file, index, FRAMES);
    }

    @Test
    void ffmpegMjpegStreamIsIndexedAndEveryFrameIsCarriable() throws IOException {
        Path ffmpeg = ExternalTool.find("ffmpeg");
        Assumptions.assumeTrue(ffmpeg != null, "ffmpeg is not on the PATH");
        Path file = dir.resolve("ffmpeg.mjpeg");
        ExternalTool.Result result = ExternalTool.run(Duration.ofSeconds(30), List.of(ffmpeg.toString(), "-y",
                "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10", "-frames:v", "7",
                "-pix_fmt", "yuvj420p", "-huffman", "default", "-f", "mjpeg", file.toString()));
        assertEquals(0, result.exitCode(), result::toString);
        MjpegIndex index = index(file);
        assertEquals(7, index.frames());
        byte[] bytes = Files.readAllBytes(file);
        long end = index.offsets()[6] + index.lengths()[6];
        assertEquals(bytes.length, end, "the last frame ends at the end of the file");
        for (int i = 0; i < 7; i++) {
            byte[] frame = Arrays.copyOfRange(bytes, (int) index.offsets()[i],
                    (int) index.offsets()[i] + index.lengths()[i]);
            assertTrue(JpegFrame.parse(Unpooled.wrappedBuffer(frame)).carriable(), "frame " + i);
        }
    }

    @Test
    void aTruncatedSeedFileEndsAtTheLastWholeFrame() throws IOException {
        byte[] whole = seed(FRAMES);
        MjpegIndex index = index(write(Arrays.copyOf(whole, whole.length - 10)));
        assertEquals(2, index.frames());
    }

    @Test
    void nonDigitsInASeedFileEndTheIndex() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(seed(FRAMES.subList(0, 2)));
        out.writeBytes("12a45".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(FRAMES.get(2));
        assertEquals(2, index(write(out.toByteArray())).frames());
    }

    @Test
    void aSeedLengthThatDoesNotLandOnAJpegEndsTheIndex() throws IOException {
        byte[] bytes = seed(FRAMES.subList(0, 1));
        bytes[5] = 0; // the frame no longer starts with SOI
        assertEquals(0, index(write(bytes)).frames());
    }

    @Test
    void aTruncatedConcatenationDropsTheCutFrame() throws IOException {
        byte[] whole = concatenated(FRAMES);
        MjpegIndex index = index(write(Arrays.copyOf(whole, whole.length - 1)));
        assertEquals(2, index.frames());
    }

    @Test
    void garbageAfterConcatenatedFramesEndsTheIndex() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(concatenated(FRAMES.subList(0, 2)));
        out.writeBytes("trailing garbage".getBytes(StandardCharsets.US_ASCII));
        assertEquals(2, index(write(out.toByteArray())).frames());
    }

    @Test
    void aFileOfGarbageHasNoFrames() throws IOException {
        assertEquals(0, index(write("not a video at all".getBytes(StandardCharsets.US_ASCII))).frames());
    }

    @Test
    void anEmptyFileHasNoFrames() throws IOException {
        assertEquals(0, index(write(new byte[0])).frames());
    }

    @Test
    void aFrameOverTheCapIsNotIndexed() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xff);
        out.write(0xd8);
        byte[] comment = new byte[65_535 + 2];
        comment[0] = (byte) 0xff;
        comment[1] = (byte) 0xfe;
        comment[2] = (byte) 0xff;
        comment[3] = (byte) 0xff;
        while (out.size() <= MjpegIndex.MAX_FRAME) {
            out.writeBytes(comment);
        }
        out.write(0xff);
        out.write(0xd9);
        assertEquals(0, index(write(out.toByteArray())).frames());
    }

    private void assertFrames(Path file, MjpegIndex index, List<byte[]> expected) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < expected.size(); i++) {
            int offset = (int) index.offsets()[i];
            assertArrayEquals(expected.get(i), Arrays.copyOfRange(bytes, offset, offset + index.lengths()[i]),
                    "frame " + i);
        }
    }

    private MjpegIndex index(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            return MjpegIndex.read(channel, channel.size());
        }
    }

    private Path write(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("movie.Mjpeg"), bytes);
    }

    private static byte[] seed(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            out.writeBytes(String.format("%05d", frame.length).getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    private static byte[] concatenated(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
