package dev.vod.internal.mp4;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reads what a fragment index needs from one {@code moof}: for one track, the base decode time ({@code tfdt})
 * and the total duration of its samples in that fragment ({@code trun} per-sample durations, else the
 * {@code tfhd} or {@code trex} default).
 */
final class MoofParser {
    private MoofParser() {
    }

    /**
     * @param decodeTime base decode time of the track in this fragment, or -1 when the fragment has no tfdt
     * @param duration   sum of the track's sample durations in this fragment
     */
    record TrackRun(long decodeTime, long duration) {
    }

    /** The track's run in this moof (box bytes, header included), or null when the moof has no traf for it. */
    static TrackRun track(ByteBuffer moof, int trackId, long trexDuration) {
        List<BoxHeader> children = BoxReader.children(moof, 0, moof.capacity(), "file");
        if (children.size() != 1 || children.get(0).type() != BoxTypes.MOOF) {
            throw Mp4Problems.malformed("moof size does not match its bytes");
        }
        for (Traf traf : trafs(moof, children.get(0))) {
            if (traf.trackId() != trackId) {
                continue;
            }
            List<BoxHeader> parts = traf.parts();
            BoxHeader tfhd = traf.tfhd();
            long defaultDuration = defaultDuration(moof, tfhd, trexDuration);
            long decodeTime = -1;
            long duration = 0;
            for (BoxHeader part : parts) {
                if (part.type() == BoxTypes.TFDT) {
                    decodeTime = tfdt(moof, part);
                } else if (part.type() == BoxTypes.TRUN) {
                    duration = Math.addExact(duration, trunDuration(moof, part, defaultDuration));
                }
            }
            return new TrackRun(decodeTime, duration);
        }
        return null;
    }

    /**
     * One {@code traf} of a moof: its child boxes, its {@code tfhd}, the tfhd's flags and the track it is for.
     */
    record Traf(List<BoxHeader> parts, BoxHeader tfhd, int flags, int trackId) {
    }

    /** The {@code traf} boxes of {@code moofBox} (offsets in {@code moof}), each with a checked {@code tfhd}. */
    static List<Traf> trafs(ByteBuffer moof, BoxHeader moofBox) {
        List<Traf> out = new java.util.ArrayList<>();
        for (BoxHeader traf : BoxReader.children(moof, moofBox)) {
            if (traf.type() != BoxTypes.TRAF) {
                continue;
            }
            List<BoxHeader> parts = BoxReader.children(moof, traf);
            BoxHeader tfhd = BoxReader.require(parts, BoxTypes.TFHD, "traf");
            if (tfhd.payloadSize() < 8) {
                throw Mp4Problems.malformed("tfhd box too short");
            }
            int at = (int) tfhd.payloadOffset();
            out.add(new Traf(parts, tfhd, moof.getInt(at) & 0xffffff, moof.getInt(at + 4)));
        }
        return out;
    }

    /** The base media decode time of a {@code tfdt} box (version 0 or 1), checked. */
    static long tfdt(ByteBuffer moof, BoxHeader tfdt) {
        int version = MoovParser.version(moof, tfdt);
        if (tfdt.payloadSize() < (version == 1 ? 12 : 8)) {
            throw Mp4Problems.malformed("tfdt box too short");
        }
        int p = (int) tfdt.payloadOffset() + 4;
        long time = version == 1 ? moof.getLong(p) : moof.getInt(p) & 0xffffffffL;
        if (time < 0) {
            throw Mp4Problems.malformed("tfdt overflows");
        }
        return time;
    }

    private static long defaultDuration(ByteBuffer moof, BoxHeader tfhd, long trexDuration) {
        int flags = moof.getInt((int) tfhd.payloadOffset()) & 0xffffff;
        if ((flags & 0x08) == 0) {
            return trexDuration;
        }
        int at = 8 + ((flags & 0x01) != 0 ? 8 : 0) + ((flags & 0x02) != 0 ? 4 : 0);
        if (tfhd.payloadSize() < at + 4) {
            throw Mp4Problems.malformed("tfhd box too short");
        }
        return moof.getInt((int) tfhd.payloadOffset() + at) & 0xffffffffL;
    }

    private static long trunDuration(ByteBuffer moof, BoxHeader trun, long defaultDuration) {
        int at = (int) trun.payloadOffset();
        if (trun.payloadSize() < 8) {
            throw Mp4Problems.malformed("trun box too short");
        }
        int flags = moof.getInt(at) & 0xffffff;
        long samples = moof.getInt(at + 4) & 0xffffffffL;
        int header = 8 + ((flags & 0x001) != 0 ? 4 : 0) + ((flags & 0x004) != 0 ? 4 : 0);
        int perSample = Integer.bitCount(flags & 0xf00) * 4;
        if (header > trun.payloadSize() || samples * perSample > trun.payloadSize() - header) {
            throw Mp4Problems.malformed("trun declares more samples than it holds");
        }
        if ((flags & 0x100) == 0) {
            return Math.multiplyExact(samples, defaultDuration);
        }
        long total = 0;
        for (long i = 0; i < samples; i++) {
            total += moof.getInt((int) (at + header + i * perSample)) & 0xffffffffL;
        }
        return total;
    }
}
