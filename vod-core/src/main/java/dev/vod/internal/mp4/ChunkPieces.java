package dev.vod.internal.mp4;

/**
 * The chunks a {@link TrackCut} keeps, as they will appear in the output's {@code stsc}/{@code stco}: the first
 * may start mid-chunk (its offset moves past the dropped samples) and the last may end early.
 *
 * <p>A view computed on demand from the track's cached chunk index and size prefix sums: a seek keeping 100,000
 * chunks builds nothing per chunk here.
 */
final class ChunkPieces {
    private final ChunkTable chunks;
    private final SampleSizes sizes;
    private final int firstChunk;
    private final int count;
    private final long firstSample;
    private final long endSample;

    private ChunkPieces(Track track, int firstChunk, int count, long firstSample, long endSample) {
        this.chunks = track.chunks;
        this.sizes = track.sizes;
        this.firstChunk = firstChunk;
        this.count = count;
        this.firstSample = firstSample;
        this.endSample = endSample;
    }

    /** The pieces of {@code cut}, each checked to lie inside a file of {@code fileSize} bytes. */
    static ChunkPieces of(TrackCut cut, long fileSize) {
        Track track = cut.track();
        int first = track.chunks.chunkOfSample(cut.firstSample());
        int last = cut.endSample() > cut.firstSample() ? track.chunks.chunkOfSample(cut.endSample() - 1) : first;
        ChunkPieces pieces = new ChunkPieces(track, first, last - first + 1, cut.firstSample(), cut.endSample());
        // Parsing checked that every whole chunk lies inside the file, and pieces are parts of chunks; this
        // re-check is a cheap guard on the arithmetic, not per chunk.
        for (int i : new int[] {0, pieces.count - 1}) {
            long offset = pieces.offset(i);
            long length = pieces.length(i);
            if (offset < 0 || length < 0 || offset > fileSize - length) {
                throw Mp4Problems.malformed("track " + track.trackId + " chunk " + (first + i + 1)
                        + " lies outside the file");
            }
        }
        return pieces;
    }

    /** All chunks of a track unchanged (for relocating a moov). */
    static ChunkPieces whole(Track track) {
        return new ChunkPieces(track, 0, track.chunks.chunkCount(), 0, track.sampleCount());
    }

    int count() {
        return count;
    }

    /** Source chunk number of piece {@code i} (0-based). */
    int chunk(int i) {
        return firstChunk + i;
    }

    /** Whether the pieces' offsets never decrease (then they need no sorting). */
    boolean sorted() {
        return chunks.offsetsIncreasing() && (count < 2 || offset(0) <= offset(1));
    }

    long offset(int i) {
        int c = firstChunk + i;
        long chunkStart = chunks.chunkFirstSample(c);
        return chunks.chunkOffset(c) + (i == 0 ? sizes.sum(chunkStart, Math.max(chunkStart, firstSample)) : 0);
    }

    long length(int i) {
        int c = firstChunk + i;
        return sizes.sum(from(c), until(c));
    }

    long samples(int i) {
        int c = firstChunk + i;
        return until(c) - from(c);
    }

    /**
     * The pieces as ranges in file order, each covering pieces that the track alone already merges (no gap wider
     * than {@link DataLayout#MERGE_GAP} inside): one range for an interleaved track. Only when {@link #sorted()}.
     */
    Ranges ranges() {
        return new Ranges();
    }

    /** A cursor over {@link #ranges()}: {@link #start()}/{@link #end()} of the current range, then next. */
    final class Ranges {
        private int first;
        private int gap = chunks.firstBigGapAtOrAfter(firstChunk);
        private long start;
        private long end;

        /** Moves to the next range; false when there is none. */
        boolean next() {
            if (first >= count) {
                return false;
            }
            int last = Math.min(count - 1, chunks.bigGap(gap) - firstChunk);
            gap++;
            start = offset(first);
            end = offset(last) + length(last);
            first = last + 1;
            return true;
        }

        long start() {
            return start;
        }

        long end() {
            return end;
        }
    }

    ChunkTable chunks() {
        return chunks;
    }

    private long from(int chunk) {
        return Math.max(firstSample, chunks.chunkFirstSample(chunk));
    }

    private long until(int chunk) {
        return Math.min(endSample, chunks.chunkFirstSample(chunk + 1));
    }
}
