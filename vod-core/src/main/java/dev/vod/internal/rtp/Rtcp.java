package dev.vod.internal.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The RTCP packets a sender needs (RFC 3550 §6), and the check of what receivers send back.
 *
 * <p>Every compound packet starts with a report and carries an SDES CNAME (§6.1):
 * <pre>
 * sender report: SR (no report blocks) | SDES (CNAME)
 * goodbye:       RR (no report blocks) | SDES (CNAME) | BYE
 * </pre>
 * The goodbye uses an empty RR rather than an SR because at teardown the session has no fresh timestamps to put in
 * one, and an SR with stale ones would mislead a receiver's synchronisation; an empty RR is the report §6.1 allows a
 * compound packet to start with when there is nothing to report.
 */
public final class Rtcp {
    static final int SENDER_REPORT = 200;
    static final int RECEIVER_REPORT = 201;
    static final int SOURCE_DESCRIPTION = 202;
    static final int GOODBYE = 203;
    private static final int VERSION_2 = 0x80;
    private static final int CNAME = 1;
    /** Seconds from the NTP era (1900-01-01) to the Unix epoch (1970-01-01). */
    private static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;
    private static final int SENDER_REPORT_SIZE = 28;
    private static final int REPORT_BLOCK_SIZE = 24;

    private Rtcp() {
    }

    /** SR with the sender info and no report blocks, then SDES with the CNAME. */
    public static ByteBuf senderReport(ByteBufAllocator allocator, int ssrc, long ntpTimestamp64, long rtpTimestamp,
                                       long packetCount, long octetCount, String cname) {
        byte[] name = cnameBytes(cname);
        ByteBuf out = allocator.buffer(SENDER_REPORT_SIZE + sdesSize(name));
        out.writeByte(VERSION_2);
        out.writeByte(SENDER_REPORT);
        out.writeShort(SENDER_REPORT_SIZE / 4 - 1);
        out.writeInt(ssrc);
        out.writeLong(ntpTimestamp64);
        out.writeInt((int) rtpTimestamp);
        out.writeInt((int) packetCount);
        out.writeInt((int) octetCount);
        writeSdes(out, ssrc, name);
        return out;
    }

    /** An empty RR, SDES with the CNAME, then BYE for {@code ssrc} (see the class comment for why not an SR). */
    public static ByteBuf bye(ByteBufAllocator allocator, int ssrc, String cname) {
        byte[] name = cnameBytes(cname);
        ByteBuf out = allocator.buffer(8 + sdesSize(name) + 8);
        out.writeByte(VERSION_2);
        out.writeByte(RECEIVER_REPORT);
        out.writeShort(1);
        out.writeInt(ssrc);
        writeSdes(out, ssrc, name);
        out.writeByte(VERSION_2 | 1); // one SSRC leaving
        out.writeByte(GOODBYE);
        out.writeShort(1);
        out.writeInt(ssrc);
        return out;
    }

    /** The 64-bit NTP timestamp (seconds since 1900 . fraction of 2^-32 s) of an instant given in Unix millis. */
    public static long ntp(long epochMillis) {
        long seconds = Math.floorDiv(epochMillis, 1000L) + NTP_TO_UNIX_SECONDS;
        long fraction = (Math.floorMod(epochMillis, 1000L) << 32) / 1000;
        return (seconds << 32) | fraction;
    }

    /**
     * Whether {@code packet}'s readable bytes are a valid compound RTCP packet (RFC 3550 Appendix A.2): version 2
     * throughout, an SR or RR first, no padding but on the last packet, and lengths that add up to exactly the
     * datagram. Reads without moving the indices and never throws.
     */
    public static boolean isValid(ByteBuf packet) {
        int start = packet.readerIndex();
        int end = packet.writerIndex();
        if (end - start < 8) {
            return false;
        }
        int first = packet.getUnsignedByte(start);
        int type = packet.getUnsignedByte(start + 1);
        if ((first & 0xe0) != VERSION_2 || (type != SENDER_REPORT && type != RECEIVER_REPORT)) {
            return false;
        }
        int minimum = (type == SENDER_REPORT ? SENDER_REPORT_SIZE : 8) + (first & 0x1f) * REPORT_BLOCK_SIZE;
        if ((packet.getUnsignedShort(start + 2) + 1) * 4 < minimum) {
            return false;
        }
        int position = start;
        while (position < end) {
            if (end - position < 4) {
                return false;
            }
            int header = packet.getUnsignedByte(position);
            if ((header & 0xc0) != VERSION_2) {
                return false;
            }
            int length = (packet.getUnsignedShort(position + 2) + 1) * 4;
            if (length > end - position) {
                return false;
            }
            boolean padded = (header & 0x20) != 0;
            position += length;
            if (padded && position != end) {
                return false;
            }
        }
        return true;
    }

    /** The SSRC of the first packet of a valid compound packet, as an unsigned value; -1 if it is not valid. */
    public static long senderSsrc(ByteBuf packet) {
        return isValid(packet) ? packet.getUnsignedInt(packet.readerIndex() + 4) : -1;
    }

    private static byte[] cnameBytes(String cname) {
        byte[] bytes = cname.getBytes(StandardCharsets.UTF_8);
        // An SDES item length is one byte; cutting a CNAME is better than sending an unparseable packet.
        return bytes.length <= 255 ? bytes : java.util.Arrays.copyOf(bytes, 255);
    }

    /** Header, SSRC, CNAME item, and 1..4 null octets that end the item list and pad to 32 bits. */
    private static int sdesSize(byte[] name) {
        int chunk = 4 + 2 + name.length;
        return 4 + chunk + (4 - chunk % 4);
    }

    private static void writeSdes(ByteBuf out, int ssrc, byte[] name) {
        int size = sdesSize(name);
        out.writeByte(VERSION_2 | 1); // one chunk
        out.writeByte(SOURCE_DESCRIPTION);
        out.writeShort(size / 4 - 1);
        out.writeInt(ssrc);
        out.writeByte(CNAME);
        out.writeByte(name.length);
        out.writeBytes(name);
        out.writeZero(size - 4 - 4 - 2 - name.length);
    }
}
