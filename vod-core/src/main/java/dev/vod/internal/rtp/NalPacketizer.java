package dev.vod.internal.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * What H.264 (RFC 6184) and H.265 (RFC 7798) packetization share: an MP4 sample is a run of NAL units, each behind
 * a big-endian length prefix; each NAL unit becomes one single-NAL-unit packet when it fits, or a run of
 * fragmentation units (FU) when it does not. Aggregation packets are never sent: they would save little for video
 * samples, and every client handles the two packet kinds used here.
 *
 * <p>The subclasses say only how their NAL header reads and how their FU headers are written.
 */
abstract class NalPacketizer implements Packetizer {
    private final int lengthSize;
    private final int nalHeaderSize;
    private final List<byte[]> parameterSets;
    /** Offsets and lengths of the NAL units of the unit being packetized, reused from one unit to the next. */
    private int[] nalOffsets = new int[16];
    private int[] nalLengths = new int[16];

    /**
     * @param lengthSize    bytes of each NAL length prefix (1..4, from the configuration record)
     * @param nalHeaderSize 1 for H.264, 2 for H.265
     * @param parameterSets the record's parameter sets, in the order they are sent in front of a key frame
     */
    NalPacketizer(int lengthSize, int nalHeaderSize, List<byte[]> parameterSets) {
        this.lengthSize = lengthSize;
        this.nalHeaderSize = nalHeaderSize;
        this.parameterSets = List.copyOf(parameterSets);
    }

    /** The NAL unit type of the NAL unit whose header starts at {@code index}. */
    abstract int nalType(ByteBuf buf, int index);

    /** Access unit delimiters carry nothing a client needs, and RTP marks the end of an access unit itself. */
    abstract boolean isAccessUnitDelimiter(int nalType);

    /** A bit for each kind of parameter set (VPS, SPS, PPS), 0 for other types. */
    abstract int parameterSetBit(int nalType);

    /** The bits of every kind of parameter set a decoder needs before a key frame. */
    abstract int allParameterSetBits();

    /** FU type in the payload header plus the FU header: the bytes in front of each fragment's data. */
    abstract int fragmentHeaderSize();

    /** Writes the FU payload header and FU header for a fragment of the NAL unit whose header is at {@code index}. */
    abstract void writeFragmentHeader(ByteBuf payload, ByteBuf nal, int index, boolean start, boolean end);

    @Override
    public boolean packetize(ByteBuf unit, boolean keyFrame, RtpOutput out) {
        int count = split(unit);
        if (count <= 0) {
            return false;
        }
        int present = 0;
        for (int i = 0; i < count; i++) {
            present |= parameterSetBit(nalType(unit, nalOffsets[i]));
        }
        if (keyFrame && present != allParameterSetBits()) {
            for (byte[] parameterSet : parameterSets) {
                ByteBuf wrapped = Unpooled.wrappedBuffer(parameterSet);
                sendNal(wrapped, 0, parameterSet.length, false, out);
            }
        }
        for (int i = 0; i < count; i++) {
            sendNal(unit, nalOffsets[i], nalLengths[i], i == count - 1, out);
        }
        unit.readerIndex(unit.writerIndex());
        return true;
    }

    /**
     * Records the NAL units of {@code unit} that are to be sent; returns their count, 0 when none is left, or -1
     * when a length prefix runs past the end of the unit or a NAL unit is shorter than its header.
     */
    private int split(ByteBuf unit) {
        int count = 0;
        int position = unit.readerIndex();
        int end = unit.writerIndex();
        while (position < end) {
            if (end - position < lengthSize) {
                return -1;
            }
            long length = 0;
            for (int i = 0; i < lengthSize; i++) {
                length = (length << 8) | unit.getUnsignedByte(position + i);
            }
            position += lengthSize;
            if (length > end - position) {
                return -1;
            }
            int nalLength = (int) length;
            if (nalLength == 0) {
                continue;
            }
            if (nalLength < nalHeaderSize) {
                return -1;
            }
            if (!isAccessUnitDelimiter(nalType(unit, position))) {
                if (count == nalOffsets.length) {
                    nalOffsets = java.util.Arrays.copyOf(nalOffsets, count * 2);
                    nalLengths = java.util.Arrays.copyOf(nalLengths, count * 2);
                }
                nalOffsets[count] = position;
                nalLengths[count] = nalLength;
                count++;
            }
            position += nalLength;
        }
        return count;
    }

    private void sendNal(ByteBuf nal, int index, int length, boolean lastOfUnit, RtpOutput out) {
        if (length <= RtpOutput.PAYLOAD_LIMIT) {
            ByteBuf payload = out.payload();
            payload.writeBytes(nal, index, length);
            out.send(payload, lastOfUnit);
            return;
        }
        // The NAL header is not sent as such: the FU headers carry its fields, and the receiver rebuilds it.
        int position = index + nalHeaderSize;
        int end = index + length;
        int room = RtpOutput.PAYLOAD_LIMIT - fragmentHeaderSize();
        boolean start = true;
        while (position < end) {
            int chunk = Math.min(room, end - position);
            boolean last = position + chunk == end;
            ByteBuf payload = out.payload();
            writeFragmentHeader(payload, nal, index, start, last);
            payload.writeBytes(nal, position, chunk);
            out.send(payload, lastOfUnit && last);
            position += chunk;
            start = false;
        }
    }
}
