package dev.vod.internal.mp4;

import java.util.Arrays;

/**
 * The chunks a {@link TrackCut} keeps, as they will appear in the output's {@code stsc}/{@code stco}: the first
 * may start mid-chunk (its offset moves past the dropped samples) and the last may end early.
 */
final class ChunkPieces {
    private long[] offsets = new long[16];
    private long[] lengths = new long[16];
    private long[] samples = new long[16];
    private int[] descriptions = new int[16];
    private int count;

    /** The pieces of {@code cut}, each checked to lie inside a file of {@code fileSize} bytes. */
    static ChunkPieces of(TrackCut cut, long fileSize) {
        Track track = cut.track();
        ChunkPieces pieces = new ChunkPieces();
        ChunkTable.Cursor chunk = track.chunks.chunkOf(cut.firstSample());
        long sample = cut.firstSample();
        while (true) {
            long chunkEnd = Math.min(chunk.firstSample() + chunk.samples(), cut.endSample());
            long offset = chunk.offset() + track.sizes.sum(chunk.firstSample(), sample);
            long length = track.sizes.sum(sample, chunkEnd);
            if (chunk.offset() < 0 || offset < 0 || length < 0 || offset > fileSize - length) {
                throw Mp4Problems.malformed("track " + track.trackId + " chunk " + (chunk.chunk() + 1)
                        + " lies outside the file");
            }
            pieces.add(offset, length, chunkEnd - sample, chunk.descriptionIndex());
            sample = chunkEnd;
            if (sample >= cut.endSample() || !chunk.next()) {
                break;
            }
        }
        return pieces;
    }

    /** All chunks of a track unchanged (for relocating a moov). */
    static ChunkPieces whole(Track track) {
        ChunkPieces pieces = new ChunkPieces();
        if (track.chunks.chunkCount() == 0) {
            return pieces;
        }
        ChunkTable.Cursor chunk = track.chunks.chunkOf(0);
        do {
            pieces.add(chunk.offset(), 0, chunk.samples(), chunk.descriptionIndex());
        } while (chunk.next());
        return pieces;
    }

    private void add(long offset, long length, long sampleCount, int description) {
        if (count == offsets.length) {
            int grown = count * 2;
            offsets = Arrays.copyOf(offsets, grown);
            lengths = Arrays.copyOf(lengths, grown);
            samples = Arrays.copyOf(samples, grown);
            descriptions = Arrays.copyOf(descriptions, grown);
        }
        offsets[count] = offset;
        lengths[count] = length;
        samples[count] = sampleCount;
        descriptions[count] = description;
        count++;
    }

    int count() {
        return count;
    }

    long offset(int i) {
        return offsets[i];
    }

    long length(int i) {
        return lengths[i];
    }

    long samples(int i) {
        return samples[i];
    }

    int description(int i) {
        return descriptions[i];
    }
}
