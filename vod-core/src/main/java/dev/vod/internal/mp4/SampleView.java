package dev.vod.internal.mp4;

/**
 * The samples of one track in decode order, whatever the file's layout: read from the {@code stbl} tables of a
 * progressive file ({@link ProgressiveSamples}) or from the {@code moof} boxes of a fragmented one
 * ({@link FragmentedSamples}). The packager works on this view only, so both layouts give the same segments.
 *
 * <p>Times are in the track's media timescale; sample numbers are 0-based.
 */
interface SampleView {

    long count();

    /** Decode time of {@code sample}; for {@code sample == count()} the end of the last sample. */
    long decodeTime(long sample);

    /** Composition offset (presentation minus decode time), signed. */
    int compositionOffset(long sample);

    /** File offset of {@code sample}'s data. */
    long offset(long sample);

    /** Total size of samples {@code [from, to)}. */
    long bytes(long from, long to);

    /** How many key frames there are. */
    int syncCount();

    /** The {@code index}-th key frame's sample number. */
    long syncSample(int index);

    /** The first sample whose decode time is at or after {@code time} ({@link #count()} when none). */
    long firstAtOrAfter(long time);

    /** Visits samples {@code [from, to)} in decode order. */
    void visit(long from, long to, Visitor visitor);

    /** Receives samples from {@link #visit}. */
    interface Visitor {
        void sample(long offset, long size, long duration, int compositionOffset, boolean sync);
    }
}
