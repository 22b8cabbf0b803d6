package dev.vod.internal.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/** A {@code $}-framed packet a client sent on the RTSP connection (RFC 2326 §10.12): RTCP reports, in practice. */
final class InterleavedFrame extends DefaultByteBufHolder {
    final int channel;

    InterleavedFrame(int channel, ByteBuf data) {
        super(data);
        this.channel = channel;
    }
}
