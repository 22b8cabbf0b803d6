package dev.vod.internal.mp4;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a fragmented MP4 can be entered: the start time and file offset of each fragment (or group of
 * fragments) that begins with the reference track, and where the fragment data ends.
 *
 * <p>Sources, cheapest first: the {@code tfra} of an {@code mfra} box, a {@code sidx} covering the whole file,
 * else reading each top-level {@code moof} (a small read per fragment) for its {@code tfdt}, or the sum of
 * its {@code trun} durations when it has none. Index entries must point at real top-level moof boxes; an index
 * that does not is ignored in favour of the next source.
 *
 * <p>Times are decode times of the reference track (the first video track, else the first track), so a
 * fragment starting with the key frame at 4 s has time 4 s even when B-frames delay its presentation (to
 * 4.08 s in the sample files, which have no edit list). Index tables, which hold presentation times, are
 * shifted onto that timeline by the first fragment's difference.
 */
final class FragmentIndex {
    /** A moof larger than this is not read (fragments of typical files are a few KiB). */
    static final int MAX_MOOF_BYTES = 16 * 1024 * 1024;

    private final long timescale;
    private final long[] times;
    private final long[] offsets;
    private final long dataEnd;
    private final long endTime;

    FragmentIndex(long timescale, long[] times, long[] offsets, long dataEnd, long endTime) {
        this.timescale = timescale;
        this.times = times;
        this.offsets = offsets;
        this.dataEnd = dataEnd;
        this.endTime = endTime;
    }

    /** Builds the index of a file whose moov has an mvex. */
    static FragmentIndex build(FileChannel channel, List<BoxHeader> topLevel, Movie movie) {
        Track reference = movie.referenceTrack() != null ? movie.referenceTrack()
                : movie.tracks().isEmpty() ? null : movie.tracks().get(0);
        if (reference == null) {
            throw Mp4Problems.malformed("fragmented file without tracks");
        }
        long[] moofs = topLevel.stream().filter(b -> b.type() == BoxTypes.MOOF).mapToLong(BoxHeader::offset).toArray();
        if (moofs.length == 0) {
            throw Mp4Problems.malformed("fragmented file without moof boxes");
        }
        long dataEnd = 0;
        for (BoxHeader b : topLevel) {
            if ((b.type() == BoxTypes.MOOF || b.type() == BoxTypes.MDAT) && b.offset() >= moofs[0]) {
                dataEnd = b.end();
            }
        }
        long trexDuration = trexDefaultDuration(movie, reference.trackId);
        FragmentIndex index = FragmentTables.fromTfra(channel, topLevel, moofs, reference, dataEnd);
        if (index == null) {
            index = FragmentTables.fromSidx(channel, topLevel, moofs, dataEnd);
        }
        if (index == null) {
            return scanMoofs(channel, topLevel, reference, trexDuration, dataEnd);
        }
        // tfra and sidx hold presentation times; bring them to the decode timeline of the moof scan (tfdt) with
        // the first fragment's difference, constant for the usual fixed B-frame delay.
        MoofParser.TrackRun first = runAt(channel, topLevel, index.offsets[0], reference, trexDuration);
        long shift = first == null || first.decodeTime() < 0 ? 0
                : index.times[0] - Timescales.rescale(first.decodeTime(), reference.timescale, index.timescale);
        long[] times = index.times.clone();
        for (int i = 0; i < times.length; i++) {
            times[i] = Math.max(0, times[i] - shift);
        }
        long end = index.endTime >= 0 ? Math.max(0, index.endTime - shift) : -1;
        if (end < 0) { // tfra gives starts only: the end comes from the last fragment
            MoofParser.TrackRun last = runAt(channel, topLevel, moofs[moofs.length - 1], reference, trexDuration);
            if (last != null && last.decodeTime() >= 0) {
                end = Timescales.rescale(last.decodeTime() + last.duration(), reference.timescale, index.timescale);
            }
        }
        return new FragmentIndex(index.timescale, times, index.offsets, dataEnd, end);
    }

    private static FragmentIndex scanMoofs(FileChannel channel, List<BoxHeader> topLevel, Track reference,
                                           long trexDuration, long dataEnd) {
        List<long[]> units = new ArrayList<>();
        long running = 0;
        for (BoxHeader box : topLevel) {
            if (box.type() != BoxTypes.MOOF) {
                continue;
            }
            MoofParser.TrackRun run = MoofParser.track(read(channel, box), reference.trackId, trexDuration);
            if (run == null) {
                continue;
            }
            long start = run.decodeTime() >= 0 ? run.decodeTime() : running;
            units.add(new long[] {start, box.offset()});
            running = Math.addExact(start, run.duration());
        }
        if (units.isEmpty()) {
            throw Mp4Problems.malformed("no fragment holds track " + reference.trackId);
        }
        long[] times = new long[units.size()];
        long[] offsets = new long[units.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = units.get(i)[0];
            offsets[i] = units.get(i)[1];
            if (i > 0 && times[i] < times[i - 1]) {
                throw Mp4Problems.malformed("fragment times go backwards");
            }
        }
        return new FragmentIndex(reference.timescale, times, offsets, dataEnd, running);
    }

    /** The reference track's run in the moof at {@code offset}, or null. */
    private static MoofParser.TrackRun runAt(FileChannel channel, List<BoxHeader> topLevel, long offset,
                                             Track reference, long trexDuration) {
        for (BoxHeader box : topLevel) {
            if (box.offset() == offset && box.type() == BoxTypes.MOOF) {
                return MoofParser.track(read(channel, box), reference.trackId, trexDuration);
            }
        }
        return null;
    }

    private static long trexDefaultDuration(Movie movie, int trackId) {
        ByteBuffer buffer = movie.buffer();
        BoxHeader mvex = BoxReader.find(movie.children(), BoxTypes.MVEX);
        if (mvex != null) {
            for (BoxHeader trex : BoxReader.children(buffer, mvex)) {
                if (trex.type() == BoxTypes.TREX && trex.payloadSize() >= 24
                        && buffer.getInt((int) trex.payloadOffset() + 4) == trackId) {
                    return buffer.getInt((int) trex.payloadOffset() + 12) & 0xffffffffL;
                }
            }
        }
        return 0;
    }

    static ByteBuffer read(FileChannel channel, BoxHeader box) {
        if (box.size() > MAX_MOOF_BYTES) {
            throw Mp4Problems.malformed(box.name() + " of " + box.size() + " bytes is too large");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) box.size());
        BoxReader.readFully(channel, bytes, box.offset());
        return bytes.flip();
    }

    /** Timescale of {@link #time(int)} and {@link #endTime()}. */
    long timescale() {
        return timescale;
    }

    int size() {
        return times.length;
    }

    long time(int unit) {
        return times[unit];
    }

    long offset(int unit) {
        return offsets[unit];
    }

    /** End (exclusive) of a unit's bytes: the next unit's first moof, or the end of the fragment data. */
    long end(int unit) {
        return unit + 1 < offsets.length ? offsets[unit + 1] : dataEnd;
    }

    /** End of the reference track's last fragment, or -1 when unknown. */
    long endTime() {
        return endTime;
    }

    /** The last unit starting at or before {@code time} (the first unit when all start after it). */
    int unitAt(long time) {
        int i = Arrays.binarySearch(times, time);
        if (i < 0) {
            i = -i - 2;
        } else {
            while (i + 1 < times.length && times[i + 1] == time) {
                i++;
            }
        }
        return Math.max(0, i);
    }
}
