package dev.vod.internal.rtp;

import io.netty.buffer.ByteBuf;

/**
 * The 12-byte fixed RTP header (RFC 3550 §5.1), as this server sends it: version 2, no padding, no extension,
 * no CSRC.
 *
 * <pre>
 *  0                   1                   2                   3
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * |                           timestamp                           |
 * |                             SSRC                              |
 * </pre>
 */
public final class RtpHeader {
    /** Bytes of the fixed header. */
    public static final int SIZE = 12;
    private static final int VERSION_2 = 0x80;

    private RtpHeader() {
    }

    /**
     * Writes the header at absolute index {@code at} of {@code into}, without moving its indices, so the session
     * can fill the room it reserved in front of a payload.
     *
     * @param sequence  the low 16 bits are used
     * @param timestamp the low 32 bits are used
     */
    public static void write(ByteBuf into, int at, boolean marker, int payloadType, int sequence, long timestamp,
                             int ssrc) {
        into.setByte(at, VERSION_2);
        into.setByte(at + 1, (marker ? 0x80 : 0) | (payloadType & 0x7f));
        into.setShort(at + 2, sequence);
        into.setInt(at + 4, (int) timestamp);
        into.setInt(at + 8, ssrc);
    }
}
