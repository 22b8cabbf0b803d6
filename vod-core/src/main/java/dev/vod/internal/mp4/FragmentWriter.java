package dev.vod.internal.mp4;

import dev.vod.internal.body.Body;
import dev.vod.internal.body.Segment;
import dev.vod.internal.body.SourceFile;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes CMAF-style fragmented MP4 from any {@link SampleView}: the init segment ({@code ftyp} + a {@code moov}
 * with the source's sample descriptions, empty sample tables and {@code mvex}) and media fragments
 * ({@code moof} + {@code mdat} header, generated, then the samples as slices of the source file — media bytes
 * are never copied).
 *
 * <p>Each fragment has one {@code traf} per track that has samples in it: {@code tfhd} with
 * default-base-is-moof, {@code tfdt} (version 1, the source decode time of the first sample) and one
 * {@code trun} with every sample's duration, size, flags and (when the track has them) composition offsets —
 * version 1, signed, when any is negative. Track data follow each other in the {@code mdat} in {@code traf}
 * order. Fragment sizes follow from the sample counts alone ({@link #length}), so a manifest of byte ranges
 * needs no fragment to be written.
 */
final class FragmentWriter {
    private static final int SYNC_FLAGS = 0x02000000; // sample_depends_on = 2 (an I picture)
    private static final int NON_SYNC_FLAGS = 0x01010000; // depends on others, sample_is_non_sync_sample
    private static final int MOOF_FIXED = 8 + 16; // moof header + mfhd
    private static final int TRAF_FIXED = 8 + 16 + 20; // traf header, tfhd, tfdt v1
    private static final int TRUN_FIXED = 20; // trun header, sample count, data offset

    private FragmentWriter() {
    }

    /** One track's samples {@code [from, to)} in a fragment. */
    record Run(Track track, SampleView samples, long from, long to) {
        long count() {
            return to - from;
        }
    }

    /**
     * The init segment for these tracks, in this order. {@code mediaDurations} are the tracks' durations in their
     * own timescales; they (and {@code fragmentDuration}, in the movie timescale) replace zero durations in
     * {@code mvhd}, {@code tkhd} and {@code mdhd} — a fragmented source has them — so that the virtual
     * fragmented file states its length like any MP4 (ffprobe reads it there, not from {@code mehd}).
     */
    static byte[] init(Movie movie, List<Track> tracks, long[] mediaDurations, long fragmentDuration) {
        BoxWriter out = new BoxWriter(4096);
        int ftyp = out.begin(BoxTypes.FTYP);
        out.writeInt(BoxTypes.fourcc("iso6"));
        out.writeInt(0);
        for (String brand : new String[] {"iso6", "cmfc", "isom", "mp41"}) {
            out.writeInt(BoxTypes.fourcc(brand));
        }
        out.end(ftyp);
        int moov = out.begin(BoxTypes.MOOV);
        int mvhd = out.length();
        out.copy(movie.buffer(), movie.mvhd());
        fillDuration(out, movie.buffer(), movie.mvhd(), mvhd, 16, 20, fragmentDuration);
        for (int i = 0; i < tracks.size(); i++) {
            Track track = tracks.get(i);
            writeTrak(out, track, mediaDurations[i],
                    Timescales.rescale(mediaDurations[i], track.timescale, movie.timescale()));
        }
        int mvex = out.begin(BoxTypes.MVEX);
        int mehd = out.beginFull(BoxTypes.MEHD, 1, 0);
        out.writeLong(fragmentDuration);
        out.end(mehd);
        for (Track track : tracks) {
            int trex = out.beginFull(BoxTypes.TREX, 0, 0);
            out.writeInt(track.trackId);
            out.writeInt(1); // default sample description
            out.writeInt(0);
            out.writeInt(0);
            out.writeInt(0);
            out.end(trex);
        }
        out.end(mvex);
        out.end(moov);
        return out.toByteArray();
    }

    /**
     * Writes {@code duration} into the copied full box at {@code at} when its duration field is 0; the field is
     * at payload offset {@code v0} (32-bit) or {@code v1} (64-bit) by version.
     */
    private static void fillDuration(BoxWriter out, java.nio.ByteBuffer source, BoxHeader box, int at, int v0, int v1,
                                     long duration) {
        int version = MoovParser.version(source, box);
        int field = box.headerSize() + (version == 1 ? v1 : v0);
        if (field + (version == 1 ? 8 : 4) > box.size()) {
            return;
        }
        if (version == 1) {
            if (source.getLong((int) box.offset() + field) == 0) {
                out.patchLong(at + field, duration);
            }
        } else if (source.getInt((int) box.offset() + field) == 0) {
            out.patchInt(at + field, (int) Math.min(duration, 0xffffffffL));
        }
    }

    private static void writeTrak(BoxWriter out, Track track, long mediaDuration, long movieDuration) {
        int trak = out.begin(BoxTypes.TRAK);
        int tkhd = out.length();
        out.copy(track.buffer, track.tkhd);
        fillDuration(out, track.buffer, track.tkhd, tkhd, 20, 24, movieDuration);
        BoxHeader edts = BoxReader.find(track.trakChildren, BoxTypes.EDTS);
        if (edts != null) {
            out.copy(track.buffer, edts);
        }
        int mdia = out.begin(BoxTypes.MDIA);
        for (BoxHeader child : track.mdiaChildren) {
            if (child.type() != BoxTypes.MINF) {
                int at = out.length();
                out.copy(track.buffer, child); // mdhd, hdlr, elng...
                if (child.type() == BoxTypes.MDHD) {
                    fillDuration(out, track.buffer, child, at, 16, 20, mediaDuration);
                }
            }
        }
        int minf = out.begin(BoxTypes.MINF);
        for (BoxHeader child : track.minfChildren) {
            if (child.type() != BoxTypes.STBL) {
                out.copy(track.buffer, child); // vmhd/smhd, dinf
            }
        }
        int stbl = out.begin(BoxTypes.STBL);
        out.copy(track.buffer, BoxReader.require(track.stblChildren, BoxTypes.STSD, "track " + track.trackId));
        for (int type : new int[] {BoxTypes.STTS, BoxTypes.STSC, BoxTypes.STCO}) {
            int box = out.beginFull(type, 0, 0);
            out.writeInt(0);
            out.end(box);
        }
        int stsz = out.beginFull(BoxTypes.STSZ, 0, 0);
        out.writeInt(0);
        out.writeInt(0);
        out.end(stsz);
        out.end(stbl);
        out.end(minf);
        out.end(mdia);
        out.end(trak);
    }

    /** Bytes of the fragment {@link #fragment} would write (its layout is planned, nothing is written). */
    static long length(List<Run> runs) {
        FragmentLayout layout = FragmentLayout.plan(runs);
        return moofSize(layout) + mdatHeader(layout) + layout.payload;
    }

    private static int mdatHeader(FragmentLayout layout) {
        return layout.payload + 8 > 0xffffffffL ? 16 : 8;
    }

    private static int moofSize(FragmentLayout layout) {
        long size = MOOF_FIXED;
        for (int r = 0; r < layout.runs.size(); r++) {
            Run run = layout.runs.get(r);
            if (run.count() > 0) {
                size += TRAF_FIXED + (long) layout.trunCount(r) * TRUN_FIXED + run.count() * entrySize(run);
            }
        }
        if (size > Integer.MAX_VALUE / 2) {
            throw Mp4Problems.malformed("fragment of " + size + " header bytes");
        }
        return (int) size;
    }

    private static int entrySize(Run run) {
        return run.track.compositionOffsets != null || run.samples instanceof FragmentedSamples ? 16 : 12;
    }

    /** The fragment with sequence number {@code sequence}: generated moof + mdat header, then file slices. */
    static Body fragment(SourceFile file, int sequence, List<Run> runs) {
        FragmentLayout layout = FragmentLayout.plan(runs);
        int moofSize = moofSize(layout);
        int mdatHeader = mdatHeader(layout);
        BoxWriter out = new BoxWriter(moofSize + mdatHeader);
        int moof = out.begin(BoxTypes.MOOF);
        int mfhd = out.beginFull(BoxTypes.fourcc("mfhd"), 0, 0);
        out.writeInt(sequence);
        out.end(mfhd);
        long dataStart = moofSize + mdatHeader;
        for (int r = 0; r < runs.size(); r++) {
            Run run = runs.get(r);
            if (run.count() == 0) {
                continue;
            }
            int traf = out.begin(BoxTypes.TRAF);
            int tfhd = out.beginFull(BoxTypes.TFHD, 0, 0x020000); // default-base-is-moof
            out.writeInt(run.track.trackId);
            out.end(tfhd);
            int tfdt = out.beginFull(BoxTypes.TFDT, 1, 0);
            out.writeLong(run.samples.decodeTime(run.from));
            out.end(tfdt);
            boolean withOffsets = entrySize(run) == 16;
            boolean video = run.track.isVideo();
            int[] splits = layout.truns[r];
            for (int t = 0; t + 1 < splits.length; t++) {
                int first = splits[t];
                int end = splits[t + 1];
                boolean negative = false;
                for (int i = first; i < end && withOffsets; i++) {
                    negative |= layout.compositionOffsets[r][i] < 0;
                }
                int trun = out.beginFull(BoxTypes.TRUN, negative ? 1 : 0, 0x000701 | (withOffsets ? 0x800 : 0));
                out.writeUnsignedInt(end - first);
                out.writeInt((int) (dataStart + layout.mdatPosition(layout.offsets[r][first])));
                for (int i = first; i < end; i++) {
                    out.writeUnsignedInt(layout.durations[r][i]);
                    out.writeUnsignedInt(layout.sizes[r][i]);
                    out.writeInt(layout.syncs[r][i] || !video ? SYNC_FLAGS : NON_SYNC_FLAGS);
                    if (withOffsets) {
                        out.writeInt(layout.compositionOffsets[r][i]);
                    }
                }
                out.end(trun);
            }
            out.end(traf);
        }
        out.end(moof);
        if (mdatHeader == 16) {
            out.writeInt(1);
            out.writeInt(BoxTypes.MDAT);
            out.writeLong(layout.payload + 16);
        } else {
            out.writeInt((int) (layout.payload + 8));
            out.writeInt(BoxTypes.MDAT);
        }
        List<Segment> segments = new ArrayList<>(layout.slices + 1);
        segments.add(new Segment.Bytes(out.toByteArray()));
        for (int i = 0; i < layout.slices; i++) {
            segments.add(new Segment.FileSlice(file, layout.sliceStart[i], layout.sliceEnd[i] - layout.sliceStart[i]));
        }
        return Body.of(segments);
    }
}
