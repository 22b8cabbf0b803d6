package dev.vod.internal.rtp;

import io.netty.buffer.ByteBuf;

/**
 * RFC 2435 packetization of one JPEG frame. Every packet starts with the 8-byte main JPEG header; frames with
 * restart markers (type 64/65) add the 4-byte restart marker header; the first packet adds the quantization table
 * header and both tables (Q = 255: tables in-band, as they cannot be derived from a Q factor); then scan data:
 *
 * <pre>
 * 00 | fragment offset (24) | type | FF | width/8 | height/8
 * [restart interval (16) | F=1 L=1 count=3FFF]          when type &gt;= 64
 * [00 | 00 precision | 0080 length | luma 64 | chroma 64] when fragment offset = 0
 * scan data from the fragment offset
 * </pre>
 *
 * <p>Restart intervals are not aligned to packets (F and L set, count 0x3FFF): that is allowed, and the gain of
 * aligned packets, resuming decoding after a lost packet, is small next to frames being a few packets each.
 */
final class JpegPacketizer implements Packetizer {
    private static final int IN_BAND_TABLES_Q = 255;

    @Override
    public boolean packetize(ByteBuf unit, boolean keyFrame, RtpOutput out) {
        JpegFrame.Parsed parsed = JpegFrame.parse(unit);
        if (!parsed.carriable()) {
            return false;
        }
        JpegFrame frame = parsed.frame();
        byte[] tables = frame.quantizationTables();
        int widthBlocks = (frame.width() + 7) / 8;
        int heightBlocks = (frame.height() + 7) / 8;
        int offset = 0;
        do {
            ByteBuf payload = out.payload();
            payload.writeInt(offset); // type-specific 0, then the 24-bit offset; frames are far below 16 MiB
            payload.writeByte(frame.type());
            payload.writeByte(IN_BAND_TABLES_Q);
            payload.writeByte(widthBlocks);
            payload.writeByte(heightBlocks);
            if (frame.restartInterval() > 0) {
                payload.writeShort(frame.restartInterval());
                payload.writeShort(0xffff);
            }
            if (offset == 0) {
                payload.writeByte(0);
                payload.writeByte(0); // all tables 8-bit
                payload.writeShort(tables.length);
                payload.writeBytes(tables);
            }
            int chunk = Math.min(RtpOutput.PAYLOAD_LIMIT - payload.readableBytes(), frame.scanLength() - offset);
            payload.writeBytes(unit, frame.scanIndex() + offset, chunk);
            offset += chunk;
            out.send(payload, offset == frame.scanLength());
        } while (offset < frame.scanLength());
        unit.readerIndex(unit.writerIndex());
        return true;
    }
}
