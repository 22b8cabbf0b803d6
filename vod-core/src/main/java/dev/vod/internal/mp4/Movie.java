package dev.vod.internal.mp4;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A parsed {@code moov}: the box bytes (offset 0 is the moov header), its top-level children, movie timescale
 * and duration, and its tracks.
 *
 * @param buffer     the whole moov box, read-only; every {@link BoxHeader} of this movie is relative to it
 * @param moov       the moov box itself (offset 0)
 * @param children   moov's child boxes in file order
 * @param timescale  movie timescale ({@code mvhd})
 * @param tracks     the tracks in file order
 * @param fragmented whether the moov has an {@code mvex} box: samples live in movie fragments
 */
record Movie(ByteBuffer buffer, BoxHeader moov, List<BoxHeader> children, BoxHeader mvhd, long timescale,
             List<Track> tracks, boolean fragmented) {

    /** Size of the moov box in bytes. */
    long size() {
        return moov.size();
    }

    /** End of the longest track's presentation, in the movie timescale. */
    long presentationEnd() {
        long end = 0;
        for (Track t : tracks) {
            end = Math.max(end, t.presentationEnd(timescale));
        }
        return end;
    }

    /** Sum of every sample's size over all tracks. */
    long totalSampleBytes() {
        long total = 0;
        for (Track t : tracks) {
            total += t.sizes.total();
        }
        return total;
    }

    /** Memory of the indexes built over the moov buffer (prefix sums...), for the cache's budget. */
    long indexBytes() {
        long total = 0;
        for (Track t : tracks) {
            total += t.sizes.indexBytes() + t.chunks.indexBytes() + t.times.runs().sharedBytes()
                    + (t.compositionOffsets == null ? 0 : t.compositionOffsets.sharedBytes());
        }
        return total;
    }

    /** The track with this {@code track_ID}, or {@code null}. */
    Track track(int trackId) {
        for (Track t : tracks) {
            if (t.trackId == trackId) {
                return t;
            }
        }
        return null;
    }

    /** The track whose key frames decide where a seek starts: the first video track with samples, or null. */
    Track referenceTrack() {
        for (Track t : tracks) {
            if (t.isVideo()) {
                return t;
            }
        }
        return null;
    }
}
