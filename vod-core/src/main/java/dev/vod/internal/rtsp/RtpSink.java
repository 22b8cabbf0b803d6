package dev.vod.internal.rtsp;

import io.netty.buffer.ByteBuf;

/**
 * Where one track's packets go: a UDP port pair ({@link UdpSink}) or two channels interleaved on the RTSP
 * connection ({@link InterleavedSink}). Used on the session's event loop only. Writes never block: a sink that is
 * not {@link #writable()} is skipped by the session, so a slow client costs dropped packets, not memory.
 */
interface RtpSink {
    /** Bytes the sink needs in front of the RTP header of every packet (the interleaved {@code $} header). */
    int headroom();

    /** Whether a packet written now would leave without queueing beyond the channel's high-water mark. */
    boolean writable();

    /** Writes an RTP packet whose first {@link #headroom()} bytes are free for the sink; takes ownership. */
    void writeRtp(ByteBuf packet);

    /** Writes an RTCP compound packet (no headroom); takes ownership. Dropped when the client has no RTCP port. */
    void writeRtcp(ByteBuf packet);

    void flush();

    /** Frees what the sink holds (its UDP ports); the RTSP connection itself is not the sink's to close. */
    void close();

    /** The transport as the SETUP reply states it, e.g. {@code RTP/AVP;unicast;client_port=…;server_port=…}. */
    String describe();
}
