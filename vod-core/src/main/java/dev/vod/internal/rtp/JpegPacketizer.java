package dev.vod.internal.rtp;

import io.netty.buffer.ByteBuf;

/** Placeholder until the RFC 2435 packetizer lands. */
final class JpegPacketizer implements Packetizer {
    @Override
    public boolean packetize(ByteBuf unit, boolean keyFrame, RtpOutput out) {
        return false;
    }
}
