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
    public long offset(long sample) {
        ChunkTable.Cursor chunk = track.chunks.chunkOf(sample);
        return chunk.offset() + track.sizes.sum(chunk.firstSample(), sample);
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
        // Cursors over the run tables, advanced sample by sample instead of searched for each one.
        Runs durations = track.times.runs();
        int run = durations.runOf(from);
        Runs offsets = track.compositionOffsets;
        int ctsRun = offsets == null || from >= offsets.sampleCount() ? -1 : offsets.runOf(from);
        SyncSamples syncSamples = track.syncSamples;
        int syncIndex = syncSamples == null ? 0 : syncSamples.firstIndexAtOrAfter(from);
        long nextSync = syncSamples == null || syncIndex >= syncSamples.count() ? -1 : syncSamples.sample(syncIndex);
        for (long s = from; s < to; s++) {
            if (s >= chunk.firstSample() + chunk.samples()) {
                chunk.next();
                offset = chunk.offset();
            }
            while (s >= durations.firstSample(run + 1)) {
                run++;
            }
            int cto = 0;
            if (ctsRun >= 0) {
                while (ctsRun < offsets.runCount() - 1 && s >= offsets.firstSample(ctsRun + 1)) {
                    ctsRun++;
                }
                cto = s < offsets.sampleCount() ? offsets.signedValue(ctsRun) : 0;
            }
            boolean sync = syncSamples == null;
            if (s == nextSync) {
                sync = true;
                syncIndex++;
                nextSync = syncIndex < syncSamples.count() ? syncSamples.sample(syncIndex) : -1;
            }
            long size = track.sizes.size(s);
            visitor.sample(offset, size, durations.unsignedValue(run), cto, sync);
            offset += size;
        }
    }
}
