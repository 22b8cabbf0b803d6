package dev.vod.bench;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * The media time at which a live segment starts, read from its first bytes (pure, no I/O), for the latency
 * figures of {@link LiveViewers}: the video track's decode time of the first sample.
 *
 * <ul>
 *   <li>fragmented MP4 ({@code .m4s}): the {@code tfdt} of the video {@code traf} of the first {@code moof},
 *       divided by the video track's {@code mdhd} timescale, which {@link #videoTrack} reads from the init
 *       segment ({@code moov/trak/tkhd}, {@code mdia/mdhd}, {@code mdia/hdlr} "vide");</li>
 *   <li>MPEG-TS ({@code .ts}): the DTS (else the PTS) of the first PES packet on the video PID that the PMT lists
 *       (stream type 0x1B H.264 or 0x24 HEVC), in 90 kHz units.</li>
 * </ul>
 *
 * Both return seconds, or NaN when the bytes do not hold what is needed.
 */
final class LiveMedia {
    private LiveMedia() {
    }

    /** The video track of an init segment: {@code {trackId, timescale}}, or null. */
    static long[] videoTrack(byte[] init) {
        int[] moov = child(init, 0, init.length, "moov");
        if (moov == null) {
            return null;
        }
        for (int at = moov[0]; at < moov[1]; ) {
            int[] trak = box(init, at, moov[1]);
            if (trak == null) {
                return null;
            }
            if (type(init, at).equals("trak")) {
                int[] tkhd = child(init, trak[0], trak[1], "tkhd");
                int[] mdia = child(init, trak[0], trak[1], "mdia");
                int[] mdhd = mdia == null ? null : child(init, mdia[0], mdia[1], "mdhd");
                int[] hdlr = mdia == null ? null : child(init, mdia[0], mdia[1], "hdlr");
                if (tkhd != null && mdhd != null && hdlr != null
                        && new String(init, hdlr[0] + 8, 4, ISO_8859_1).equals("vide")) {
                    long id = u32(init, tkhd[0] + (init[tkhd[0]] == 1 ? 20 : 12));
                    long timescale = u32(init, mdhd[0] + (init[mdhd[0]] == 1 ? 20 : 12));
                    return new long[] {id, timescale};
                }
            }
            at = trak[1];
        }
        return null;
    }

    /** Seconds at which an fMP4 segment (or part) starts, from its first {@code moof}. */
    static double fmp4Start(byte[] data, int length, long[] video) {
        if (video == null || video[1] <= 0) {
            return Double.NaN;
        }
        int[] moof = child(data, 0, length, "moof");
        if (moof == null) {
            return Double.NaN;
        }
        for (int at = moof[0]; at < moof[1]; ) {
            int[] traf = box(data, at, moof[1]);
            if (traf == null) {
                return Double.NaN;
            }
            if (type(data, at).equals("traf")) {
                int[] tfhd = child(data, traf[0], traf[1], "tfhd");
                int[] tfdt = child(data, traf[0], traf[1], "tfdt");
                if (tfhd != null && tfdt != null && u32(data, tfhd[0] + 4) == video[0]) {
                    long t = data[tfdt[0]] == 1 ? (u32(data, tfdt[0] + 4) << 32) | u32(data, tfdt[0] + 8)
                            : u32(data, tfdt[0] + 4);
                    return (double) t / video[1];
                }
            }
            at = traf[1];
        }
        return Double.NaN;
    }

    /** Seconds (90 kHz clock, unshifted) of the first video PES of a transport stream. */
    static double tsStart(byte[] data, int length) {
        int pmtPid = -1;
        int videoPid = -1;
        for (int at = 0; at + 188 <= length; at += 188) {
            if (data[at] != 0x47) {
                return Double.NaN;
            }
            boolean start = (data[at + 1] & 0x40) != 0;
            int pid = ((data[at + 1] & 0x1f) << 8) | (data[at + 2] & 0xff);
            int control = (data[at + 3] >> 4) & 3;
            int payload = at + 4;
            if ((control & 2) != 0) {
                payload += 1 + (data[at + 4] & 0xff);
            }
            if ((control & 1) == 0 || payload >= at + 188 || !start) {
                continue;
            }
            if (pid == 0) { // PAT: the first program's PMT
                int p = payload + 1 + (data[payload] & 0xff);
                pmtPid = ((data[p + 10] & 0x1f) << 8) | (data[p + 11] & 0xff);
            } else if (pid == pmtPid) {
                int p = payload + 1 + (data[payload] & 0xff);
                int sectionEnd = p + 3 + (((data[p + 1] & 0x0f) << 8) | (data[p + 2] & 0xff)) - 4;
                int q = p + 12 + (((data[p + 10] & 0x0f) << 8) | (data[p + 11] & 0xff));
                while (q + 5 <= Math.min(sectionEnd, at + 188)) {
                    int streamType = data[q] & 0xff;
                    int es = ((data[q + 1] & 0x1f) << 8) | (data[q + 2] & 0xff);
                    if (streamType == 0x1b || streamType == 0x24) {
                        videoPid = es;
                        break;
                    }
                    q += 5 + (((data[q + 3] & 0x0f) << 8) | (data[q + 4] & 0xff));
                }
            } else if (pid == videoPid && data[payload] == 0 && data[payload + 1] == 0 && data[payload + 2] == 1) {
                int flags = (data[payload + 7] >> 6) & 3;
                if (flags == 0) {
                    return Double.NaN;
                }
                int ts = payload + 9 + (flags == 3 ? 5 : 0); // the DTS when there is one, else the PTS
                return timestamp(data, ts) / 90000.0;
            }
        }
        return Double.NaN;
    }

    private static long timestamp(byte[] d, int p) {
        return ((long) (d[p] & 0x0e) << 29) | ((d[p + 1] & 0xff) << 22) | ((d[p + 2] & 0xfe) << 14)
                | ((d[p + 3] & 0xff) << 7) | ((d[p + 4] & 0xfe) >> 1);
    }

    /** {@code {contentStart, end}} of the box at {@code at}, or null when it does not fit in {@code limit}. */
    private static int[] box(byte[] d, int at, int limit) {
        if (at + 8 > limit) {
            return null;
        }
        long size = u32(d, at);
        int header = 8;
        if (size == 1) {
            if (at + 16 > limit) {
                return null;
            }
            size = (u32(d, at + 8) << 32) | u32(d, at + 12);
            header = 16;
        } else if (size == 0) {
            size = limit - at;
        }
        if (size < header) {
            return null;
        }
        long end = at + size;
        return new int[] {at + header, (int) Math.min(end, limit)};
    }

    /** {@code {contentStart, end}} of the first box of that type between {@code from} and {@code to}, or null. */
    private static int[] child(byte[] d, int from, int to, String type) {
        for (int at = from; at < to; ) {
            int[] b = box(d, at, to);
            if (b == null) {
                return null;
            }
            if (type(d, at).equals(type)) {
                return b;
            }
            at = b[1];
        }
        return null;
    }

    private static String type(byte[] d, int at) {
        return new String(d, at + 4, 4, ISO_8859_1);
    }

    private static long u32(byte[] d, int at) {
        return ((d[at] & 0xffL) << 24) | ((d[at + 1] & 0xffL) << 16) | ((d[at + 2] & 0xffL) << 8) | (d[at + 3] & 0xffL);
    }
}
