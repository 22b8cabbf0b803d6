package dev.vod.internal.rtp;

import static dev.vod.internal.rtp.NalUnits.hex;
import static dev.vod.internal.rtp.NalUnits.nal;
import static dev.vod.internal.rtp.NalUnits.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class H264FormatTest {
    /** The avcC of content/sample.mp4 (Main profile 3.0, 640x360), with its SPS and PPS. */
    static final byte[] AVCC = hex("014d401effe10018674d401eeca05017fcb808800000030080000019078b16cb01000468efbc80");
    static final byte[] SPS = hex("674d401eeca05017fcb808800000030080000019078b16cb");
    static final byte[] PPS = hex("68efbc80");

    private final PayloadFormat format = PayloadFormat.h264(96, AVCC);
    private final CollectingOutput out = new CollectingOutput();

    @Test
    void sdpLinesOfTheSampleAvcC() {
        assertEquals("96 H264/90000", format.rtpmap());
        assertEquals("96 packetization-mode=1;profile-level-id=4d401e;"
                + "sprop-parameter-sets=Z01AHuygUBf8uAiAAAADAIAAABkHixbL,aO+8gA==", format.fmtp());
        assertEquals(90_000, format.clockRate());
        assertEquals(96, format.payloadType());
    }

    @Test
    void smallNalUnitsGoAsSingleNalUnitPacketsWithMarkerOnTheLast() {
        byte[] first = nal(100, 0x41);
        byte[] second = nal(RtpOutput.PAYLOAD_LIMIT, 0x01);
        assertTrue(packetize(sample(first, second), false));
        assertEquals(2, out.packets.size());
        assertArrayEquals(first, out.packets.get(0).payload());
        assertArrayEquals(second, out.packets.get(1).payload());
        assertTrue(out.onlyLastHasMarker());
    }

    @Test
    void aNalUnitOverTheLimitIsSplitIntoFuAThatReassemblesToTheOriginal() {
        byte[] big = nal(5000, 0x65);
        assertTrue(packetize(sample(big), false));
        List<CollectingOutput.Packet> packets = out.packets;
        assertEquals(4, packets.size(), "4999 bytes after the NAL header, 1398 per fragment");
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        for (int i = 0; i < packets.size(); i++) {
            CollectingOutput.Packet packet = packets.get(i);
            assertTrue(packet.payload().length <= RtpOutput.PAYLOAD_LIMIT);
            assertEquals(0x60 | 28, packet.byteAt(0), "FU indicator keeps F and NRI, type 28");
            int fuHeader = packet.byteAt(1);
            assertEquals(i == 0, (fuHeader & 0x80) != 0, "S bit on the first fragment only");
            assertEquals(i == packets.size() - 1, (fuHeader & 0x40) != 0, "E bit on the last fragment only");
            assertEquals(5, fuHeader & 0x1f);
            if (i == 0) {
                rebuilt.write((packet.byteAt(0) & 0xe0) | (fuHeader & 0x1f));
            }
            rebuilt.write(packet.payload(), 2, packet.payload().length - 2);
        }
        assertArrayEquals(big, rebuilt.toByteArray());
        assertTrue(out.onlyLastHasMarker());
    }

    @Test
    void theMarkerIsOnlyOnTheLastFragmentOfTheLastNalUnit() {
        assertTrue(packetize(sample(nal(3000, 0x65), nal(3000, 0x65)), false));
        assertEquals(6, out.packets.size());
        assertTrue(out.onlyLastHasMarker());
    }

    @Test
    void aKeyFrameWithoutParameterSetsGetsTheRecordsInFront() {
        byte[] idr = nal(200, 0x65);
        assertTrue(packetize(sample(idr), true));
        assertEquals(3, out.packets.size());
        assertArrayEquals(SPS, out.packets.get(0).payload());
        assertArrayEquals(PPS, out.packets.get(1).payload());
        assertArrayEquals(idr, out.packets.get(2).payload());
        assertTrue(out.onlyLastHasMarker());
    }

    @Test
    void aKeyFrameThatCarriesItsOwnParameterSetsGetsNoExtraCopy() {
        byte[] ownSps = nal(20, 0x67);
        byte[] ownPps = nal(5, 0x68);
        assertTrue(packetize(sample(ownSps, ownPps, nal(200, 0x65)), true));
        assertEquals(3, out.packets.size());
        assertArrayEquals(ownSps, out.packets.get(0).payload());
    }

    @Test
    void aKeyFrameWithOnlyAnSpsStillGetsBothFromTheRecord() {
        assertTrue(packetize(sample(nal(20, 0x67), nal(200, 0x65)), true));
        assertEquals(4, out.packets.size());
        assertArrayEquals(SPS, out.packets.get(0).payload());
        assertArrayEquals(PPS, out.packets.get(1).payload());
    }

    @Test
    void aNonKeyFrameGetsNoParameterSets() {
        assertTrue(packetize(sample(nal(200, 0x41)), false));
        assertEquals(1, out.packets.size());
    }

    @Test
    void accessUnitDelimitersAreDropped() {
        byte[] slice = nal(50, 0x41);
        assertTrue(packetize(sample(hex("0910"), slice), false));
        assertEquals(1, out.packets.size());
        assertArrayEquals(slice, out.packets.get(0).payload());
        assertTrue(out.packets.get(0).marker());
    }

    @Test
    void aLengthPrefixRunningPastTheEndSendsNothing() {
        ByteBuf unit = Unpooled.buffer();
        unit.writeBytes(sample(nal(50, 0x41)));
        unit.writeInt(1000).writeBytes(nal(10, 0x41));
        assertFalse(packetize(unit, true));
        assertTrue(out.packets.isEmpty());
    }

    @Test
    void aTruncatedLengthPrefixSendsNothing() {
        ByteBuf unit = Unpooled.buffer();
        unit.writeBytes(sample(nal(50, 0x41)));
        unit.writeShort(0);
        assertFalse(packetize(unit, false));
        assertTrue(out.packets.isEmpty());
    }

    @Test
    void aLengthPrefixOverTwoGigabytesIsRefusedNotOverflowed() {
        ByteBuf unit = Unpooled.buffer().writeInt(0xffff_fff0).writeBytes(nal(10, 0x41));
        assertFalse(packetize(unit, false));
    }

    @Test
    void aUnitOfOnlyAnAccessUnitDelimiterHasNothingToCarry() {
        assertFalse(packetize(sample(hex("0910")), false));
        assertTrue(out.packets.isEmpty());
    }

    @Test
    void twoByteLengthPrefixesFromTheRecordAreHonoured() {
        byte[] avcC = AVCC.clone();
        avcC[4] = (byte) 0xfd; // lengthSizeMinusOne = 1
        Packetizer packetizer = PayloadFormat.h264(96, avcC).newPacketizer();
        ByteBuf unit = Unpooled.buffer().writeShort(3).writeBytes(hex("412233"));
        assertTrue(packetizer.packetize(unit, false, out));
        assertArrayEquals(hex("412233"), out.packets.get(0).payload());
    }

    @Test
    void aTruncatedRecordIsRefusedWithItsOffset() {
        byte[] truncated = java.util.Arrays.copyOf(AVCC, 20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PayloadFormat.h264(96, truncated));
        assertTrue(e.getMessage().startsWith("avcC malformed at byte 8"), e.getMessage());
    }

    @Test
    void aRecordWithoutPpsIsRefused() {
        byte[] noPps = java.util.Arrays.copyOf(AVCC, AVCC.length - 6);
        noPps[noPps.length - 1] = 0;
        assertThrows(IllegalArgumentException.class, () -> PayloadFormat.h264(96, noPps));
    }

    @Test
    void aStaticPayloadTypeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PayloadFormat.h264(26, AVCC));
    }

    private boolean packetize(ByteBuf unit, boolean keyFrame) {
        try {
            return format.newPacketizer().packetize(unit, keyFrame, out);
        } finally {
            unit.release();
        }
    }
}
