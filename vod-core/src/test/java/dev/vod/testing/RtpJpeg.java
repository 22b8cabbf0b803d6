package dev.vod.testing;

import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.imageio.plugins.jpeg.JPEGHuffmanTable;

/**
 * Rebuilds a JPEG file from the RTP payloads of one RFC 2435 frame, as a receiver does (RFC 2435 §3.1, Appendix B):
 * the headers come from the type, width, height, restart interval and in-band quantization tables, with the standard
 * Huffman tables of T.81 Annex K (taken from the JDK, so they are not our own copy checked against itself).
 *
 * <pre>
 * byte[] jpeg = RtpJpeg.toJpeg(payloadsOfOneFrame);   // payloads without the 12-byte RTP header, in order
 * BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
 * </pre>
 *
 * <p>Only what our server sends is supported: types 0, 1, 64, 65 with Q &gt;= 128 (tables in-band, 8-bit).
 * Anything else, or a gap in the fragment offsets, fails with {@link IllegalArgumentException}.
 */
public final class RtpJpeg {
    private RtpJpeg() {
    }

    /** The JPEG file that the RTP/JPEG payloads of one frame encode. */
    public static byte[] toJpeg(List<byte[]> rtpPayloadsOfOneFrame) {
        if (rtpPayloadsOfOneFrame.isEmpty()) {
            throw new IllegalArgumentException("no payloads");
        }
        ByteArrayOutputStream scan = new ByteArrayOutputStream();
        int type = -1;
        int width = 0;
        int height = 0;
        int restartInterval = 0;
        byte[] tables = null;
        for (byte[] p : rtpPayloadsOfOneFrame) {
            int offset = u24(p, 1);
            type = p[4] & 0xff;
            int q = p[5] & 0xff;
            width = (p[6] & 0xff) * 8;
            height = (p[7] & 0xff) * 8;
            if (type != 0 && type != 1 && type != 64 && type != 65) {
                throw new IllegalArgumentException("RTP/JPEG type " + type + " not supported");
            }
            if (q < 128) {
                throw new IllegalArgumentException("Q " + q + ": tables derived from a Q factor are not supported");
            }
            int position = 8;
            if (type >= 64) {
                restartInterval = u16(p, position);
                position += 4;
            }
            if (offset == 0) {
                if (p[position + 1] != 0) {
                    throw new IllegalArgumentException("16-bit quantization tables not supported");
                }
                int length = u16(p, position + 2);
                if (length != 128) {
                    throw new IllegalArgumentException("expected 2 quantization tables, got " + length + " bytes");
                }
                tables = java.util.Arrays.copyOfRange(p, position + 4, position + 4 + length);
                position += 4 + length;
            }
            if (offset != scan.size()) {
                throw new IllegalArgumentException("fragment offset " + offset + " but " + scan.size() + " bytes so far");
            }
            scan.write(p, position, p.length - position);
        }
        if (tables == null) {
            throw new IllegalArgumentException("no packet at fragment offset 0");
        }
        return jpeg(type, width, height, restartInterval, tables, scan.toByteArray());
    }

    private static byte[] jpeg(int type, int width, int height, int restartInterval, byte[] tables, byte[] scan) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        marker(out, 0xd8);
        marker(out, 0xdb);
        u16(out, 2 + 2 * 65);
        out.write(0);
        out.write(tables, 0, 64);
        out.write(1);
        out.write(tables, 64, 64);
        if (restartInterval > 0) {
            marker(out, 0xdd);
            u16(out, 4);
            u16(out, restartInterval);
        }
        marker(out, 0xc0);
        u16(out, 17);
        out.write(8);
        u16(out, height);
        u16(out, width);
        out.write(3);
        out.writeBytes(new byte[] {1, (byte) ((type & 1) == 0 ? 0x21 : 0x22), 0, 2, 0x11, 1, 3, 0x11, 1});
        huffman(out, 0x00, JPEGHuffmanTable.StdDCLuminance);
        huffman(out, 0x10, JPEGHuffmanTable.StdACLuminance);
        huffman(out, 0x01, JPEGHuffmanTable.StdDCChrominance);
        huffman(out, 0x11, JPEGHuffmanTable.StdACChrominance);
        marker(out, 0xda);
        u16(out, 12);
        out.writeBytes(new byte[] {3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0});
        out.writeBytes(scan);
        marker(out, 0xd9);
        return out.toByteArray();
    }

    private static void huffman(ByteArrayOutputStream out, int classAndId, JPEGHuffmanTable table) {
        short[] lengths = table.getLengths();
        short[] values = table.getValues();
        marker(out, 0xc4);
        u16(out, 2 + 1 + lengths.length + values.length);
        out.write(classAndId);
        for (short length : lengths) {
            out.write(length);
        }
        for (short value : values) {
            out.write(value);
        }
    }

    private static void marker(ByteArrayOutputStream out, int marker) {
        out.write(0xff);
        out.write(marker);
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write(value >> 8);
        out.write(value);
    }

    private static int u16(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }

    private static int u24(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 16) | u16(bytes, at + 1);
    }
}
