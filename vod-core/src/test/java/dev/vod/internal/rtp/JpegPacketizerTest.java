package dev.vod.internal.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.rtp.JpegImages.Options;
import dev.vod.testing.ExternalTool;
import dev.vod.testing.RtpJpeg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Packetizes real JPEGs, rebuilds them as an RFC 2435 receiver would, and checks the pictures survive. */
class JpegPacketizerTest {
    private final CollectingOutput out = new CollectingOutput();

    @Test
    void sdpLines() {
        PayloadFormat jpeg = PayloadFormat.jpeg();
        assertEquals(26, jpeg.payloadType());
        assertEquals("26 JPEG/90000", jpeg.rtpmap());
        assertNull(jpeg.fmtp());
        assertEquals(90_000, jpeg.clockRate());
    }

    @Test
    void a420FrameRoundTripsAsType1() {
        roundTrip(JpegImages.picture(320, 240, BufferedImage.TYPE_INT_RGB), Options.yuv420(), 1);
    }

    @Test
    void a422FrameRoundTripsAsType0() {
        roundTrip(JpegImages.picture(320, 240, BufferedImage.TYPE_INT_RGB), Options.yuv420().sampling(2, 1), 0);
    }

    @Test
    void aFrameWithRestartMarkersRoundTripsAsType65WithTheInterval() {
        byte[] jpeg = roundTrip(JpegImages.picture(320, 240, BufferedImage.TYPE_INT_RGB),
                Options.yuv420().restartEvery(5), 65);
        for (byte[] payload : out.payloads()) {
            assertEquals(5, ((payload[8] & 0xff) << 8) | (payload[9] & 0xff), "restart interval");
            assertEquals(0xffff, ((payload[10] & 0xff) << 8) | (payload[11] & 0xff), "F, L, count 3FFF");
        }
        assertTrue(jpeg.length > 0);
    }

    @Test
    void a422FrameWithRestartMarkersRoundTripsAsType64() {
        roundTrip(JpegImages.picture(256, 144, BufferedImage.TYPE_INT_RGB),
                Options.yuv420().sampling(2, 1).restartEvery(8), 64);
    }

    @Test
    void aSizeThatIsNotAMultipleOf16IsSentRoundedUpTo8AndStillDecodes() {
        BufferedImage source = JpegImages.picture(100, 75, BufferedImage.TYPE_INT_RGB);
        roundTrip(source, Options.yuv420(), 1);
        byte[] first = out.packets.get(0).payload();
        assertEquals(13, first[6] & 0xff, "ceil(100 / 8)");
        assertEquals(10, first[7] & 0xff, "ceil(75 / 8)");
    }

    @Test
    void theQuantizationTablesTravelOnlyInTheFirstPacketAndOffsetsAreContiguous() {
        byte[] jpeg = JpegImages.encode(JpegImages.picture(320, 240, BufferedImage.TYPE_INT_RGB), Options.yuv420());
        JpegFrame frame = parse(jpeg).frame();
        assertTrue(packetize(jpeg));
        assertTrue(out.packets.size() > 2, "a 320x240 frame needs several packets");
        int expectedOffset = 0;
        for (int i = 0; i < out.packets.size(); i++) {
            byte[] payload = out.packets.get(i).payload();
            assertTrue(payload.length <= RtpOutput.PAYLOAD_LIMIT);
            int offset = ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
            assertEquals(expectedOffset, offset);
            assertEquals(255, payload[5] & 0xff, "Q 255: tables in-band");
            int header = 8 + (i == 0 ? 4 + 128 : 0);
            if (i == 0) {
                assertEquals(128, ((payload[10] & 0xff) << 8) | (payload[11] & 0xff), "quantization table length");
            }
            expectedOffset += payload.length - header;
        }
        assertEquals(frame.scanLength(), expectedOffset);
        assertTrue(out.onlyLastHasMarker());
    }

    @Test
    void ffmpeg420WithDefaultHuffmanTablesRoundTrips() {
        byte[] jpeg = ffmpegJpeg("yuvj420p");
        assertTrue(packetize(jpeg), () -> parse(jpeg).reason());
        assertEquals(1, out.packets.get(0).payload()[4], "type 1: 4:2:0");
        BufferedImage rebuilt = JpegImages.decode(RtpJpeg.toJpeg(out.payloads()));
        double difference = JpegImages.meanAbsoluteDifference(JpegImages.decode(jpeg), rebuilt, 320, 240);
        assertTrue(difference < 1.0, "mean difference from ffmpeg's own JPEG " + difference);
    }

    /**
     * ffmpeg codes 4:2:2 with factors 2x2, 1x2, 1x2: the same chroma resolution as 2x1, 1x1, 1x1, but its MCUs
     * interleave the blocks differently, so a receiver rebuilding type 0 headers would decode garbage.
     */
    @Test
    void ffmpeg422IsNotCarriableBecauseItsMcuLayoutIsNotType0() {
        byte[] jpeg = ffmpegJpeg("yuvj422p");
        assertEquals("sampling 2x2,1x2,1x2 is neither 4:2:2 (2x1,1x1,1x1) nor 4:2:0 (2x2,1x1,1x1)",
                parse(jpeg).reason());
        assertFalse(packetize(jpeg));
    }

    private static byte[] ffmpegJpeg(String pixelFormat) {
        Path ffmpeg = ExternalTool.find("ffmpeg");
        Assumptions.assumeTrue(ffmpeg != null, "ffmpeg is not on the PATH");
        try {
            Path file = Files.createDirectories(Path.of("target", "rtp-jpeg")).resolve("ffmpeg-" + pixelFormat + ".jpg");
            ExternalTool.Result result = ExternalTool.run(Duration.ofSeconds(30), List.of(ffmpeg.toString(), "-y",
                    "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=1", "-frames:v", "1",
                    "-pix_fmt", pixelFormat, "-huffman", "default", "-q:v", "3", file.toString()));
            assertEquals(0, result.exitCode(), result::toString);
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aProgressiveJpegIsNotCarriable() {
        assertRefused(Options.yuv420().inProgressiveMode(), "not baseline");
    }

    @Test
    void optimisedHuffmanTablesAreNotCarriable() {
        assertRefused(Options.yuv420().optimised(), "Huffman");
    }

    @Test
    void yuv444IsNotCarriable() {
        assertRefused(Options.yuv420().sampling(1, 1), "sampling 1x1,1x1,1x1");
    }

    @Test
    void grayscaleIsNotCarriable() {
        byte[] gray = JpegImages.encode(JpegImages.picture(64, 64, BufferedImage.TYPE_BYTE_GRAY), Options.yuv420());
        assertTrue(parse(gray).reason().contains("grayscale"), parse(gray).reason());
        assertFalse(packetize(gray));
    }

    @Test
    void aJpegCutInsideItsScanIsNotCarriable() {
        byte[] jpeg = JpegImages.encode(JpegImages.picture(320, 240, BufferedImage.TYPE_INT_RGB), Options.yuv420());
        byte[] cut = java.util.Arrays.copyOf(jpeg, jpeg.length - 100);
        assertEquals("no EOI after the scan", parse(cut).reason());
        assertFalse(packetize(cut));
    }

    @Test
    void sixteenBitQuantizationTablesAreNotCarriable() {
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xdb, 0, (byte) 131, 0x10};
        byte[] withTable = java.util.Arrays.copyOf(jpeg, jpeg.length + 128 + 2);
        withTable[withTable.length - 2] = (byte) 0xff;
        withTable[withTable.length - 1] = (byte) 0xd9;
        assertEquals("16-bit quantization tables cannot be carried", parse(withTable).reason());
    }

    @Test
    void notAJpegIsNotCarriable() {
        assertEquals("not a JPEG: no SOI marker", parse("hello, not a picture".getBytes()).reason());
    }

    @Test
    void everyTruncationAndCorruptionOfARealJpegIsParsedWithoutThrowing() {
        byte[] jpeg = JpegImages.encode(JpegImages.picture(64, 48, BufferedImage.TYPE_INT_RGB),
                Options.yuv420().restartEvery(1));
        for (int length = 0; length < jpeg.length; length++) {
            JpegFrame.Parsed parsed = parse(java.util.Arrays.copyOf(jpeg, length));
            assertFalse(parsed.carriable(), "a JPEG cut to " + length + " bytes");
            assertTrue(parsed.reason() != null && !parsed.reason().isEmpty());
        }
        java.util.Random random = new java.util.Random(2435);
        for (int i = 0; i < 5_000; i++) {
            byte[] corrupt = jpeg.clone();
            for (int flips = 0; flips < 3; flips++) {
                corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
            }
            JpegFrame.Parsed parsed = parse(corrupt);
            assertTrue(parsed.carriable() != (parsed.reason() != null));
        }
    }

    @Test
    void theStandardTablesAreTheJdksAnnexKTables() {
        assertTableEquals(javax.imageio.plugins.jpeg.JPEGHuffmanTable.StdDCLuminance,
                StandardHuffmanTables.DC_LUMINANCE);
        assertTableEquals(javax.imageio.plugins.jpeg.JPEGHuffmanTable.StdDCChrominance,
                StandardHuffmanTables.DC_CHROMINANCE);
        assertTableEquals(javax.imageio.plugins.jpeg.JPEGHuffmanTable.StdACLuminance,
                StandardHuffmanTables.AC_LUMINANCE);
        assertTableEquals(javax.imageio.plugins.jpeg.JPEGHuffmanTable.StdACChrominance,
                StandardHuffmanTables.AC_CHROMINANCE);
    }

    private static void assertTableEquals(javax.imageio.plugins.jpeg.JPEGHuffmanTable expected, byte[] actual) {
        short[] lengths = expected.getLengths();
        short[] values = expected.getValues();
        assertEquals(lengths.length + values.length, actual.length);
        for (int i = 0; i < lengths.length; i++) {
            assertEquals(lengths[i], actual[i] & 0xff, "length count " + i);
        }
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], actual[16 + i] & 0xff, "value " + i);
        }
    }

    private byte[] roundTrip(BufferedImage source, Options options, int expectedType) {
        byte[] jpeg = JpegImages.encode(source, options);
        assertTrue(packetize(jpeg), () -> parse(jpeg).reason());
        for (CollectingOutput.Packet packet : out.packets) {
            assertTrue(packet.payload().length <= RtpOutput.PAYLOAD_LIMIT);
            assertEquals(expectedType, packet.byteAt(4), "RTP/JPEG type");
        }
        assertTrue(out.onlyLastHasMarker());
        byte[] rebuilt = RtpJpeg.toJpeg(out.payloads());
        BufferedImage decoded = JpegImages.decode(rebuilt);
        int w = source.getWidth();
        int h = source.getHeight();
        double fromEncoder = JpegImages.meanAbsoluteDifference(JpegImages.decode(jpeg), decoded, w, h);
        double fromSource = JpegImages.meanAbsoluteDifference(source, decoded, w, h);
        assertTrue(fromEncoder < 1.0, "mean difference from the original JPEG's decode " + fromEncoder);
        assertTrue(fromSource < 8.0, "mean difference from the source picture " + fromSource);
        return rebuilt;
    }

    private void assertRefused(Options options, String reasonPart) {
        byte[] jpeg = JpegImages.encode(JpegImages.picture(160, 120, BufferedImage.TYPE_INT_RGB), options);
        String reason = parse(jpeg).reason();
        assertTrue(reason != null && reason.contains(reasonPart), "reason: " + reason);
        assertFalse(packetize(jpeg));
        assertTrue(out.packets.isEmpty());
    }

    private boolean packetize(byte[] jpeg) {
        ByteBuf unit = Unpooled.wrappedBuffer(jpeg);
        try {
            return PayloadFormat.jpeg().newPacketizer().packetize(unit, true, out);
        } finally {
            unit.release();
        }
    }

    private static JpegFrame.Parsed parse(byte[] jpeg) {
        return JpegFrame.parse(Unpooled.wrappedBuffer(jpeg));
    }
}
