package dev.vod.internal.mp4;

import java.nio.ByteBuffer;

/**
 * Where a track's samples are stored: chunk offsets ({@code stco}/{@code co64}) and how many samples each chunk
 * holds ({@code stsc} runs), read in place from the moov buffer.
 */
final class ChunkTable {
    private final ByteBuffer buffer;
    private final int stscEntriesAt;
    private volatile int[] offsets32;
    private volatile int[] stscInts;
    private final int offsetsAt;
    private final boolean wideOffsets;
    private final int chunkCount;
    /** Per stsc run: first chunk (0-based), samples per chunk, sample description index, first sample. */
    private final int[] runFirstChunk;
    private final long[] runSamplesPerChunk;
    private final int[] runDescription;
    private final long[] runFirstSample;
    /** First sample of each chunk, and the sample count at the end: a seek finds its chunks without walking. */
    private long[] chunkFirstSample;
    /** Whether chunk offsets never decrease, so the kept pieces of a seek come out already sorted. */
    private boolean offsetsIncreasing;
    private boolean runsDistinct;
    /** Chunks followed by more than {@link DataLayout#MERGE_GAP} before the next one, ascending; see bigGaps. */
    private int[] bigGaps;

    private ChunkTable(ByteBuffer buffer, int offsetsAt, boolean wideOffsets, int chunkCount, int runs,
                       int stscEntriesAt) {
        this.buffer = buffer;
        this.stscEntriesAt = stscEntriesAt;
        this.offsetsAt = offsetsAt;
        this.wideOffsets = wideOffsets;
        this.chunkCount = chunkCount;
        this.runFirstChunk = new int[runs];
        this.runSamplesPerChunk = new long[runs];
        this.runDescription = new int[runs];
        this.runFirstSample = new long[runs + 1];
    }

    /** Parses {@code stsc} and {@code stco}/{@code co64}, checking they describe exactly {@code sampleCount}. */
    static ChunkTable parse(ByteBuffer buffer, BoxHeader stsc, BoxHeader offsets, long sampleCount) {
        boolean wide = offsets.type() == BoxTypes.CO64;
        int offsetsAt = (int) offsets.payloadOffset();
        long chunkCount = offsets.payloadSize() < 8 ? -1 : buffer.getInt(offsetsAt + 4) & 0xffffffffL;
        if (chunkCount < 0 || chunkCount * (wide ? 8 : 4) > offsets.payloadSize() - 8) {
            throw Mp4Problems.malformed(offsets.name() + " declares more chunks than it holds");
        }
        int stscAt = (int) stsc.payloadOffset();
        long declaredRuns = stsc.payloadSize() < 8 ? -1 : buffer.getInt(stscAt + 4) & 0xffffffffL;
        if (declaredRuns < 0 || declaredRuns * 12 > stsc.payloadSize() - 8) {
            throw Mp4Problems.malformed("stsc declares more entries than it holds");
        }
        // Entries starting past the last chunk describe nothing; some muxers write them, so they are skipped.
        int runs = 0;
        while (runs < declaredRuns && (buffer.getInt(stscAt + 8 + runs * 12) & 0xffffffffL) <= chunkCount) {
            runs++;
        }
        ChunkTable table = new ChunkTable(buffer, offsetsAt + 8, wide, (int) chunkCount, runs, stscAt + 8);
        try {
            for (int r = 0; r < runs; r++) {
                int at = stscAt + 8 + r * 12;
                long firstChunk = (buffer.getInt(at) & 0xffffffffL) - 1;
                long perChunk = buffer.getInt(at + 4) & 0xffffffffL;
                if (r == 0 ? firstChunk != 0 : firstChunk <= table.runFirstChunk[r - 1]) {
                    throw Mp4Problems.malformed("stsc entries out of order");
                }
                if (perChunk == 0) {
                    throw Mp4Problems.malformed("stsc entry with 0 samples per chunk");
                }
                table.runFirstChunk[r] = (int) firstChunk;
                table.runSamplesPerChunk[r] = perChunk;
                table.runDescription[r] = buffer.getInt(at + 8);
            }
            for (int r = 0; r < runs; r++) {
                long chunks = table.runEndChunk(r) - table.runFirstChunk[r];
                table.runFirstSample[r + 1] = Math.addExact(table.runFirstSample[r],
                        Math.multiplyExact(chunks, table.runSamplesPerChunk[r]));
            }
        } catch (ArithmeticException e) {
            throw Mp4Problems.malformed("stsc sample totals overflow");
        }
        long described = table.runFirstSample[runs];
        if (described != sampleCount) {
            throw Mp4Problems.malformed("sample count mismatch: stsc/" + offsets.name() + " describe " + described
                    + " samples, stsz " + sampleCount);
        }
        table.indexChunks();
        return table;
    }

    private void indexChunks() {
        chunkFirstSample = new long[chunkCount + 1];
        int chunk = 0;
        for (int r = 0; r < runFirstChunk.length; r++) {
            long sample = runFirstSample[r];
            for (int end = runEndChunk(r); chunk < end; chunk++) {
                chunkFirstSample[chunk] = sample;
                sample += runSamplesPerChunk[r];
            }
        }
        chunkFirstSample[chunkCount] = runFirstSample[runFirstChunk.length];
        boolean increasing = true;
        for (int c = 1; c < chunkCount && increasing; c++) {
            increasing = chunkOffset(c) >= chunkOffset(c - 1);
        }
        offsetsIncreasing = increasing;
        boolean distinct = true;
        for (int r = 1; r < runFirstChunk.length && distinct; r++) {
            distinct = runSamplesPerChunk[r] != runSamplesPerChunk[r - 1] || runDescription[r] != runDescription[r - 1];
        }
        runsDistinct = distinct;
    }

    /** Fewest stsc runs {@link #writeRuns} leaves to be generated lazily rather than writing them. */
    private static final int LAZY_RUNS = 256;

    /** Whether no stsc run repeats the values of the one before it: kept runs then need no merging. */
    boolean runsDistinct() {
        return runsDistinct;
    }

    /**
     * Writes runs {@code [fromRun, toRun)} as stsc entries, their first chunks moved down by {@code chunkShift}
     * (when {@link #runsDistinct()}, the middle of a cut's stsc is exactly these): the source entries copied in
     * one piece, then each first chunk adjusted.
     */
    void writeRuns(BoxWriter out, int fromRun, int toRun, int chunkShift) {
        int count = toRun - fromRun;
        if (count >= LAZY_RUNS) { // a long film's stsc: produced only as far as a Range request reads it
            out.writeGenerated(12 * count,
                    new ShiftedIntsGenerator(stscInts(), 3 * fromRun, 3 * count, 3, -chunkShift));
        } else if (count > 0) {
            int at = out.length();
            out.skip(12 * count);
            out.patchIntsAdding(at, stscInts(), 3 * fromRun, 3 * count, 3, -chunkShift);
        }
    }

    /**
     * Writes the 32-bit offsets of chunks {@code [from, to)} (only for a {@code stco}) at {@code position}, each
     * plus {@code shift}, stopping at the first chunk at or past {@code limit} (offsets must be increasing);
     * returns how many were written.
     */
    int patchOffsets32(BoxWriter out, int position, int from, int to, long shift, long limit) {
        int below = chunksBelow(from, to, limit);
        out.patchIntsAdding(position, offsets32(), from, below, 1, (int) shift);
        return below;
    }

    /** How many chunks from {@code from} (before {@code to}) start before {@code limit}; offsets must increase. */
    int chunksBelow(int from, int to, long limit) {
        int lo = from;
        int hi = to;
        while (lo < hi) { // first chunk at or past the limit
            int mid = (lo + hi) >>> 1;
            if (chunkOffset(mid) < limit) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - from;
    }

    /** The stco entries as ints (see {@link #offsets32()}); callers must not modify the array. */
    int[] offsets32Table() {
        return offsets32();
    }

    /** The stsc entries (first chunk, samples per chunk, description) as ints, made on first use. */
    private int[] stscInts() {
        int[] entries = stscInts;
        if (entries == null) {
            entries = new int[3 * runFirstChunk.length];
            for (int i = 0; i < entries.length; i++) {
                entries[i] = buffer.getInt(stscEntriesAt + 4 * i);
            }
            stscInts = entries; // racing threads build equal arrays; either may be kept
        }
        return entries;
    }

    /**
     * The stco entries as ints (bit patterns of the unsigned offsets), made on first use and kept with the index:
     * adding a constant to an int array is a loop the JIT vectorises, which big-endian bytes are not.
     */
    private int[] offsets32() {
        int[] offsets = offsets32;
        if (offsets == null) {
            offsets = new int[chunkCount];
            for (int c = 0; c < chunkCount; c++) {
                offsets[c] = buffer.getInt(offsetsAt + 4 * c);
            }
            offsets32 = offsets; // racing threads build equal arrays; either may be kept
        }
        return offsets;
    }

    /**
     * Finds the chunks after which this track alone leaves a gap wider than {@code mergeGap} (only when offsets
     * never decrease). Between two such gaps the track's chunks merge into one range, which is what lets a seek
     * lay out its data per such run instead of per chunk.
     */
    void indexGaps(SampleSizes sizes, long mergeGap) {
        if (!offsetsIncreasing) {
            return;
        }
        int[] gaps = new int[16];
        int n = 0;
        for (int c = 0; c + 1 < chunkCount; c++) {
            long end = chunkOffset(c) + sizes.sum(chunkFirstSample[c], chunkFirstSample[c + 1]);
            if (chunkOffset(c + 1) - end > mergeGap) {
                if (n == gaps.length) {
                    gaps = java.util.Arrays.copyOf(gaps, n * 2);
                }
                gaps[n++] = c;
            }
        }
        bigGaps = java.util.Arrays.copyOf(gaps, n);
    }

    /**
     * Index into {@link #bigGap(int)} of the first gap after chunk {@code chunk} or later; null-safe only when
     * {@link #offsetsIncreasing()} (the gaps are indexed then).
     */
    int firstBigGapAtOrAfter(int chunk) {
        int i = java.util.Arrays.binarySearch(bigGaps, chunk);
        return i >= 0 ? i : -i - 1;
    }

    /** The chunk after which the {@code i}-th wide gap lies; {@link Integer#MAX_VALUE} past the last one. */
    int bigGap(int i) {
        return i < bigGaps.length ? bigGaps[i] : Integer.MAX_VALUE;
    }

    /** First sample of {@code chunk}; for {@code chunk == chunkCount()} the total sample count. */
    long chunkFirstSample(int chunk) {
        return chunkFirstSample[chunk];
    }

    /** The chunk holding {@code sample}. */
    int chunkOfSample(long sample) {
        int run = runOfSample(sample);
        return runFirstChunk[run] + (int) ((sample - runFirstSample[run]) / runSamplesPerChunk[run]);
    }

    boolean offsetsIncreasing() {
        return offsetsIncreasing;
    }

    /** The stsc run holding {@code chunk}. */
    int runOfChunk(int chunk) {
        int lo = 0;
        int hi = runFirstChunk.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (runFirstChunk[mid] <= chunk) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    int runFirstChunk(int run) {
        return runFirstChunk[run];
    }

    long runSamplesPerChunk(int run) {
        return runSamplesPerChunk[run];
    }

    int runDescription(int run) {
        return runDescription[run];
    }

    /** Memory held besides the moov buffer, for the cache's budget. */
    long indexBytes() {
        return chunkFirstSample.length * 8L + runFirstChunk.length * 40L + (wideOffsets ? 0 : chunkCount * 4L)
                + (bigGaps == null ? 0 : bigGaps.length * 4L);
    }

    ByteBuffer buffer() {
        return buffer;
    }

    /** Buffer index of {@code chunk}'s entry in the {@code stco}/{@code co64} table. */
    int offsetPosition(int chunk) {
        return offsetsAt + (wideOffsets ? 8 : 4) * chunk;
    }

    int chunkCount() {
        return chunkCount;
    }

    boolean wideOffsets() {
        return wideOffsets;
    }

    /** File offset of chunk {@code chunk} (0-based); negative if a co64 entry is absurd (caller rejects it). */
    long chunkOffset(int chunk) {
        return wideOffsets ? buffer.getLong(offsetsAt + 8 * chunk) : buffer.getInt(offsetsAt + 4 * chunk) & 0xffffffffL;
    }

    int runCount() {
        return runFirstChunk.length;
    }

    int runEndChunk(int run) {
        return run + 1 < runFirstChunk.length ? runFirstChunk[run + 1] : chunkCount;
    }

    /** The run holding {@code sample}. Every run holds samples: first chunks increase and are < chunkCount. */
    private int runOfSample(long sample) {
        int lo = 0;
        int hi = runFirstChunk.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (runFirstSample[mid] <= sample) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** A cursor on the chunk holding {@code sample}; advance it with {@link Cursor#next()}. */
    Cursor chunkOf(long sample) {
        int run = runOfSample(sample);
        long inRun = (sample - runFirstSample[run]) / runSamplesPerChunk[run];
        Cursor cursor = new Cursor();
        cursor.run = run;
        cursor.chunk = runFirstChunk[run] + (int) inRun;
        cursor.firstSample = runFirstSample[run] + inRun * runSamplesPerChunk[run];
        return cursor;
    }

    /** A position in the chunk sequence: chunk number, its first sample, sample count and description. */
    final class Cursor {
        private int run;
        private int chunk;
        private long firstSample;

        int chunk() {
            return chunk;
        }

        long firstSample() {
            return firstSample;
        }

        long samples() {
            return runSamplesPerChunk[run];
        }

        int descriptionIndex() {
            return runDescription[run];
        }

        long offset() {
            return chunkOffset(chunk);
        }

        /** Moves to the next chunk; false when this was the last one. */
        boolean next() {
            if (chunk + 1 >= chunkCount) {
                return false;
            }
            firstSample += runSamplesPerChunk[run];
            chunk++;
            while (run + 1 < runFirstChunk.length && runFirstChunk[run + 1] <= chunk) {
                run++;
            }
            return true;
        }
    }
}
