package dev.vod.internal.rtp;

import io.netty.buffer.ByteBuf;
import java.util.List;

/** RFC 7798 single NAL unit packets and fragmentation units (type 49); no aggregation, no DONL. */
final class H265Packetizer extends NalPacketizer {
    static final int VPS = 32;
    static final int SPS = 33;
    static final int PPS = 34;
    private static final int ACCESS_UNIT_DELIMITER = 35;
    private static final int FRAGMENTATION_UNIT = 49;

    H265Packetizer(int lengthSize, List<byte[]> parameterSets) {
        super(lengthSize, 2, parameterSets);
    }

    @Override
    int nalType(ByteBuf buf, int index) {
        return (buf.getByte(index) >> 1) & 0x3f;
    }

    @Override
    boolean isAccessUnitDelimiter(int nalType) {
        return nalType == ACCESS_UNIT_DELIMITER;
    }

    @Override
    int parameterSetBit(int nalType) {
        return switch (nalType) {
            case VPS -> 1;
            case SPS -> 2;
            case PPS -> 4;
            default -> 0;
        };
    }

    @Override
    int allParameterSetBits() {
        return 7;
    }

    @Override
    int fragmentHeaderSize() {
        return 3;
    }

    @Override
    void writeFragmentHeader(ByteBuf payload, ByteBuf nal, int index, boolean start, boolean end) {
        int first = nal.getByte(index);
        // Payload header: the NAL unit's F bit and LayerId/TID, with the type replaced by 49.
        payload.writeByte((first & 0x81) | (FRAGMENTATION_UNIT << 1));
        payload.writeByte(nal.getByte(index + 1));
        payload.writeByte((start ? 0x80 : 0) | (end ? 0x40 : 0) | ((first >> 1) & 0x3f));
    }
}
