package dev.vod.internal.rtp;

import io.netty.buffer.ByteBuf;

/** Turns one access unit into RTP payloads. One instance per stream; not thread-safe (it may keep state). */
public interface Packetizer {
    /**
     * Packetizes {@code unit} (its readable bytes; not released, reader index may move). Every payload it sends is
     * at most {@link RtpOutput#PAYLOAD_LIMIT} bytes, and the marker bit is set as the payload format requires.
     *
     * @param keyFrame whether the unit is a sync sample; video formats send their parameter sets in front of it
     *                 when the unit lacks them, so a client can start decoding at any key frame
     * @return false, having sent nothing, when the unit cannot be carried (malformed, or e.g. a JPEG that is not
     *         baseline); the caller counts and logs those
     */
    boolean packetize(ByteBuf unit, boolean keyFrame, RtpOutput out);
}
