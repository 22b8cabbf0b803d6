package dev.vod.internal.mp4;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One parsed {@code trak}: where its boxes lie in the moov buffer, its timescale and edit list, and its sample
 * tables (read in place, never copied). Immutable once built by {@link MoovParser}.
 */
final class Track {
    final ByteBuffer buffer;
    final BoxHeader trak;
    final List<BoxHeader> trakChildren;
    final BoxHeader tkhd;
    final BoxHeader mdia;
    final List<BoxHeader> mdiaChildren;
    final BoxHeader mdhd;
    final BoxHeader minf;
    final List<BoxHeader> minfChildren;
    final BoxHeader stbl;
    final List<BoxHeader> stblChildren;

    final int trackId;
    final int handler;
    final long timescale;
    final Edits edits;

    final TimeToSample times;
    /** Composition offsets ({@code ctts}), or {@code null} when decode and presentation order agree. */
    final Runs compositionOffsets;
    /** Key frames ({@code stss}), or {@code null} when every sample is one. */
    final SyncSamples syncSamples;
    final SampleSizes sizes;
    final ChunkTable chunks;
    /** End of the last sample in composition order: decode end, extended by B-frame reordering at the end. */
    final long compositionEnd;

    Track(Builder b) {
        this.buffer = b.buffer;
        this.trak = b.trak;
        this.trakChildren = b.trakChildren;
        this.tkhd = b.tkhd;
        this.mdia = b.mdia;
        this.mdiaChildren = b.mdiaChildren;
        this.mdhd = b.mdhd;
        this.minf = b.minf;
        this.minfChildren = b.minfChildren;
        this.stbl = b.stbl;
        this.stblChildren = b.stblChildren;
        this.trackId = b.trackId;
        this.handler = b.handler;
        this.timescale = b.timescale;
        this.edits = b.edits;
        this.times = b.times;
        this.compositionOffsets = b.compositionOffsets;
        this.syncSamples = b.syncSamples;
        this.sizes = b.sizes;
        this.chunks = b.chunks;
        this.compositionEnd = compositionEnd(b.times, b.compositionOffsets);
        if (chunks != null && sizes != null) {
            chunks.indexGaps(sizes, DataLayout.MERGE_GAP);
        }
    }

    /** The latest {@code cts + duration}; within a run of equal offsets the last sample is the latest. */
    private static long compositionEnd(TimeToSample times, Runs offsets) {
        long end = times.totalDuration();
        if (offsets != null) {
            for (int run = 0; run < offsets.runCount(); run++) {
                if (offsets.count(run) > 0) {
                    long last = offsets.firstSample(run + 1) - 1;
                    end = Math.max(end, times.decodeTime(last) + offsets.signedValue(run) + times.duration(last));
                }
            }
        }
        return end;
    }

    long sampleCount() {
        return times.sampleCount();
    }

    boolean isVideo() {
        return handler == BoxTypes.VIDE;
    }

    /** Composition (presentation-order) offset of {@code sample}: 0 without a {@code ctts}. */
    long compositionOffset(long sample) {
        return compositionOffsets == null ? 0 : compositionOffsets.signedValue(compositionOffsets.runOf(sample));
    }

    /** Composition time of {@code sample} in the media timeline. */
    long compositionTime(long sample) {
        return times.decodeTime(sample) + compositionOffset(sample);
    }

    /** End of the track's presentation on the movie timeline, in the movie timescale. */
    long presentationEnd(long movieTimescale) {
        long media = Math.max(0, compositionEnd - edits.mediaStart());
        long shown = Timescales.rescale(media, timescale, movieTimescale);
        if (edits.duration() > 0 && !edits.complex()) {
            shown = Math.min(shown, edits.duration());
        }
        return edits.emptyDelay() + shown;
    }

    /**
     * The edit list, reduced to what a seek needs: the delay before the track starts (leading empty edits, movie
     * timescale), the media time shown first and the duration of that first real edit (0 when unspecified).
     * Further edits are rare (they would repeat or skip media) and are not reproduced: {@code complex} says they
     * existed.
     */
    record Edits(long emptyDelay, long mediaStart, long duration, boolean complex) {
        static final Edits NONE = new Edits(0, 0, 0, false);
    }

    /** Mutable holder used by {@link MoovParser} to assemble a track. */
    static final class Builder {
        ByteBuffer buffer;
        BoxHeader trak;
        List<BoxHeader> trakChildren;
        BoxHeader tkhd;
        BoxHeader mdia;
        List<BoxHeader> mdiaChildren;
        BoxHeader mdhd;
        BoxHeader minf;
        List<BoxHeader> minfChildren;
        BoxHeader stbl;
        List<BoxHeader> stblChildren;
        int trackId;
        int handler;
        long timescale;
        Edits edits = Edits.NONE;
        TimeToSample times;
        Runs compositionOffsets;
        SyncSamples syncSamples;
        SampleSizes sizes;
        ChunkTable chunks;
    }
}
