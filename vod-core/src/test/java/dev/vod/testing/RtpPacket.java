package dev.vod.testing;

import java.util.Arrays;

/**
 * An RTP packet as a test reads it (RFC 3550 §5.1), or an RTCP one told apart by its payload type (200-204).
 *
 * @param version     must be 2
 * @param marker      the M bit
 * @param payloadType PT
 * @param sequence    16-bit sequence number
 * @param timestamp   32-bit timestamp
 * @param ssrc        synchronisation source
 * @param payload     bytes after the fixed header (no CSRC or extension expected)
 */
public record RtpPacket(int version, boolean marker, int payloadType, int sequence, long timestamp, int ssrc,
                        byte[] payload) {

    public static RtpPacket parse(byte[] data) {
        if (data.length < 12) {
            throw new IllegalArgumentException("shorter than an RTP header: " + data.length);
        }
        int version = (data[0] & 0xff) >>> 6;
        boolean marker = (data[1] & 0x80) != 0;
        int pt = data[1] & 0x7f;
        int seq = ((data[2] & 0xff) << 8) | (data[3] & 0xff);
        long ts = ((long) (data[4] & 0xff) << 24) | ((data[5] & 0xff) << 16) | ((data[6] & 0xff) << 8) | (data[7] & 0xff);
        int ssrc = ((data[8] & 0xff) << 24) | ((data[9] & 0xff) << 16) | ((data[10] & 0xff) << 8) | (data[11] & 0xff);
        return new RtpPacket(version, marker, pt, seq, ts, ssrc, Arrays.copyOfRange(data, 12, data.length));
    }

    /** The RTCP packet type of the first packet in {@code data} (200 SR, 201 RR, 202 SDES, 203 BYE), else -1. */
    public static int rtcpType(byte[] data) {
        return data.length >= 4 && (data[0] & 0xc0) == 0x80 ? data[1] & 0xff : -1;
    }

    /** Whether an RTCP compound packet contains a BYE (type 203). */
    public static boolean hasBye(byte[] data) {
        int at = 0;
        while (at + 4 <= data.length) {
            int type = data[at + 1] & 0xff;
            if (type == 203) {
                return true;
            }
            int words = ((data[at + 2] & 0xff) << 8) | (data[at + 3] & 0xff);
            at += 4 * (words + 1);
        }
        return false;
    }
}
