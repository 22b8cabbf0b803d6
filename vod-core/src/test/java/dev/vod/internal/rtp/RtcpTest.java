package dev.vod.internal.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtcpTest {
    private static final ByteBufAllocator ALLOCATOR = ByteBufAllocator.DEFAULT;

    @Test
    void aSenderReportIsSrThenSdesWithTheCname() {
        ByteBuf packet = Rtcp.senderReport(ALLOCATOR, 0xcafebabe, 0x1122334455667788L, 0xfedcba98L, 1000, 1_200_000,
                "vod@example");
        try {
            assertEquals(0x80, packet.getUnsignedByte(0), "V=2, no padding, no report blocks");
            assertEquals(200, packet.getUnsignedByte(1));
            assertEquals(6, packet.getUnsignedShort(2), "7 words minus one");
            assertEquals(0xcafebabeL, packet.getUnsignedInt(4));
            assertEquals(0x11223344L, packet.getUnsignedInt(8), "NTP seconds");
            assertEquals(0x55667788L, packet.getUnsignedInt(12), "NTP fraction");
            assertEquals(0xfedcba98L, packet.getUnsignedInt(16), "RTP timestamp");
            assertEquals(1000, packet.getInt(20));
            assertEquals(1_200_000, packet.getInt(24));
            int sdes = 28;
            assertEquals(0x81, packet.getUnsignedByte(sdes), "one SDES chunk");
            assertEquals(202, packet.getUnsignedByte(sdes + 1));
            assertEquals(packet.readableBytes() - sdes, (packet.getUnsignedShort(sdes + 2) + 1) * 4);
            assertEquals(0xcafebabeL, packet.getUnsignedInt(sdes + 4));
            assertEquals(1, packet.getUnsignedByte(sdes + 8), "CNAME item");
            assertEquals(11, packet.getUnsignedByte(sdes + 9));
            assertEquals("vod@example", packet.toString(sdes + 10, 11, StandardCharsets.US_ASCII));
            assertEquals(0, packet.getUnsignedByte(sdes + 21), "item list ends with a null octet");
            assertEquals(0, packet.readableBytes() % 4);
            assertTrue(Rtcp.isValid(packet));
            assertEquals(0xcafebabeL, Rtcp.senderSsrc(packet));
        } finally {
            packet.release();
        }
    }

    @Test
    void aCnameThatFillsTheChunkExactlyStillGetsFourNullOctets() {
        ByteBuf packet = Rtcp.senderReport(ALLOCATOR, 1, 0, 0, 0, 0, "ab"); // 4 + 2 + 2 = 8 bytes of chunk
        try {
            assertEquals(28 + 4 + 8 + 4, packet.readableBytes());
            assertEquals(0, packet.getInt(packet.writerIndex() - 4));
        } finally {
            packet.release();
        }
    }

    @Test
    void byeIsAnEmptyReceiverReportSdesAndBye() {
        ByteBuf packet = Rtcp.bye(ALLOCATOR, 42, "vod");
        try {
            assertEquals(0x80, packet.getUnsignedByte(0));
            assertEquals(201, packet.getUnsignedByte(1));
            assertEquals(1, packet.getUnsignedShort(2));
            assertEquals(42, packet.getInt(4));
            int bye = packet.readableBytes() - 8;
            assertEquals(202, packet.getUnsignedByte(9));
            assertEquals(0x81, packet.getUnsignedByte(bye), "one SSRC");
            assertEquals(203, packet.getUnsignedByte(bye + 1));
            assertEquals(1, packet.getUnsignedShort(bye + 2));
            assertEquals(42, packet.getInt(bye + 4));
            assertTrue(Rtcp.isValid(packet));
        } finally {
            packet.release();
        }
    }

    @Test
    void ntpOfTheUnixEpochIsSeventyYearsOfSeconds() {
        assertEquals(2_208_988_800L << 32, Rtcp.ntp(0));
    }

    @Test
    void ntpHalfASecondIsHalfTheFraction() {
        assertEquals((2_208_988_801L << 32) | 0x8000_0000L, Rtcp.ntp(1500));
    }

    @Test
    void aReceiverReportWithOneBlockFromAClientIsValid() {
        ByteBuf rr = Unpooled.buffer().writeByte(0x81).writeByte(201).writeShort(7).writeInt(0x12345678)
                .writeZero(24);
        assertTrue(Rtcp.isValid(rr));
        assertEquals(0x12345678L, Rtcp.senderSsrc(rr));
    }

    @Test
    void aCompoundPacketStartingWithSdesIsInvalid() {
        ByteBuf sdes = Unpooled.buffer().writeByte(0x81).writeByte(202).writeShort(1).writeInt(1);
        assertFalse(Rtcp.isValid(sdes));
        assertEquals(-1, Rtcp.senderSsrc(sdes));
    }

    @Test
    void lengthsThatDoNotAddUpAreInvalid() {
        ByteBuf packet = Rtcp.senderReport(ALLOCATOR, 1, 0, 0, 0, 0, "vod");
        try {
            packet.writeByte(0);
            assertFalse(Rtcp.isValid(packet), "a stray byte after the last packet");
            packet.writerIndex(packet.writerIndex() - 5);
            assertFalse(Rtcp.isValid(packet), "the SDES cut short");
        } finally {
            packet.release();
        }
    }

    @Test
    void versionOneIsInvalid() {
        ByteBuf rr = Unpooled.buffer().writeByte(0x40).writeByte(201).writeShort(1).writeInt(7);
        assertFalse(Rtcp.isValid(rr));
    }

    @Test
    void paddingOnTheFirstOfTwoPacketsIsInvalid() {
        ByteBuf packet = Unpooled.buffer().writeByte(0xa0).writeByte(201).writeShort(1).writeInt(7)
                .writeByte(0x81).writeByte(203).writeShort(1).writeInt(7);
        assertFalse(Rtcp.isValid(packet));
    }

    @Test
    void randomGarbageNeverThrowsAndIsAlmostNeverValid() {
        Random random = new Random(2435);
        int valid = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(80)];
            random.nextBytes(bytes);
            if (random.nextBoolean() && bytes.length > 1) {
                bytes[0] = (byte) 0x80;
                bytes[1] = (byte) 201; // get past the first checks more often
            }
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            if (Rtcp.isValid(buf)) {
                valid++;
                assertTrue(Rtcp.senderSsrc(buf) >= 0);
            } else {
                assertEquals(-1, Rtcp.senderSsrc(buf));
            }
        }
        assertTrue(valid < 200, valid + " random packets passed as valid");
    }

    @Test
    void theRtpHeaderIsWrittenAtItsIndexWithoutMovingTheBuffer() {
        ByteBuf packet = Unpooled.buffer(40).writeZero(4 + RtpHeader.SIZE);
        RtpHeader.write(packet, 4, true, 96, 0x1_2345, 0x1_8765_4321L, 0xdeadbeef);
        assertEquals(16, packet.writerIndex());
        assertEquals(0x80, packet.getUnsignedByte(4), "V=2, P=0, X=0, CC=0");
        assertEquals(0x80 | 96, packet.getUnsignedByte(5), "marker and payload type");
        assertEquals(0x2345, packet.getUnsignedShort(6), "sequence wraps at 16 bits");
        assertEquals(0x87654321L, packet.getUnsignedInt(8), "timestamp wraps at 32 bits");
        assertEquals(0xdeadbeefL, packet.getUnsignedInt(12));
        RtpHeader.write(packet, 4, false, 26, 1, 0, 1);
        assertEquals(26, packet.getUnsignedByte(5), "no marker");
    }
}
