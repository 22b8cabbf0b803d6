package dev.vod.internal.mp4;

import java.util.Arrays;
import java.util.List;

/**
 * Where the samples of one fragment go in its {@code mdat}, chosen so that the mdat is as few file slices as
 * possible: the samples' file ranges are merged, across tracks, wherever the bytes between them are few (at most
 * {@link #MAX_GAP} at a time and a quarter of the samples' bytes in all), and the mdat is those ranges in file
 * order. Skipped bytes are never referenced by a sample (ISO/IEC 14496-12 allows unreferenced mdat bytes).
 *
 * <p>Why: muxers interleave audio and video packet by packet (ffmpeg alternates about every 40 ms), so "all the
 * video, then all the audio" would be ~300 slices — 300 sendfile calls — per 6 s segment, where one range of
 * the file holds them all in order. Each track's samples then take one {@code trun} per run of samples that are
 * adjacent in the mdat (one trun for a muxed segment of an interleaved file; the bytes of the other track in
 * between split a single-track segment's runs).
 */
final class FragmentLayout {
    /** Largest run of unreferenced bytes taken into one slice: about one audio packet or a small video frame. */
    static final long MAX_GAP = 4096;
    /** Most samples in one fragment (a 60 s GOP of 240 fps video with audio is far below). */
    static final int MAX_SAMPLES = 1 << 20;

    final List<FragmentWriter.Run> runs;
    final long[][] offsets;
    final long[][] sizes;
    final long[][] durations;
    final int[][] compositionOffsets;
    final boolean[][] syncs;
    /** Per run: the sample indexes where a new trun begins, then the sample count. */
    final int[][] truns;
    /** The slices: file start, file end, and where each starts in the mdat payload. */
    final long[] sliceStart;
    final long[] sliceEnd;
    final long[] sliceMdat;
    final int slices;
    final long payload;

    private FragmentLayout(List<FragmentWriter.Run> runs, int total) {
        this.runs = runs;
        int n = runs.size();
        offsets = new long[n][];
        sizes = new long[n][];
        durations = new long[n][];
        compositionOffsets = new int[n][];
        syncs = new boolean[n][];
        truns = new int[n][];
        for (int r = 0; r < n; r++) {
            FragmentWriter.Run run = runs.get(r);
            int count = (int) run.count();
            long[] o = offsets[r] = new long[count];
            long[] s = sizes[r] = new long[count];
            long[] d = durations[r] = new long[count];
            int[] c = compositionOffsets[r] = new int[count];
            boolean[] k = syncs[r] = new boolean[count];
            int[] i = {0};
            run.samples().visit(run.from(), run.to(), (offset, size, duration, cto, sync) -> {
                o[i[0]] = offset;
                s[i[0]] = size;
                d[i[0]] = duration;
                c[i[0]] = cto;
                k[i[0]] = sync;
                i[0]++;
            });
        }
        // Merge the samples' file ranges, in file order.
        // Sort keys: the file offset in the high bits, the sample's index among all of the fragment in the low 20.
        long[] keys = new long[total];
        long[] flatSizes = new long[total];
        long[] flatOffsets = new long[total];
        int at = 0;
        long useful = 0;
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < offsets[r].length; i++, at++) {
                keys[at] = offsets[r][i] << 20 | at;
                flatSizes[at] = sizes[r][i];
                flatOffsets[at] = offsets[r][i];
                useful += sizes[r][i];
            }
        }
        if (!ascendingPerRun(offsets)) {
            Arrays.sort(keys);
        } else if (n > 1) {
            keys = merge(keys, offsets);
        }
        long[] starts = new long[Math.max(1, total)];
        long[] ends = new long[Math.max(1, total)];
        int count = 0;
        long junk = 0;
        long junkBudget = useful / 4;
        for (long key : keys) {
            int sample = (int) (key & ((1 << 20) - 1));
            long start = flatOffsets[sample];
            long end = start + flatSizes[sample];
            if (count > 0) {
                long gap = start - ends[count - 1];
                if (gap <= 0 || (gap <= MAX_GAP && junk + gap <= junkBudget)) {
                    junk += Math.max(0, gap);
                    ends[count - 1] = Math.max(ends[count - 1], end);
                    continue;
                }
            }
            starts[count] = start;
            ends[count++] = end;
        }
        slices = count;
        sliceStart = starts;
        sliceEnd = ends;
        sliceMdat = new long[Math.max(1, count)];
        long position = 0;
        for (int i = 0; i < count; i++) {
            sliceMdat[i] = position;
            position += ends[i] - starts[i];
        }
        payload = position;
        for (int r = 0; r < n; r++) {
            int[] splits = new int[offsets[r].length + 1];
            int runsOf = 0;
            long expected = -1;
            for (int i = 0; i < offsets[r].length; i++) {
                long p = mdatPosition(offsets[r][i]);
                if (p != expected) {
                    splits[runsOf++] = i;
                }
                expected = p + sizes[r][i];
            }
            splits[runsOf++] = offsets[r].length;
            truns[r] = Arrays.copyOf(splits, runsOf);
        }
    }

    /** Whether each track's samples lie in increasing file order (the usual case: then a merge replaces a sort). */
    private static boolean ascendingPerRun(long[][] offsets) {
        for (long[] o : offsets) {
            for (int i = 1; i < o.length; i++) {
                if (o[i] < o[i - 1]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The keys (laid out run after run, each run ascending) merged into one ascending order. */
    private static long[] merge(long[] keys, long[][] offsets) {
        long[] merged = Arrays.copyOf(keys, offsets[0].length);
        int start = offsets[0].length;
        for (int r = 1; r < offsets.length; r++) {
            int length = offsets[r].length;
            long[] out = new long[merged.length + length];
            int a = 0;
            int b = start;
            int end = start + length;
            int o = 0;
            while (a < merged.length && b < end) {
                out[o++] = merged[a] <= keys[b] ? merged[a++] : keys[b++];
            }
            while (a < merged.length) {
                out[o++] = merged[a++];
            }
            while (b < end) {
                out[o++] = keys[b++];
            }
            merged = out;
            start = end;
        }
        return merged;
    }

    static FragmentLayout plan(List<FragmentWriter.Run> runs) {
        long total = 0;
        for (FragmentWriter.Run run : runs) {
            total += run.count();
        }
        if (total > MAX_SAMPLES) {
            throw Mp4Problems.malformed("a segment of " + total + " samples (a key frame interval far too long)");
        }
        return new FragmentLayout(runs, (int) total);
    }

    /** Position in the mdat payload of the sample at file offset {@code offset}. */
    long mdatPosition(long offset) {
        int lo = 0;
        int hi = slices - 1;
        while (lo < hi) { // last slice starting at or before offset
            int mid = (lo + hi + 1) >>> 1;
            if (sliceStart[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return sliceMdat[lo] + (offset - sliceStart[lo]);
    }

    /** Number of truns of run {@code r}. */
    int trunCount(int r) {
        return truns[r].length - 1;
    }
}
