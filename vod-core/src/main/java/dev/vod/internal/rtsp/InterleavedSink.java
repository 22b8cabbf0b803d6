package dev.vod.internal.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * RTP and RTCP framed on the RTSP connection (RFC 2326 §10.12): {@code '$'}, the channel number, a 16-bit length,
 * then the packet. Written through the context of the connection's first handler so that they bypass the RTSP
 * response encoder.
 */
final class InterleavedSink implements RtpSink {
    private final ChannelHandlerContext wire;
    private final int rtpChannel;
    private final int rtcpChannel;

    InterleavedSink(ChannelHandlerContext wire, int rtpChannel, int rtcpChannel) {
        this.wire = wire;
        this.rtpChannel = rtpChannel;
        this.rtcpChannel = rtcpChannel;
    }

    @Override
    public int headroom() {
        return 4;
    }

    @Override
    public boolean writable() {
        return wire.channel().isWritable();
    }

    @Override
    public void writeRtp(ByteBuf packet) {
        int length = packet.readableBytes() - 4;
        packet.setByte(packet.readerIndex(), '$');
        packet.setByte(packet.readerIndex() + 1, rtpChannel);
        packet.setShort(packet.readerIndex() + 2, length);
        wire.write(packet, wire.voidPromise());
    }

    @Override
    public void writeRtcp(ByteBuf packet) {
        ByteBuf framed = wire.alloc().buffer(4 + packet.readableBytes());
        framed.writeByte('$').writeByte(rtcpChannel).writeShort(packet.readableBytes()).writeBytes(packet);
        packet.release();
        wire.write(framed, wire.voidPromise());
    }

    @Override
    public void flush() {
        wire.flush();
    }

    @Override
    public void close() {
        // The channels belong to the connection; nothing of ours to free.
    }

    /** Whether this sink sends on interleaved channel {@code channel}. */
    boolean uses(int channel) {
        return channel == rtpChannel || channel == rtcpChannel;
    }

    @Override
    public String describe() {
        return "RTP/AVP/TCP;unicast;interleaved=" + rtpChannel + "-" + rtcpChannel;
    }
}
