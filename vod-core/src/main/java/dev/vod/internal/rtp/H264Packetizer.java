package dev.vod.internal.rtp;

import io.netty.buffer.ByteBuf;
import java.util.List;

/** RFC 6184 packetization mode 1: single NAL unit packets and FU-A (type 28). */
final class H264Packetizer extends NalPacketizer {
    static final int SPS = 7;
    static final int PPS = 8;
    private static final int ACCESS_UNIT_DELIMITER = 9;
    private static final int FU_A = 28;

    H264Packetizer(int lengthSize, List<byte[]> parameterSets) {
        super(lengthSize, 1, parameterSets);
    }

    @Override
    int nalType(ByteBuf buf, int index) {
        return buf.getByte(index) & 0x1f;
    }

    @Override
    boolean isAccessUnitDelimiter(int nalType) {
        return nalType == ACCESS_UNIT_DELIMITER;
    }

    @Override
    int parameterSetBit(int nalType) {
        return nalType == SPS ? 1 : nalType == PPS ? 2 : 0;
    }

    @Override
    int allParameterSetBits() {
        return 3;
    }

    @Override
    int fragmentHeaderSize() {
        return 2;
    }

    @Override
    void writeFragmentHeader(ByteBuf payload, ByteBuf nal, int index, boolean start, boolean end) {
        int header = nal.getByte(index);
        payload.writeByte((header & 0xe0) | FU_A); // FU indicator: F and NRI of the NAL unit
        payload.writeByte((start ? 0x80 : 0) | (end ? 0x40 : 0) | (header & 0x1f));
    }
}
