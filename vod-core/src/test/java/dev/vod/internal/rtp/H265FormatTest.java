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
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class H265FormatTest {
    private static final byte[] VPS = hex("40010c01ffff016000000300b0000003000003005d");
    private static final byte[] SPS = hex("420101016000000300b0000003000003005da00280802d1f");
    private static final byte[] PPS = hex("4401c172b462");
    private static final byte[] SEI = hex("4e01050401020304");

    private final PayloadFormat format = PayloadFormat.h265(98, hvcC(3, VPS, SPS, PPS, SEI));
    private final CollectingOutput out = new CollectingOutput();

    @Test
    void sdpLinesCarryTheParameterSetsButNotTheSei() {
        Base64.Encoder b64 = Base64.getEncoder();
        assertEquals("98 H265/90000", format.rtpmap());
        assertEquals("98 sprop-vps=" + b64.encodeToString(VPS) + ";sprop-sps=" + b64.encodeToString(SPS)
                + ";sprop-pps=" + b64.encodeToString(PPS), format.fmtp());
    }

    @Test
    void aSmallNalUnitGoesAsOnePacket() {
        byte[] trail = nal(300, 0x02, 0x01);
        assertTrue(packetize(sample(trail), false));
        assertEquals(1, out.packets.size());
        assertArrayEquals(trail, out.packets.get(0).payload());
        assertTrue(out.packets.get(0).marker());
    }

    @Test
    void aBigNalUnitIsSplitIntoFragmentationUnitsThatReassemble() {
        byte[] idr = nal(4000, 19 << 1, 0x01); // IDR_W_RADL, TID 1
        assertTrue(packetize(sample(idr, nal(10, 0x02, 0x01)), false));
        assertEquals(4, out.packets.size(), "3998 bytes after the header, 1397 per fragment, then the small one");
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            CollectingOutput.Packet packet = out.packets.get(i);
            assertTrue(packet.payload().length <= RtpOutput.PAYLOAD_LIMIT);
            assertEquals(49, packet.byteAt(0) >> 1, "payload header type FU");
            assertEquals(0x01, packet.byteAt(1), "LayerId and TID kept");
            int fuHeader = packet.byteAt(2);
            assertEquals(i == 0, (fuHeader & 0x80) != 0, "S bit");
            assertEquals(i == 2, (fuHeader & 0x40) != 0, "E bit");
            assertEquals(19, fuHeader & 0x3f);
            if (i == 0) {
                rebuilt.write(((fuHeader & 0x3f) << 1) | (packet.byteAt(0) & 0x81));
                rebuilt.write(packet.byteAt(1));
            }
            rebuilt.write(packet.payload(), 3, packet.payload().length - 3);
        }
        assertArrayEquals(idr, rebuilt.toByteArray());
        assertTrue(out.onlyLastHasMarker());
    }

    @Test
    void aKeyFrameGetsVpsSpsPpsInFrontWhenItLacksThem() {
        assertTrue(packetize(sample(nal(100, 19 << 1, 0x01)), true));
        assertEquals(4, out.packets.size());
        assertArrayEquals(VPS, out.packets.get(0).payload());
        assertArrayEquals(SPS, out.packets.get(1).payload());
        assertArrayEquals(PPS, out.packets.get(2).payload());
        assertTrue(out.onlyLastHasMarker());
    }

    @Test
    void aKeyFrameWithAllThreeParameterSetsGetsNoCopy() {
        assertTrue(packetize(sample(VPS, SPS, PPS, nal(100, 19 << 1, 0x01)), true));
        assertEquals(4, out.packets.size());
    }

    @Test
    void accessUnitDelimitersAreDropped() {
        assertTrue(packetize(sample(hex("460150"), nal(100, 0x02, 0x01)), false));
        assertEquals(1, out.packets.size());
    }

    @Test
    void aOneByteNalUnitIsMalformed() {
        assertFalse(packetize(sample(nal(100, 0x02, 0x01), hex("02")), false));
        assertTrue(out.packets.isEmpty());
    }

    @Test
    void aRecordWithoutVpsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PayloadFormat.h265(98, hvcC(3, SPS, PPS)));
    }

    @Test
    void aRecordCutInsideItsArraysIsRefused() {
        byte[] whole = hvcC(3, VPS, SPS, PPS);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PayloadFormat.h265(98, cut));
        assertTrue(e.getMessage().startsWith("hvcC malformed"), e.getMessage());
    }

    private boolean packetize(ByteBuf unit, boolean keyFrame) {
        try {
            return format.newPacketizer().packetize(unit, keyFrame, out);
        } finally {
            unit.release();
        }
    }

    /** An HEVCDecoderConfigurationRecord: 22 fixed bytes, then one array per NAL unit, typed by its header. */
    static byte[] hvcC(int lengthSizeMinusOne, byte[]... nalUnits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.writeBytes(new byte[20]);
        out.write(0xfc | lengthSizeMinusOne);
        out.write(nalUnits.length);
        for (byte[] nal : nalUnits) {
            out.write(0x80 | ((nal[0] >> 1) & 0x3f));
            out.write(0);
            out.write(1);
            out.write(nal.length >> 8);
            out.write(nal.length);
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }
}
