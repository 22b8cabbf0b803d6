package dev.vod.internal.mp4;

import java.nio.ByteBuffer;

/** The key frames of a track, from its {@code stss} box (a track without one has only key frames). */
final class SyncSamples {
    private final ByteBuffer buffer;
    private final int entriesAt;
    private final int count;

    private SyncSamples(ByteBuffer buffer, int entriesAt, int count) {
        this.buffer = buffer;
        this.entriesAt = entriesAt;
        this.count = count;
    }

    /** Parses and checks that entries are increasing sample numbers of this track. */
    static SyncSamples parse(ByteBuffer buffer, BoxHeader box, long sampleCount) {
        int at = (int) box.payloadOffset();
        if (box.payloadSize() < 8) {
            throw Mp4Problems.malformed("stss box too short");
        }
        long count = buffer.getInt(at + 4) & 0xffffffffL;
        if (count * 4 > box.payloadSize() - 8) {
            throw Mp4Problems.malformed("stss declares " + count + " entries but holds room for "
                    + (box.payloadSize() - 8) / 4);
        }
        SyncSamples sync = new SyncSamples(buffer, at + 8, (int) count);
        long previous = -1;
        for (int i = 0; i < sync.count; i++) {
            long sample = sync.sample(i);
            if (sample <= previous || sample >= sampleCount) {
                throw Mp4Problems.malformed("stss entry " + (sample + 1) + " out of order or past "
                        + sampleCount + " samples");
            }
            previous = sample;
        }
        return sync;
    }

    int count() {
        return count;
    }

    /** The {@code index}-th key frame as a 0-based sample number. */
    long sample(int index) {
        return (buffer.getInt(entriesAt + 4 * index) & 0xffffffffL) - 1;
    }

    /** Index of the first entry whose sample is {@code >= sample} ({@link #count()} when none). */
    int firstIndexAtOrAfter(long sample) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sample(mid) < sample) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    boolean isSync(long sample) {
        int i = firstIndexAtOrAfter(sample);
        return i < count && sample(i) == sample;
    }
}
