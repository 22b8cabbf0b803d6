package dev.vod.internal.rtp;

import io.netty.buffer.ByteBuf;

/**
 * RFC 3640 AAC-hbr, one access unit per packet. Each payload starts with a 16-bit AU-headers-length (16: one
 * AU-header) and one AU-header of a 13-bit AU-size and a 3-bit AU-Index of 0:
 *
 * <pre>
 * 00 10 | size(13) index(3) | raw AAC access unit (or one fragment of it)
 * </pre>
 *
 * <p>An access unit too big for one packet is fragmented (§3.2.3): every fragment repeats the AU-header with the
 * size of the whole access unit, and only the last fragment has the marker bit. Bundling several small access units
 * per packet would save a few packets per second; one per packet keeps a lost packet to one lost frame.
 */
final class AacPacketizer implements Packetizer {
    private static final int AU_HEADER_SECTION = 4;
    /** The largest size a 13-bit AU-size field can state. */
    static final int MAX_ACCESS_UNIT = (1 << 13) - 1;

    @Override
    public boolean packetize(ByteBuf unit, boolean keyFrame, RtpOutput out) {
        int size = unit.readableBytes();
        if (size == 0 || size > MAX_ACCESS_UNIT) {
            return false;
        }
        int room = RtpOutput.PAYLOAD_LIMIT - AU_HEADER_SECTION;
        while (unit.isReadable()) {
            int chunk = Math.min(room, unit.readableBytes());
            ByteBuf payload = out.payload();
            payload.writeShort(16);
            payload.writeShort(size << 3);
            payload.writeBytes(unit, chunk);
            out.send(payload, !unit.isReadable());
        }
        return true;
    }
}
