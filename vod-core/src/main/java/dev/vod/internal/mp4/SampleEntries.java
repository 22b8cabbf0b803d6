package dev.vod.internal.mp4;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;

/**
 * What players need to know of a track before fetching it, read from its first sample description
 * ({@code stsd}): the RFC 6381 {@code codecs} string (H.264 {@code avc1/avc3}, H.265 {@code hvc1/hev1}, AAC and
 * MP3 in {@code mp4a}, AC-3, E-AC-3, Opus, FLAC), picture size, and audio channels and sample rate.
 */
final class SampleEntries {
    private SampleEntries() {
    }

    /**
     * @param format     the sample entry's four-character code, e.g. {@code avc1}
     * @param codecs     the RFC 6381 string, e.g. {@code avc1.64001f}, or null when the codec is not one we describe
     * @param width      display width (tkhd), else the coded width; 0 for audio
     * @param height     display height, likewise
     * @param channels   audio channel count, 0 for video
     * @param sampleRate audio sample rate in Hz, 0 for video
     */
    record Info(String format, String codecs, int width, int height, int channels, int sampleRate) {
    }

    static Info of(Track track) {
        ByteBuffer b = track.buffer;
        BoxHeader stsd = BoxReader.require(track.stblChildren, BoxTypes.STSD, "track " + track.trackId);
        if (stsd.payloadSize() < 16) {
            throw Mp4Problems.malformed("stsd box too short");
        }
        List<BoxHeader> entries = BoxReader.children(b, stsd.payloadOffset() + 8, stsd.end(), "stsd");
        if (entries.isEmpty()) {
            throw Mp4Problems.malformed("stsd without sample entries in track " + track.trackId);
        }
        BoxHeader entry = entries.get(0);
        String format = BoxTypes.name(entry.type());
        int at = (int) entry.payloadOffset();
        if (track.isVideo()) {
            if (entry.payloadSize() < 78) {
                throw Mp4Problems.malformed(format + " sample entry too short");
            }
            int codedWidth = b.getShort(at + 24) & 0xffff;
            int codedHeight = b.getShort(at + 26) & 0xffff;
            int[] display = displaySize(track);
            List<BoxHeader> children = BoxReader.children(b, at + 78, entry.end(), format);
            return new Info(format, videoCodecs(b, format, children),
                    display[0] > 0 ? display[0] : codedWidth, display[1] > 0 ? display[1] : codedHeight, 0, 0);
        }
        if (entry.payloadSize() < 28) {
            throw Mp4Problems.malformed(format + " sample entry too short");
        }
        int version = b.getShort(at + 8) & 0xffff; // QuickTime sound descriptions 1 and 2 are longer
        int fixed = version == 1 ? 44 : version == 2 ? 64 : 28;
        int channels = b.getShort(at + 16) & 0xffff;
        int rate = (b.getInt(at + 24) >>> 16) & 0xffff;
        if (version == 2 && entry.payloadSize() >= 64) {
            rate = (int) Double.longBitsToDouble(b.getLong(at + 32));
            channels = b.getInt(at + 40);
        }
        List<BoxHeader> children = entry.payloadSize() >= fixed
                ? BoxReader.children(b, at + fixed, entry.end(), format) : List.of();
        return new Info(format, audioCodecs(b, format, children), 0, 0, channels, rate);
    }

    /**
     * The codec's configuration record as the payload formats of RTP need it: the {@code avcC} or {@code hvcC}
     * box payload for H.264/H.265, the AudioSpecificConfig (the esds DecoderSpecificInfo) for MPEG-4 audio; null
     * when the track has none of these.
     */
    static byte[] decoderConfig(Track track) {
        ByteBuffer b = track.buffer;
        BoxHeader stsd = BoxReader.require(track.stblChildren, BoxTypes.STSD, "track " + track.trackId);
        if (stsd.payloadSize() < 16) {
            return null;
        }
        List<BoxHeader> entries = BoxReader.children(b, stsd.payloadOffset() + 8, stsd.end(), "stsd");
        if (entries.isEmpty()) {
            return null;
        }
        BoxHeader entry = entries.get(0);
        String format = BoxTypes.name(entry.type());
        int at = (int) entry.payloadOffset();
        if (track.isVideo()) {
            if (entry.payloadSize() < 78) {
                return null;
            }
            List<BoxHeader> children = BoxReader.children(b, at + 78, entry.end(), format);
            BoxHeader config = BoxReader.find(children, BoxTypes.fourcc(format.startsWith("avc") ? "avcC" : "hvcC"));
            return config == null ? null : bytes(b, (int) config.payloadOffset(), (int) config.end());
        }
        if (!format.equals("mp4a") || entry.payloadSize() < 28) {
            return null;
        }
        int version = b.getShort(at + 8) & 0xffff;
        int fixed = version == 1 ? 44 : version == 2 ? 64 : 28;
        if (entry.payloadSize() < fixed) {
            return null;
        }
        BoxHeader esds = BoxReader.find(BoxReader.children(b, at + fixed, entry.end(), format),
                BoxTypes.fourcc("esds"));
        if (esds == null) {
            return null;
        }
        int end = (int) esds.end();
        int[] cursor = {(int) esds.payloadOffset() + 4};
        if (!skipToDecoderConfig(b, cursor, end) || cursor[0] + 13 > end || b.get(cursor[0]) != 0x40) {
            return null;
        }
        cursor[0] += 13;
        int length = descriptor(b, cursor, end, 0x05);
        if (length < 1 || cursor[0] + length > end) {
            return null;
        }
        return bytes(b, cursor[0], cursor[0] + length);
    }

    private static byte[] bytes(ByteBuffer b, int from, int to) {
        byte[] out = new byte[to - from];
        b.get(from, out);
        return out;
    }

    private static int[] displaySize(Track track) {
        ByteBuffer b = track.buffer;
        int version = MoovParser.version(b, track.tkhd);
        int at = (int) track.tkhd.payloadOffset() + (version == 1 ? 88 : 76);
        if (at + 8 > track.tkhd.end()) {
            return new int[] {0, 0};
        }
        return new int[] {b.getInt(at) >>> 16, b.getInt(at + 4) >>> 16};
    }

    private static String videoCodecs(ByteBuffer b, String format, List<BoxHeader> children) {
        switch (format) {
            case "avc1", "avc2", "avc3", "avc4" -> {
                BoxHeader avcC = BoxReader.find(children, BoxTypes.fourcc("avcC"));
                if (avcC == null || avcC.payloadSize() < 4) {
                    return null;
                }
                int p = (int) avcC.payloadOffset();
                return String.format(Locale.ROOT, "%s.%02x%02x%02x", format, b.get(p + 1) & 0xff,
                        b.get(p + 2) & 0xff, b.get(p + 3) & 0xff);
            }
            case "hvc1", "hev1" -> {
                BoxHeader hvcC = BoxReader.find(children, BoxTypes.fourcc("hvcC"));
                if (hvcC == null || hvcC.payloadSize() < 13) {
                    return null;
                }
                return hevc(b, format, (int) hvcC.payloadOffset());
            }
            default -> {
                return null;
            }
        }
    }

    /** ISO/IEC 14496-15 Annex E: {@code hvc1.[A-C]?profile.compat-reversed.(L|H)level.constraint-bytes}. */
    private static String hevc(ByteBuffer b, String format, int p) {
        int first = b.get(p + 1) & 0xff;
        int space = first >>> 6;
        boolean highTier = (first & 0x20) != 0;
        int profile = first & 0x1f;
        int compatibility = Integer.reverse(b.getInt(p + 2));
        StringBuilder s = new StringBuilder(format).append('.');
        if (space > 0) {
            s.append((char) ('A' + space - 1));
        }
        s.append(profile).append('.').append(Integer.toHexString(compatibility).toUpperCase(Locale.ROOT))
                .append('.').append(highTier ? 'H' : 'L').append(b.get(p + 12) & 0xff);
        int last = 5;
        while (last >= 0 && b.get(p + 6 + last) == 0) {
            last--;
        }
        for (int i = 0; i <= last; i++) {
            s.append('.').append(String.format(Locale.ROOT, "%02X", b.get(p + 6 + i) & 0xff));
        }
        return s.toString();
    }

    private static String audioCodecs(ByteBuffer b, String format, List<BoxHeader> children) {
        return switch (format) {
            case "mp4a" -> {
                BoxHeader esds = BoxReader.find(children, BoxTypes.fourcc("esds"));
                yield esds == null ? null : mp4a(b, (int) esds.payloadOffset() + 4, (int) esds.end());
            }
            case "ac-3", "ec-3", "fLaC", "Opus" -> format.toLowerCase(Locale.ROOT);
            case ".mp3" -> "mp4a.6b";
            default -> null;
        };
    }

    /** The ES descriptor: {@code mp4a.40.<audio object type>} for MPEG-4 audio, {@code mp4a.<oti>} otherwise. */
    private static String mp4a(ByteBuffer b, int p, int end) {
        int[] cursor = {p};
        if (!skipToDecoderConfig(b, cursor, end) || cursor[0] + 13 > end) {
            return null;
        }
        int objectType = b.get(cursor[0]) & 0xff;
        cursor[0] += 13;
        if (objectType != 0x40) {
            return String.format(Locale.ROOT, "mp4a.%02x", objectType);
        }
        if (descriptor(b, cursor, end, 0x05) < 1 || cursor[0] + 1 > end) {
            return "mp4a.40.2"; // MPEG-4 audio without a specific config: AAC-LC is what it is in practice
        }
        int aot = (b.get(cursor[0]) & 0xff) >>> 3;
        if (aot == 31 && cursor[0] + 2 <= end) {
            aot = 32 + (((b.get(cursor[0]) & 0x07) << 3) | ((b.get(cursor[0] + 1) & 0xff) >>> 5));
        }
        return "mp4a.40." + aot;
    }

    /** Moves the cursor from the ES descriptor to the DecoderConfigDescriptor's payload; false if absent. */
    private static boolean skipToDecoderConfig(ByteBuffer b, int[] cursor, int end) {
        if (descriptor(b, cursor, end, 0x03) < 0 || cursor[0] + 3 > end) {
            return false;
        }
        int flags = b.get(cursor[0] + 2) & 0xff;
        cursor[0] += 3;
        if ((flags & 0x80) != 0) {
            cursor[0] += 2;
        }
        if ((flags & 0x40) != 0 && cursor[0] < end) {
            cursor[0] += 1 + (b.get(cursor[0]) & 0xff);
        }
        if ((flags & 0x20) != 0) {
            cursor[0] += 2;
        }
        return descriptor(b, cursor, end, 0x04) >= 0;
    }

    /** Reads a descriptor header of {@code tag} at the cursor (moved past it); returns its length, -1 if not. */
    private static int descriptor(ByteBuffer b, int[] cursor, int end, int tag) {
        int p = cursor[0];
        if (p >= end || (b.get(p) & 0xff) != tag) {
            return -1;
        }
        p++;
        int length = 0;
        for (int i = 0; i < 4 && p < end; i++) {
            int v = b.get(p++) & 0xff;
            length = length << 7 | (v & 0x7f);
            if ((v & 0x80) == 0) {
                break;
            }
        }
        cursor[0] = p;
        return length;
    }
}
