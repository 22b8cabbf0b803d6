package dev.vod.internal.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link RtpOutput} that keeps a copy of every payload sent and releases the buffer. Its buffers cannot grow past
 * {@link RtpOutput#PAYLOAD_LIMIT}, so a packetizer that overfills one fails loudly.
 */
final class CollectingOutput implements RtpOutput {
    /** One packet as sent. */
    record Packet(byte[] payload, boolean marker) {
        int byteAt(int index) {
            return payload[index] & 0xff;
        }
    }

    final List<Packet> packets = new ArrayList<>();

    @Override
    public ByteBuf payload() {
        return Unpooled.buffer(256, PAYLOAD_LIMIT);
    }

    @Override
    public void send(ByteBuf payload, boolean marker) {
        packets.add(new Packet(ByteBufUtil.getBytes(payload), marker));
        payload.release();
    }

    List<byte[]> payloads() {
        return packets.stream().map(Packet::payload).toList();
    }

    int markers() {
        return (int) packets.stream().filter(Packet::marker).count();
    }

    boolean onlyLastHasMarker() {
        for (int i = 0; i < packets.size(); i++) {
            if (packets.get(i).marker() != (i == packets.size() - 1)) {
                return false;
            }
        }
        return !packets.isEmpty();
    }
}
