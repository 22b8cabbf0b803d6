package dev.vod.internal.mp4;

/** {@link SampleView} over a progressive track's sample tables, read in place (no per-sample arrays). */
final class ProgressiveSamples implements SampleView {
    private final Track track;

    ProgressiveSamples(Track track) {
        this.track = track;
    }

    @Override
    public long count() {
        return track.sampleCount();
    }

    @Override
    public long decodeTime(long sample) {
        return track.times.decodeTime(sample);
    }

    @Override
    public int compositionOffset(long sample) {
        return (int) track.compositionOffset(sample);
    }

    @Override
    public long bytes(long from, long to) {
        return track.sizes.sum(from, to);
    }

    @Override
    public int syncCount() {
        return track.syncSamples == null ? (int) Math.min(Integer.MAX_VALUE, count()) : track.syncSamples.count();
    }

    @Override
    public long syncSample(int index) {
        return track.syncSamples == null ? index : track.syncSamples.sample(index);
    }

    @Override
    public long firstAtOrAfter(long time) {
        return track.times.firstSampleAtOrAfter(time);
    }

    @Override
    public void visit(long from, long to, Visitor visitor) {
        if (from >= to) {
            return;
        }
        ChunkTable.Cursor chunk = track.chunks.chunkOf(from);
        long offset = chunk.offset() + track.sizes.sum(chunk.firstSample(), from);
        Runs runs = track.times.runs();
        int run = runs.runOf(from);
        int syncIndex = track.syncSamples == null ? 0 : track.syncSamples.firstIndexAtOrAfter(from);
        for (long s = from; s < to; s++) {
            if (s >= chunk.firstSample() + chunk.samples()) {
                chunk.next();
                offset = chunk.offset();
            }
            while (s >= runs.firstSample(run + 1)) {
                run++;
            }
            boolean sync = true;
            if (track.syncSamples != null) {
                sync = syncIndex < track.syncSamples.count() && track.syncSamples.sample(syncIndex) == s;
                if (sync) {
                    syncIndex++;
                }
            }
            long size = track.sizes.size(s);
            visitor.sample(offset, size, runs.unsignedValue(run), compositionOffset(s), sync);
            offset += size;
        }
    }
}
