package dev.vod.internal.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * RTP to the client's RTP port from the server's even port, RTCP to its RTCP port from the odd one. A client
 * that gave a single port (the seed's {@code RTP/UDP; client_port= 25000}) gets no RTCP.
 */
final class UdpSink implements RtpSink {
    private final UdpPorts.Pair ports;
    private final InetSocketAddress rtpTo;
    private final InetSocketAddress rtcpTo;
    private final String transport;

    UdpSink(UdpPorts.Pair ports, InetSocketAddress rtpTo, InetSocketAddress rtcpTo, boolean seedSpelling) {
        this.ports = ports;
        this.rtpTo = rtpTo;
        this.rtcpTo = rtcpTo;
        String clientPorts = rtcpTo == null ? Integer.toString(rtpTo.getPort())
                : rtpTo.getPort() + "-" + rtcpTo.getPort();
        this.transport = (seedSpelling ? "RTP/UDP" : "RTP/AVP") + ";unicast;client_port=" + clientPorts
                + ";server_port=" + ports.port + "-" + (ports.port + 1);
    }

    @Override
    public int headroom() {
        return 0;
    }

    @Override
    public boolean writable() {
        return ports.rtp.isWritable();
    }

    @Override
    public void writeRtp(ByteBuf packet) {
        ports.rtp.write(new DatagramPacket(packet, rtpTo), ports.rtp.voidPromise());
    }

    @Override
    public void writeRtcp(ByteBuf packet) {
        if (rtcpTo == null) {
            packet.release();
            return;
        }
        ports.rtcp.writeAndFlush(new DatagramPacket(packet, rtcpTo), ports.rtcp.voidPromise());
    }

    @Override
    public void flush() {
        ports.rtp.flush();
    }

    @Override
    public void close() {
        ports.rtcp.close(); // closes the RTP socket too, then frees the pair
    }

    @Override
    public String describe() {
        return transport;
    }
}
