package dev.vod.internal.rtp;

import io.netty.buffer.ByteBuf;

/**
 * A JPEG frame as RFC 2435 carries it: the few header values a receiver needs to rebuild the JPEG headers, the two
 * quantization tables, and where the entropy-coded scan data lies in the parsed buffer.
 *
 * <p>RFC 2435 sends no Huffman tables, no component layout and no quantization table assignment: the receiver
 * assumes baseline, three components Y/Cb/Cr with chroma at 1x1, Y at 2x1 (type 0, 4:2:2) or 2x2 (type 1, 4:2:0),
 * Y on the first table and both chroma components on the second, and the standard Huffman tables of T.81 Annex K.
 * So {@link #parse} refuses, with a reason a person can act on, every frame that differs: progressive or extended
 * coding, 16-bit tables, grayscale, other sampling, optimised Huffman tables, several scans, or a size over 2040.
 *
 * <pre>
 * FFD8 SOI | FFE0 APP0 JFIF (skipped) | FFDB DQT | FFC0 SOF0 | FFC4 DHT | (FFDD DRI) | FFDA SOS | scan data | FFD9 EOI
 * </pre>
 */
public final class JpegFrame {
    /** The RFC 2435 limit: width and height travel as multiples of 8 in one byte each. */
    public static final int MAX_DIMENSION = 255 * 8;
    private static final int SOF0 = 0xc0;
    private static final int DHT = 0xc4;
    private static final int DAC = 0xcc;
    private static final int DQT = 0xdb;
    private static final int DRI = 0xdd;
    private static final int SOS = 0xda;
    private static final int EOI = 0xd9;
    private static final int SOI = 0xd8;

    private final int type;
    private final int width;
    private final int height;
    private final int restartInterval;
    private final byte[] quantizationTables;
    private final int scanIndex;
    private final int scanLength;

    private JpegFrame(int type, int width, int height, int restartInterval, byte[] quantizationTables,
                      int scanIndex, int scanLength) {
        this.type = type;
        this.width = width;
        this.height = height;
        this.restartInterval = restartInterval;
        this.quantizationTables = quantizationTables;
        this.scanIndex = scanIndex;
        this.scanLength = scanLength;
    }

    /**
     * What {@link #parse} found: exactly one of {@code frame} (carriable) and {@code reason} (why not) is non-null.
     */
    public record Parsed(JpegFrame frame, String reason) {
        public boolean carriable() {
            return frame != null;
        }
    }

    /** RFC 2435 type: 0 (4:2:2) or 1 (4:2:0), plus 64 when restart markers are present. */
    public int type() {
        return type;
    }

    /** Width in pixels, as in the SOF0 header. */
    public int width() {
        return width;
    }

    /** Height in pixels, as in the SOF0 header. */
    public int height() {
        return height;
    }

    /** MCUs between restart markers (DRI), 0 when there are none. */
    public int restartInterval() {
        return restartInterval;
    }

    /** The luma then the chroma table, 64 bytes each in the zig-zag order of the DQT. A copy. */
    public byte[] quantizationTables() {
        return quantizationTables.clone();
    }

    /** Absolute index in the parsed buffer of the first byte of entropy-coded data. */
    public int scanIndex() {
        return scanIndex;
    }

    /** Bytes of entropy-coded data, up to but not including the EOI marker. */
    public int scanLength() {
        return scanLength;
    }

    /** Reads the JPEG in {@code jpeg}'s readable bytes without moving its indices, and never throws on garbage. */
    public static Parsed parse(ByteBuf jpeg) {
        return new Parser(jpeg).parse();
    }

    /** The header state gathered while walking the marker segments up to the scan. */
    private static final class Parser {
        private final ByteBuf in;
        private final int end;
        private final byte[][] quantization = new byte[4][];
        /** DHT tables by class (0 DC, 1 AC) * 4 + id. */
        private final byte[][] huffman = new byte[8][];
        private int restartInterval;
        private int width;
        private int height;
        private int[] componentIds;
        private int[] sampling;
        private int[] quantizationIds;

        Parser(ByteBuf in) {
            this.in = in;
            this.end = in.writerIndex();
        }

        Parsed parse() {
            int position = in.readerIndex();
            if (end - position < 4 || in.getUnsignedByte(position) != 0xff
                    || in.getUnsignedByte(position + 1) != SOI) {
                return refuse("not a JPEG: no SOI marker");
            }
            position += 2;
            while (true) {
                while (position < end && in.getUnsignedByte(position) == 0xff
                        && position + 1 < end && in.getUnsignedByte(position + 1) == 0xff) {
                    position++; // fill bytes before a marker
                }
                if (end - position < 4) {
                    return refuse("truncated before the scan");
                }
                if (in.getUnsignedByte(position) != 0xff) {
                    return refuse("expected a marker at byte " + (position - in.readerIndex()));
                }
                int marker = in.getUnsignedByte(position + 1);
                if (marker == EOI) {
                    return refuse("no scan: EOI before SOS");
                }
                int length = in.getUnsignedShort(position + 2);
                int body = position + 4;
                int next = position + 2 + length;
                if (length < 2 || next > end) {
                    return refuse("marker segment FF" + hex(marker) + " runs past the end");
                }
                String problem = segment(marker, body, next);
                if (problem != null) {
                    return refuse(problem);
                }
                if (marker == SOS) {
                    return scan(next);
                }
                position = next;
            }
        }

        /** Reads one marker segment's body [{@code body}, {@code next}); a reason to refuse the frame, or null. */
        private String segment(int marker, int body, int next) {
            if (marker == DQT) {
                return quantizationTables(body, next);
            } else if (marker == DHT) {
                return huffmanTables(body, next);
            } else if (marker == DRI) {
                restartInterval = next - body >= 2 ? in.getUnsignedShort(body) : 0;
                return null;
            } else if (marker == SOF0) {
                return frameHeader(body, next);
            } else if (marker == DAC) {
                return "arithmetic coding is not baseline";
            } else if (marker >= 0xc1 && marker <= 0xcf && marker != 0xc8) {
                return "SOF" + (marker - SOF0) + " (progressive, extended or lossless) is not baseline";
            } else if (marker == SOS) {
                return scanHeader(body, next);
            }
            return null; // APPn, COM and anything else a decoder may skip
        }

        private String quantizationTables(int position, int next) {
            while (position < next) {
                int precisionAndId = in.getUnsignedByte(position++);
                if (precisionAndId >> 4 != 0) {
                    return "16-bit quantization tables cannot be carried";
                }
                if (next - position < 64 || (precisionAndId & 0x0f) > 3) {
                    return "malformed DQT";
                }
                byte[] table = new byte[64];
                in.getBytes(position, table);
                quantization[precisionAndId & 0x0f] = table;
                position += 64;
            }
            return null;
        }

        private String huffmanTables(int position, int next) {
            while (position < next) {
                int classAndId = in.getUnsignedByte(position);
                if (next - position < 17 || (classAndId >> 4) > 1 || (classAndId & 0x0f) > 3) {
                    return "malformed DHT";
                }
                int symbols = 0;
                for (int i = 1; i <= 16; i++) {
                    symbols += in.getUnsignedByte(position + i);
                }
                if (next - position - 17 < symbols) {
                    return "malformed DHT";
                }
                byte[] table = new byte[16 + symbols];
                in.getBytes(position + 1, table);
                huffman[(classAndId >> 4) * 4 + (classAndId & 0x0f)] = table;
                position += 17 + symbols;
            }
            return null;
        }

        private String frameHeader(int body, int next) {
            if (next - body < 6) {
                return "malformed SOF0";
            }
            if (in.getUnsignedByte(body) != 8) {
                return "sample precision " + in.getUnsignedByte(body) + " is not baseline";
            }
            height = in.getUnsignedShort(body + 1);
            width = in.getUnsignedShort(body + 3);
            int components = in.getUnsignedByte(body + 5);
            if (components == 1) {
                return "grayscale: RFC 2435 carries only YCbCr 4:2:0 and 4:2:2";
            }
            if (components != 3 || next - body != 6 + 3 * components) {
                return components + " components: RFC 2435 carries only YCbCr";
            }
            componentIds = new int[3];
            sampling = new int[3];
            quantizationIds = new int[3];
            for (int i = 0; i < 3; i++) {
                componentIds[i] = in.getUnsignedByte(body + 6 + 3 * i);
                sampling[i] = in.getUnsignedByte(body + 7 + 3 * i);
                quantizationIds[i] = in.getUnsignedByte(body + 8 + 3 * i) & 0x03;
            }
            return null;
        }

        /** Checks the SOS header against the one layout RFC 2435 receivers rebuild. */
        private String scanHeader(int body, int next) {
            if (componentIds == null) {
                return "no SOF0 frame header before the scan";
            }
            if (next - body < 1 || in.getUnsignedByte(body) != 3 || next - body != 1 + 2 * 3 + 3) {
                return "the scan does not hold all three components: not a baseline sequential JPEG";
            }
            for (int i = 0; i < 3; i++) {
                if (in.getUnsignedByte(body + 1 + 2 * i) != componentIds[i]) {
                    return "scan components out of frame order";
                }
                int tables = in.getUnsignedByte(body + 2 + 2 * i);
                String kind = i == 0 ? "luminance" : "chrominance";
                if (!StandardHuffmanTables.isStandard(huffman[(tables >> 4) & 3],
                        i == 0 ? StandardHuffmanTables.DC_LUMINANCE : StandardHuffmanTables.DC_CHROMINANCE)
                        || !StandardHuffmanTables.isStandard(huffman[4 + (tables & 3)],
                        i == 0 ? StandardHuffmanTables.AC_LUMINANCE : StandardHuffmanTables.AC_CHROMINANCE)) {
                    return "non-standard (e.g. optimised) " + kind
                            + " Huffman tables: RFC 2435 receivers use the T.81 Annex K tables";
                }
            }
            int spectral = in.getUnsignedMedium(body + 7);
            if (spectral != 0x003f00) {
                return "spectral selection or successive approximation: not baseline sequential";
            }
            return null;
        }

        /** Checks what only the whole header can tell, then finds the end of the scan data from {@code start}. */
        private Parsed scan(int start) {
            if (sampling[1] != 0x11 || sampling[2] != 0x11 || (sampling[0] != 0x21 && sampling[0] != 0x22)) {
                return refuse("sampling " + factors(sampling[0]) + "," + factors(sampling[1]) + ","
                        + factors(sampling[2]) + " is neither 4:2:2 (2x1,1x1,1x1) nor 4:2:0 (2x2,1x1,1x1)");
            }
            if (width == 0 || height == 0) {
                return refuse("zero width or height (DNL) is not supported");
            }
            if (width > MAX_DIMENSION || height > MAX_DIMENSION) {
                return refuse(width + "x" + height + " exceeds RFC 2435's " + MAX_DIMENSION + " pixels");
            }
            if (quantizationIds[1] != quantizationIds[2]) {
                return refuse("Cb and Cr use different quantization tables");
            }
            byte[] luma = quantization[quantizationIds[0]];
            byte[] chroma = quantization[quantizationIds[1]];
            if (luma == null || chroma == null) {
                return refuse("a quantization table is used but never defined");
            }
            int scanEnd = endOfScan(start);
            if (scanEnd < 0) {
                return refuse("no EOI after the scan");
            }
            if (in.getUnsignedByte(scanEnd + 1) != EOI) {
                return refuse("more than one scan or a marker FF" + hex(in.getUnsignedByte(scanEnd + 1))
                        + " inside the image: not baseline sequential");
            }
            if (scanEnd == start) {
                return refuse("empty scan");
            }
            if (scanEnd - start >= 1 << 24) {
                return refuse("scan data over 16 MiB: past RFC 2435's 24-bit fragment offset");
            }
            byte[] tables = new byte[128];
            System.arraycopy(luma, 0, tables, 0, 64);
            System.arraycopy(chroma, 0, tables, 64, 64);
            int type = (sampling[0] == 0x21 ? 0 : 1) + (restartInterval > 0 ? 64 : 0);
            return new Parsed(new JpegFrame(type, width, height, restartInterval, tables, start, scanEnd - start),
                    null);
        }

        /**
         * The index of the first marker after entropy-coded data from {@code position}, or -1. In the data, FF is
         * always followed by 00 (a stuffed FF), an RSTn (D0..D7) or FF (fill); any other byte makes a marker.
         */
        private int endOfScan(int position) {
            while (position + 1 < end) {
                int found = in.indexOf(position, end - 1, (byte) 0xff);
                if (found < 0) {
                    return -1;
                }
                int following = in.getUnsignedByte(found + 1);
                if (following != 0x00 && following != 0xff && (following < 0xd0 || following > 0xd7)) {
                    return found;
                }
                position = found + 1;
            }
            return -1;
        }

        private Parsed refuse(String reason) {
            return new Parsed(null, reason);
        }

        private static String factors(int sampling) {
            return (sampling >> 4) + "x" + (sampling & 0x0f);
        }

        private static String hex(int marker) {
            return String.format("%02X", marker);
        }
    }
}
