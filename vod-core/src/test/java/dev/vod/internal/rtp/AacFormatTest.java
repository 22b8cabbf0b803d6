package dev.vod.internal.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AacFormatTest {
    /** AAC-LC, 44100 Hz, mono: the AudioSpecificConfig of content/sample.mp4. */
    private static final byte[] CONFIG = {0x12, 0x08};

    private final PayloadFormat format = PayloadFormat.aac(97, CONFIG, 44_100, 1);
    private final CollectingOutput out = new CollectingOutput();

    @Test
    void sdpLines() {
        assertEquals("97 mpeg4-generic/44100/1", format.rtpmap());
        assertEquals("97 streamtype=5;profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;"
                + "indexdeltalength=3;config=1208", format.fmtp());
        assertEquals(44_100, format.clockRate());
    }

    @Test
    void oneAccessUnitIsOnePacketWithOneAuHeaderAndTheMarker() {
        byte[] au = NalUnits.nal(371);
        assertTrue(packetize(au));
        assertEquals(1, out.packets.size());
        byte[] payload = out.packets.get(0).payload();
        assertEquals(0x0010, u16(payload, 0), "AU-headers-length in bits");
        assertEquals(371, u16(payload, 2) >> 3, "AU-size");
        assertEquals(0, u16(payload, 2) & 7, "AU-Index");
        assertArrayEquals(au, Arrays.copyOfRange(payload, 4, payload.length));
        assertTrue(out.packets.get(0).marker());
    }

    @Test
    void anAccessUnitThatFillsThePacketExactlyIsNotFragmented() {
        assertTrue(packetize(NalUnits.nal(RtpOutput.PAYLOAD_LIMIT - 4)));
        assertEquals(1, out.packets.size());
        assertEquals(RtpOutput.PAYLOAD_LIMIT, out.packets.get(0).payload().length);
    }

    @Test
    void aBigAccessUnitIsFragmentedEachFragmentStatingTheWholeSize() {
        byte[] au = NalUnits.nal(3000);
        assertTrue(packetize(au));
        assertEquals(3, out.packets.size());
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        for (CollectingOutput.Packet packet : out.packets) {
            assertTrue(packet.payload().length <= RtpOutput.PAYLOAD_LIMIT);
            assertEquals(16, u16(packet.payload(), 0));
            assertEquals(3000, u16(packet.payload(), 2) >> 3);
            rebuilt.write(packet.payload(), 4, packet.payload().length - 4);
        }
        assertArrayEquals(au, rebuilt.toByteArray());
        assertTrue(out.onlyLastHasMarker());
    }

    @Test
    void anAccessUnitTooBigForThe13BitSizeFieldIsRefused() {
        assertFalse(packetize(new byte[8192]));
        assertTrue(out.packets.isEmpty());
    }

    @Test
    void anEmptyAccessUnitIsRefused() {
        assertFalse(packetize(new byte[0]));
    }

    @Test
    void aOneByteConfigIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PayloadFormat.aac(97, new byte[] {0x12}, 44_100, 1));
    }

    @Test
    void aZeroSampleRateIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PayloadFormat.aac(97, CONFIG, 0, 1));
    }

    private boolean packetize(byte[] accessUnit) {
        ByteBuf unit = Unpooled.wrappedBuffer(accessUnit);
        try {
            return format.newPacketizer().packetize(unit, true, out);
        } finally {
            unit.release();
        }
    }

    private static int u16(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }
}
