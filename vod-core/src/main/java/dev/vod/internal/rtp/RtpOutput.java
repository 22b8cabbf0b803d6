package dev.vod.internal.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Where a {@link Packetizer} puts the RTP packets of one access unit. Implemented by the RTSP session, which owns
 * the sequence numbers, timestamps and the socket; packetizers only ever see payloads.
 */
public interface RtpOutput {
    /**
     * Largest RTP payload a packetizer may write into one packet (bytes, RTP header excluded). 1400 leaves room for
     * the RTP header, UDP/IP headers and an RTSP interleaved frame header inside a 1500-byte Ethernet MTU, with
     * slack for tunnels.
     */
    int PAYLOAD_LIMIT = 1400;

    /**
     * A fresh, empty buffer to write one packet's payload into (at most {@link #PAYLOAD_LIMIT} bytes). The output
     * reserved room for the headers in front of it.
     */
    ByteBuf payload();

    /** Sends one packet of the current access unit, taking ownership of {@code payload}; marker = RTP marker bit. */
    void send(ByteBuf payload, boolean marker);
}
