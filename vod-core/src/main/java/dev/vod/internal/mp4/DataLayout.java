package dev.vod.internal.mp4;

import dev.vod.internal.body.Segment;
import dev.vod.internal.body.SourceFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * Which byte ranges of the source file a seek output carries after its generated header, and where each source
 * offset lands in them.
 *
 * <p>The kept chunks of all tracks are merged into as few ranges as possible: ranges closer than {@link #MERGE_GAP}
 * are joined (sending a few unneeded bytes of an interleaved file is cheaper than another segment), so an
 * interleaved file gives one contiguous slice, like nginx, while a file that stores its tracks one after the
 * other gives one slice per track instead of nearly the whole file.
 */
final class DataLayout implements LongUnaryOperator {
    static final long MERGE_GAP = 256 * 1024;

    private final long[] sourceStarts;
    private final long[] lengths;
    private final long[] outputStarts;
    private final long totalLength;
    /** The range the last {@link #map} hit: offsets come in file order, so this usually answers at once. */
    private int hint;

    private DataLayout(long[] sourceStarts, long[] lengths) {
        this.sourceStarts = sourceStarts;
        this.lengths = lengths;
        this.outputStarts = new long[sourceStarts.length];
        long position = 0;
        for (int i = 0; i < sourceStarts.length; i++) {
            outputStarts[i] = position;
            position += lengths[i];
        }
        this.totalLength = position;
    }

    /** The merged ranges covering every piece. */
    static DataLayout of(List<ChunkPieces> tracks) {
        for (ChunkPieces p : tracks) {
            if (!p.sorted()) {
                return sorting(tracks);
            }
        }
        return merging(tracks);
    }

    /**
     * The usual case, each track's pieces already in file order: a k-way merge (k = tracks) of each track's
     * ranges (runs of pieces the track alone merges, see {@link ChunkPieces#ranges()}), joining as it goes. The
     * result is the same as merging piece by piece: joining depends only on the uncovered stretches wider than
     * the gap, and none lies inside a track's range; pieces with equal starts may come in any order.
     */
    private static DataLayout merging(List<ChunkPieces> tracks) {
        int k = tracks.size();
        ChunkPieces.Ranges[] ranges = new ChunkPieces.Ranges[k];
        boolean[] live = new boolean[k];
        for (int t = 0; t < k; t++) {
            ranges[t] = tracks.get(t).ranges();
            live[t] = ranges[t].next();
        }
        Ranges merged = new Ranges();
        while (true) {
            int t = -1;
            for (int u = 0; u < k; u++) {
                if (live[u] && (t < 0 || ranges[u].start() < ranges[t].start())) {
                    t = u;
                }
            }
            if (t < 0) {
                break;
            }
            merged.add(ranges[t].start(), ranges[t].end());
            live[t] = ranges[t].next();
        }
        return merged.layout();
    }

    /** Any order (a hostile or odd file): sort all pieces by start. */
    private static DataLayout sorting(List<ChunkPieces> tracks) {
        int total = 0;
        for (ChunkPieces p : tracks) {
            total += p.count();
        }
        long[][] ranges = new long[total][];
        int n = 0;
        for (ChunkPieces p : tracks) {
            for (int i = 0; i < p.count(); i++) {
                ranges[n++] = new long[] {p.offset(i), p.offset(i) + p.length(i)};
            }
        }
        Arrays.sort(ranges, (a, b) -> Long.compare(a[0], b[0]));
        Ranges merged = new Ranges();
        for (long[] r : ranges) {
            merged.add(r[0], r[1]);
        }
        return merged.layout();
    }

    /** Ranges added in order of start, each joined to the previous one when closer than {@link #MERGE_GAP}. */
    private static final class Ranges {
        private long[] starts = new long[4];
        private long[] ends = new long[4];
        private int count;

        void add(long start, long end) {
            if (count > 0 && start - ends[count - 1] <= MERGE_GAP) {
                ends[count - 1] = Math.max(ends[count - 1], end);
                return;
            }
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = start;
            ends[count] = end;
            count++;
        }

        DataLayout layout() {
            long[] lengths = new long[count];
            for (int i = 0; i < count; i++) {
                lengths[i] = ends[i] - starts[i];
            }
            return new DataLayout(Arrays.copyOf(starts, count), lengths);
        }
    }

    /** Total bytes of all ranges: the payload of the output's mdat. */
    long length() {
        return totalLength;
    }

    /** Position of source byte {@code offset} relative to the start of the ranges' output. */
    long map(long offset) {
        int i = hint;
        if (i >= sourceStarts.length || offset < sourceStarts[i]
                || i + 1 < sourceStarts.length && offset >= sourceStarts[i + 1]) {
            i = Arrays.binarySearch(sourceStarts, offset);
            if (i < 0) {
                i = -i - 2;
            }
            hint = Math.max(0, i);
        }
        if (i < 0 || offset > sourceStarts[i] + lengths[i]) {
            throw new IllegalStateException("offset " + offset + " is not in the layout");
        }
        return outputStarts[i] + offset - sourceStarts[i];
    }

    @Override
    public long applyAsLong(long offset) {
        return map(offset);
    }

    /** The range holding source byte {@code offset}. */
    int rangeOf(long offset) {
        map(offset); // checks the offset and leaves its range in the hint
        return hint;
    }

    /** What adds to a source offset in range {@code range} to give its position in the output's data. */
    long shift(int range) {
        return outputStarts[range] - sourceStarts[range];
    }

    /** Source start of the range after {@code range}, or {@link Long#MAX_VALUE} after the last. */
    long nextRangeStart(int range) {
        return range + 1 < sourceStarts.length ? sourceStarts[range + 1] : Long.MAX_VALUE;
    }

    /** The file slices, in output order. */
    List<Segment> slices(SourceFile file) {
        List<Segment> slices = new ArrayList<>(sourceStarts.length);
        for (int i = 0; i < sourceStarts.length; i++) {
            slices.add(new Segment.FileSlice(file, sourceStarts[i], lengths[i]));
        }
        return slices;
    }

    int rangeCount() {
        return sourceStarts.length;
    }
}
