package dev.vod.internal.mp4;

import java.nio.charset.StandardCharsets;

/** Four-character codes of the ISO BMFF / QuickTime boxes this package reads or writes. */
final class BoxTypes {
    static final int FTYP = fourcc("ftyp");
    static final int STYP = fourcc("styp");
    static final int MOOV = fourcc("moov");
    static final int MVHD = fourcc("mvhd");
    static final int TRAK = fourcc("trak");
    static final int TKHD = fourcc("tkhd");
    static final int EDTS = fourcc("edts");
    static final int ELST = fourcc("elst");
    static final int MDIA = fourcc("mdia");
    static final int MDHD = fourcc("mdhd");
    static final int HDLR = fourcc("hdlr");
    static final int MINF = fourcc("minf");
    static final int STBL = fourcc("stbl");
    static final int STSD = fourcc("stsd");
    static final int STTS = fourcc("stts");
    static final int CTTS = fourcc("ctts");
    static final int STSS = fourcc("stss");
    static final int STSC = fourcc("stsc");
    static final int STSZ = fourcc("stsz");
    static final int STZ2 = fourcc("stz2");
    static final int STCO = fourcc("stco");
    static final int CO64 = fourcc("co64");
    static final int SDTP = fourcc("sdtp");
    static final int SBGP = fourcc("sbgp");
    static final int SGPD = fourcc("sgpd");
    static final int MVEX = fourcc("mvex");
    static final int MEHD = fourcc("mehd");
    static final int TREX = fourcc("trex");
    static final int MOOF = fourcc("moof");
    static final int TRAF = fourcc("traf");
    static final int TFHD = fourcc("tfhd");
    static final int TFDT = fourcc("tfdt");
    static final int TRUN = fourcc("trun");
    static final int MDAT = fourcc("mdat");
    static final int FREE = fourcc("free");
    static final int SKIP = fourcc("skip");
    static final int WIDE = fourcc("wide");
    static final int UUID = fourcc("uuid");
    static final int PDIN = fourcc("pdin");
    static final int PNOT = fourcc("pnot");
    static final int SIDX = fourcc("sidx");
    static final int MFRA = fourcc("mfra");
    static final int TFRA = fourcc("tfra");
    static final int MFRO = fourcc("mfro");
    static final int META = fourcc("meta");
    static final int UDTA = fourcc("udta");
    static final int CMOV = fourcc("cmov");

    /** Handler types ({@code hdlr}) of video and sound tracks. */
    static final int VIDE = fourcc("vide");
    static final int SOUN = fourcc("soun");

    private BoxTypes() {
    }

    static int fourcc(String code) {
        byte[] b = code.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length != 4) {
            throw new IllegalArgumentException("not a four-character code: " + code);
        }
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** A printable name for a box type; bytes outside printable ASCII appear as {@code \xNN}. */
    static String name(int type) {
        StringBuilder sb = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = (type >>> shift) & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    /** Whether a file whose first box has this type can be an MP4/MOV (used to tell MP4 files from others). */
    static boolean plausibleFirstBox(int type) {
        return type == FTYP || type == MOOV || type == MDAT || type == FREE || type == SKIP || type == WIDE
                || type == UUID || type == PDIN || type == PNOT || type == STYP || type == SIDX;
    }
}
