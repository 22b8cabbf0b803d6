package dev.vod.internal.mp4;

import java.nio.ByteBuffer;

/**
 * A run-length table of {@code (sample_count, value)} pairs read in place from a moov buffer: {@code stts}
 * (value = duration), {@code ctts} (value = composition offset) and {@code sbgp} (value = group index).
 *
 * <p>The entries stay in the buffer; only the index of each run's first sample (and, for durations, each run's
 * first decode time) is computed, so lookups by sample number are a binary search over runs.
 */
final class Runs {
    private final ByteBuffer buffer;
    private final int entriesAt;
    private final int entrySize;
    private final int runs;
    private final long[] firstSample;
    private final long[] firstTime;
    private final int minSignedValue;
    /** No empty run and no two neighbours with equal values: a clipped copy needs no merging, only its ends. */
    private final boolean canonical;
    /** The entries as blocks seek outputs share (used when canonical). */
    private final SharedBlocks shared;

    /**
     * @param entriesAt  absolute buffer index of the first entry
     * @param entrySize  bytes per entry (8; the pair is the first 8 bytes)
     * @param withTime   whether to accumulate {@code count * value} as decode times ({@code stts})
     */
    Runs(ByteBuffer buffer, int entriesAt, int entrySize, int runs, boolean withTime, String name) {
        this.buffer = buffer;
        this.entriesAt = entriesAt;
        this.entrySize = entrySize;
        this.runs = runs;
        this.firstSample = new long[runs + 1];
        this.firstTime = withTime ? new long[runs + 1] : null;
        int min = 0;
        for (int i = 0; i < runs; i++) {
            min = Math.min(min, signedValue(i));
        }
        this.minSignedValue = min;
        boolean plain = entrySize == 8;
        for (int i = 0; i < runs && plain; i++) {
            plain = count(i) > 0 && (i == 0 || signedValue(i) != signedValue(i - 1));
        }
        this.canonical = plain;
        this.shared = new SharedBlocks(buffer, entriesAt, runs * entrySize);
        try {
            for (int i = 0; i < runs; i++) {
                firstSample[i + 1] = Math.addExact(firstSample[i], count(i));
                if (withTime) {
                    firstTime[i + 1] = Math.addExact(firstTime[i], Math.multiplyExact(count(i), unsignedValue(i)));
                }
            }
        } catch (ArithmeticException e) {
            throw Mp4Problems.malformed(name + " totals overflow");
        }
    }

    /** Memory the shared blocks can take, for the cache's budget. */
    long sharedBytes() {
        return shared.maxBytes();
    }

    int runCount() {
        return runs;
    }

    long count(int run) {
        return buffer.getInt(entriesAt + run * entrySize) & 0xffffffffL;
    }

    long unsignedValue(int run) {
        return buffer.getInt(entriesAt + run * entrySize + 4) & 0xffffffffL;
    }

    /** The value as a signed 32-bit number (composition offsets may be negative, even in version-0 boxes). */
    int signedValue(int run) {
        return buffer.getInt(entriesAt + run * entrySize + 4);
    }

    /** The smallest value read as signed, or 0 if all are non-negative. */
    int minSignedValue() {
        return minSignedValue;
    }

    long firstSample(int run) {
        return firstSample[run];
    }

    /** Total number of samples the table covers. */
    long sampleCount() {
        return firstSample[runs];
    }

    /** Sum of {@code count * value}: the total duration for {@code stts}. */
    long totalTime() {
        return firstTime[runs];
    }

    long firstTime(int run) {
        return firstTime[run];
    }

    /** The run holding {@code sample} (0-based); {@code sample} must be below {@link #sampleCount()}. */
    int runOf(long sample) {
        int lo = 0;
        int hi = runs - 1;
        while (lo < hi) { // last run whose first sample is <= sample
            int mid = (lo + hi + 1) >>> 1;
            if (firstSample[mid] <= sample) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The last run whose first decode time is {@code <= time} and that holds samples. */
    int runAtTime(long time) {
        int lo = 0;
        int hi = runs - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (firstTime[mid] <= time && firstSample[mid] < firstSample[runs]) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        while (lo > 0 && count(lo) == 0) {
            lo--;
        }
        return lo;
    }

    /**
     * Writes the runs restricted to samples {@code [from, to)} as {@code (count, value)} entries, as
     * {@link #forEachRun} would give them, and returns how many: the runs between the first and the last are
     * copied from the moov in one piece when the table is canonical (the usual case).
     */
    int writeRuns(BoxWriter out, long from, long until) {
        long to = Math.min(until, sampleCount()); // a ctts may cover fewer samples than the track
        if (from >= to) {
            return 0;
        }
        if (!canonical) {
            int[] written = {0};
            forEachRun(from, to, (count, value) -> {
                out.writeUnsignedInt(count);
                out.writeInt(value);
                written[0]++;
            });
            return written[0];
        }
        int first = runOf(from);
        int last = runOf(to - 1);
        if (first == last) {
            out.writeUnsignedInt(to - from);
            out.writeInt(signedValue(first));
            return 1;
        }
        out.writeUnsignedInt(firstSample[first + 1] - from);
        out.writeInt(signedValue(first));
        shared.writeTo(out, (long) (first + 1) * entrySize, (long) last * entrySize);
        out.writeUnsignedInt(to - firstSample[last]);
        out.writeInt(signedValue(last));
        return last - first + 1;
    }

    /** Receives the clipped runs of {@link #forEachRun(long, long, RunSink)}. */
    interface RunSink {
        void run(long count, int value);
    }

    /** The runs restricted to samples {@code [from, to)}, merging neighbours with equal values. */
    void forEachRun(long from, long to, RunSink sink) {
        if (from >= to) {
            return;
        }
        long pendingCount = 0;
        int pendingValue = 0;
        for (int run = runOf(from); run < runs && firstSample[run] < to; run++) {
            long count = Math.min(to, firstSample[run + 1]) - Math.max(from, firstSample[run]);
            if (count <= 0) {
                continue;
            }
            int value = buffer.getInt(entriesAt + run * entrySize + 4);
            if (pendingCount > 0 && value == pendingValue && pendingCount + count <= 0xffffffffL) {
                pendingCount += count;
            } else {
                if (pendingCount > 0) {
                    sink.run(pendingCount, pendingValue);
                }
                pendingCount = count;
                pendingValue = value;
            }
        }
        if (pendingCount > 0) {
            sink.run(pendingCount, pendingValue);
        }
    }
}
