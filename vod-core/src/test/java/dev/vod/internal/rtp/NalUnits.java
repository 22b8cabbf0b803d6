package dev.vod.internal.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;

/** Builds MP4-style samples: NAL units behind 4-byte big-endian lengths. */
final class NalUnits {
    private NalUnits() {
    }

    static ByteBuf sample(byte[]... nalUnits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : nalUnits) {
            int n = nal.length;
            out.write(n >>> 24);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
            out.writeBytes(nal);
        }
        return Unpooled.wrappedBuffer(out.toByteArray());
    }

    /** A NAL unit of {@code length} bytes starting with {@code header}, the rest a counting pattern. */
    static byte[] nal(int length, int... header) {
        byte[] nal = new byte[length];
        for (int i = 0; i < length; i++) {
            nal[i] = i < header.length ? (byte) header[i] : (byte) (i * 7 + i / 256);
        }
        return nal;
    }

    static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
    }
}
