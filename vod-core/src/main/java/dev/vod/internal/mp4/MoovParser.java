package dev.vod.internal.mp4;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a {@code moov} box held in memory into a {@link Movie}. Every count is checked against the payload of
 * the box that declares it before anything is sized from it, and the sample tables of a track must agree on
 * the number of samples; any violation is a 422 naming the box.
 */
final class MoovParser {
    private MoovParser() {
    }

    /** @param moovBox the complete moov box (header included) */
    static Movie parse(byte[] moovBox) {
        ByteBuffer buffer = ByteBuffer.wrap(moovBox).asReadOnlyBuffer();
        try {
            return parse(buffer);
        } catch (IndexOutOfBoundsException | IllegalArgumentException | ArithmeticException e) {
            // Safety net: a check we missed must still end as a clean 422, never as a stack trace.
            throw Mp4Problems.malformed("inconsistent moov (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Movie parse(ByteBuffer buffer) {
        List<BoxHeader> top = BoxReader.children(buffer, 0, buffer.capacity(), "file");
        if (top.size() != 1 || top.get(0).type() != BoxTypes.MOOV) {
            throw Mp4Problems.malformed("moov box size does not match its bytes");
        }
        BoxHeader moov = top.get(0);
        List<BoxHeader> children = BoxReader.children(buffer, moov);
        if (BoxReader.find(children, BoxTypes.CMOV) != null) {
            throw Mp4Problems.malformed("compressed moov (cmov) is not supported");
        }
        BoxHeader mvhd = BoxReader.require(children, BoxTypes.MVHD, "moov");
        long timescale = timescaleOf(buffer, mvhd);
        List<Track> tracks = new ArrayList<>();
        for (BoxHeader child : children) {
            if (child.type() == BoxTypes.TRAK) {
                tracks.add(parseTrack(buffer, child));
            }
        }
        boolean fragmented = BoxReader.find(children, BoxTypes.MVEX) != null;
        return new Movie(buffer, moov, List.copyOf(children), mvhd, timescale, List.copyOf(tracks), fragmented);
    }

    private static Track parseTrack(ByteBuffer buffer, BoxHeader trak) {
        Track.Builder t = new Track.Builder();
        t.buffer = buffer;
        t.trak = trak;
        t.trakChildren = BoxReader.children(buffer, trak);
        t.tkhd = BoxReader.require(t.trakChildren, BoxTypes.TKHD, "trak");
        t.trackId = buffer.getInt((int) t.tkhd.payloadOffset() + (version(buffer, t.tkhd) == 1 ? 20 : 12));
        String name = "track " + t.trackId;
        t.mdia = BoxReader.require(t.trakChildren, BoxTypes.MDIA, name);
        t.mdiaChildren = BoxReader.children(buffer, t.mdia);
        t.mdhd = BoxReader.require(t.mdiaChildren, BoxTypes.MDHD, name);
        t.timescale = timescaleOf(buffer, t.mdhd);
        BoxHeader hdlr = BoxReader.find(t.mdiaChildren, BoxTypes.HDLR);
        t.handler = hdlr != null && hdlr.payloadSize() >= 12 ? buffer.getInt((int) hdlr.payloadOffset() + 8) : 0;
        t.minf = BoxReader.require(t.mdiaChildren, BoxTypes.MINF, name);
        t.minfChildren = BoxReader.children(buffer, t.minf);
        t.stbl = BoxReader.require(t.minfChildren, BoxTypes.STBL, name);
        t.stblChildren = BoxReader.children(buffer, t.stbl);
        BoxHeader edts = BoxReader.find(t.trakChildren, BoxTypes.EDTS);
        if (edts != null) {
            BoxHeader elst = BoxReader.find(BoxReader.children(buffer, edts), BoxTypes.ELST);
            if (elst != null) {
                t.edits = parseEdits(buffer, elst);
            }
        }
        parseSampleTables(buffer, t, name);
        return new Track(t);
    }

    private static void parseSampleTables(ByteBuffer buffer, Track.Builder t, String name) {
        List<BoxHeader> stbl = t.stblChildren;
        BoxHeader stts = BoxReader.require(stbl, BoxTypes.STTS, name);
        t.times = new TimeToSample(runs(buffer, stts, true));
        BoxHeader sizes = BoxReader.find(stbl, BoxTypes.STSZ);
        if (sizes == null) {
            sizes = BoxReader.require(stbl, BoxTypes.STZ2, name);
        }
        t.sizes = SampleSizes.parse(buffer, sizes);
        long samples = t.sizes.count();
        if (t.times.sampleCount() != samples) {
            throw Mp4Problems.malformed("sample count mismatch in " + name + ": stts " + t.times.sampleCount()
                    + ", stsz " + samples);
        }
        BoxHeader ctts = BoxReader.find(stbl, BoxTypes.CTTS);
        if (ctts != null) {
            t.compositionOffsets = runs(buffer, ctts, false);
            if (t.compositionOffsets.sampleCount() != samples) {
                throw Mp4Problems.malformed("sample count mismatch in " + name + ": ctts "
                        + t.compositionOffsets.sampleCount() + ", stsz " + samples);
            }
        }
        BoxHeader stss = BoxReader.find(stbl, BoxTypes.STSS);
        if (stss != null) {
            t.syncSamples = SyncSamples.parse(buffer, stss, samples);
        }
        BoxHeader offsets = BoxReader.find(stbl, BoxTypes.STCO);
        if (offsets == null) {
            offsets = BoxReader.require(stbl, BoxTypes.CO64, name);
        }
        BoxHeader stsc = BoxReader.require(stbl, BoxTypes.STSC, name);
        t.chunks = ChunkTable.parse(buffer, stsc, offsets, samples);
    }

    /** A run-length table: version/flags, entry count, then 8-byte {@code (count, value)} entries. */
    static Runs runs(ByteBuffer buffer, BoxHeader box, boolean withTime) {
        int at = (int) box.payloadOffset();
        if (box.payloadSize() < 8) {
            throw Mp4Problems.malformed(box.name() + " box too short");
        }
        long entries = buffer.getInt(at + 4) & 0xffffffffL;
        if (entries * 8 > box.payloadSize() - 8) {
            throw Mp4Problems.malformed(box.name() + " declares " + entries + " entries but holds room for "
                    + (box.payloadSize() - 8) / 8);
        }
        return new Runs(buffer, at + 8, 8, (int) entries, withTime, box.name());
    }

    private static Track.Edits parseEdits(ByteBuffer buffer, BoxHeader elst) {
        int at = (int) elst.payloadOffset();
        if (elst.payloadSize() < 8) {
            throw Mp4Problems.malformed("elst box too short");
        }
        int version = buffer.get(at) & 0xff;
        int entrySize = version == 1 ? 20 : 12;
        long entries = buffer.getInt(at + 4) & 0xffffffffL;
        if (entries * entrySize > elst.payloadSize() - 8) {
            throw Mp4Problems.malformed("elst declares more entries than it holds");
        }
        long delay = 0;
        int i = 0;
        for (; i < entries; i++) {
            int e = at + 8 + i * entrySize;
            long duration = version == 1 ? buffer.getLong(e) : buffer.getInt(e) & 0xffffffffL;
            long mediaTime = version == 1 ? buffer.getLong(e + 8) : buffer.getInt(e + 4);
            if (duration < 0) {
                throw Mp4Problems.malformed("elst duration overflows");
            }
            if (mediaTime == -1) {
                delay = Math.addExact(delay, duration);
                continue;
            }
            if (mediaTime < 0) {
                throw Mp4Problems.malformed("elst media time " + mediaTime);
            }
            return new Track.Edits(delay, mediaTime, duration, i + 1 < entries);
        }
        return new Track.Edits(delay, 0, 0, false);
    }

    static int version(ByteBuffer buffer, BoxHeader fullBox) {
        if (fullBox.payloadSize() < 4) {
            throw Mp4Problems.malformed(fullBox.name() + " box too short");
        }
        return buffer.get((int) fullBox.payloadOffset()) & 0xff;
    }

    /** Timescale of an {@code mvhd} or {@code mdhd} (same layout for both). */
    static long timescaleOf(ByteBuffer buffer, BoxHeader header) {
        int version = version(buffer, header);
        if (header.payloadSize() < (version == 1 ? 32 : 20)) {
            throw Mp4Problems.malformed(header.name() + " box too short");
        }
        long timescale = buffer.getInt((int) header.payloadOffset() + (version == 1 ? 20 : 12)) & 0xffffffffL;
        if (timescale == 0) {
            throw Mp4Problems.malformed(header.name() + " timescale is 0");
        }
        return timescale;
    }
}
