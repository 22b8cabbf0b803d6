package dev.vod.internal.rtsp;

import dev.vod.internal.rtp.Packetizer;
import dev.vod.internal.rtp.Rtcp;
import dev.vod.internal.rtp.RtpHeader;
import dev.vod.internal.rtp.RtpOutput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One set-up track of a session: its sink, RTP state (SSRC, sequence number, timestamp base, random as RFC 3550
 * asks) and counters for the sender reports. It is the {@link RtpOutput} its packetizer writes to: each payload
 * gets its RTP header here and goes to the sink. Confined to the session's event loop.
 */
final class SessionTrack implements RtpOutput {
    final StreamTrack stream;
    final RtpSink sink;
    final int ssrc;
    private final Packetizer packetizer;
    private final ByteBufAllocator alloc;
    private final long timestampBase;
    private int sequence;
    private long timestamp;
    long packets;
    long octets;
    long dropped;
    private long accountedPackets;
    private long accountedOctets;
    private long accountedDropped;
    /** Set when packets were dropped for a slow client: send nothing more of this track until a key frame. */
    boolean awaitingKeyFrame;

    SessionTrack(StreamTrack stream, RtpSink sink, ByteBufAllocator alloc) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.stream = stream;
        this.sink = sink;
        this.alloc = alloc;
        this.packetizer = stream.format().newPacketizer();
        this.ssrc = random.nextInt();
        this.sequence = random.nextInt(0x10000);
        this.timestampBase = random.nextLong(0x1_0000_0000L);
    }

    /** The sequence number the next packet will carry, for {@code RTP-Info}. */
    int nextSequence() {
        return sequence & 0xffff;
    }

    /** The RTP timestamp of presentation time {@code seconds}. */
    long timestampAt(double seconds) {
        return (timestampBase + Math.round(seconds * stream.format().clockRate())) & 0xffff_ffffL;
    }

    /** Packetizes one access unit stamped with {@code rtpTime} ticks; false when its format cannot carry it. */
    boolean send(ByteBuf unit, long rtpTime, boolean keyFrame) {
        timestamp = (timestampBase + rtpTime) & 0xffff_ffffL;
        return packetizer.packetize(unit, keyFrame, this);
    }

    @Override
    public ByteBuf payload() {
        int front = sink.headroom() + RtpHeader.SIZE;
        ByteBuf packet = alloc.directBuffer(front + PAYLOAD_LIMIT);
        packet.writerIndex(front);
        packet.readerIndex(front);
        return packet;
    }

    @Override
    public void send(ByteBuf payload, boolean marker) {
        int front = sink.headroom() + RtpHeader.SIZE;
        int size = payload.writerIndex() - front;
        RtpHeader.write(payload, sink.headroom(), marker, stream.format().payloadType(), sequence, timestamp, ssrc);
        sequence = (sequence + 1) & 0xffff;
        packets++;
        octets += size;
        payload.readerIndex(0);
        sink.writeRtp(payload);
    }

    /** Adds what was sent and dropped since the last call to the server-wide counters. */
    void account(SessionRegistry registry) {
        registry.packetsSent.add(packets - accountedPackets);
        registry.bytesSent.add(octets - accountedOctets);
        registry.droppedUnits.add(dropped - accountedDropped);
        accountedPackets = packets;
        accountedOctets = octets;
        accountedDropped = dropped;
    }

    /** A sender report stating that {@code seconds} of presentation time is being played now. */
    void sendReport(double seconds, String cname) {
        long ntp = Rtcp.ntp(System.currentTimeMillis());
        sink.writeRtcp(Rtcp.senderReport(alloc, ssrc, ntp, timestampAt(seconds), packets, octets, cname));
    }

    void sendBye(String cname) {
        sink.writeRtcp(Rtcp.bye(alloc, ssrc, cname));
    }
}
