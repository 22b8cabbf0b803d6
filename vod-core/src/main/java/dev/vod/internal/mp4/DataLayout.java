package dev.vod.internal.mp4;

import dev.vod.internal.body.Segment;
import dev.vod.internal.body.SourceFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which byte ranges of the source file a seek output carries after its generated header, and where each source
 * offset lands in them.
 *
 * <p>The kept chunks of all tracks are merged into as few ranges as possible: ranges closer than {@link #MERGE_GAP}
 * are joined (sending a few unneeded bytes of an interleaved file is cheaper than another segment), so an
 * interleaved file gives one contiguous slice, like nginx, while a file that stores its tracks one after the
 * other gives one slice per track instead of nearly the whole file.
 */
final class DataLayout {
    static final long MERGE_GAP = 256 * 1024;

    private final long[] sourceStarts;
    private final long[] lengths;
    private final long[] outputStarts;
    private final long totalLength;

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
        List<long[]> merged = new ArrayList<>();
        for (long[] r : ranges) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r[0] - last[1] <= MERGE_GAP) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(new long[] {r[0], r[1]});
            }
        }
        long[] starts = new long[merged.size()];
        long[] lengths = new long[merged.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = merged.get(i)[0];
            lengths[i] = merged.get(i)[1] - merged.get(i)[0];
        }
        return new DataLayout(starts, lengths);
    }

    /** Total bytes of all ranges: the payload of the output's mdat. */
    long length() {
        return totalLength;
    }

    /** Position of source byte {@code offset} relative to the start of the ranges' output. */
    long map(long offset) {
        int i = Arrays.binarySearch(sourceStarts, offset);
        if (i < 0) {
            i = -i - 2;
        }
        if (i < 0 || offset > sourceStarts[i] + lengths[i]) {
            throw new IllegalStateException("offset " + offset + " is not in the layout");
        }
        return outputStarts[i] + offset - sourceStarts[i];
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
