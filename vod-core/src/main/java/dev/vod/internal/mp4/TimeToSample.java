package dev.vod.internal.mp4;

/**
 * Decode times of a track's samples, from its {@code stts} box: sample number to decode time and back, in the
 * track's media timescale.
 */
final class TimeToSample {
    private final Runs runs;

    TimeToSample(Runs runs) {
        this.runs = runs;
    }

    Runs runs() {
        return runs;
    }

    long sampleCount() {
        return runs.sampleCount();
    }

    /** Sum of all sample durations. */
    long totalDuration() {
        return runs.totalTime();
    }

    /** Decode time of {@code sample}; for {@code sample == sampleCount()} the end of the last sample. */
    long decodeTime(long sample) {
        if (sample >= runs.sampleCount()) {
            return runs.totalTime();
        }
        int run = runs.runOf(sample);
        return runs.firstTime(run) + (sample - runs.firstSample(run)) * runs.unsignedValue(run);
    }

    long duration(long sample) {
        return runs.unsignedValue(runs.runOf(sample));
    }

    /**
     * The sample whose decode interval {@code [dts, dts + duration)} contains {@code time}: 0 for negative times,
     * {@link #sampleCount()} for times at or past the end.
     */
    long sampleAt(long time) {
        if (time < 0 || runs.sampleCount() == 0) {
            return 0;
        }
        if (time >= runs.totalTime()) {
            return runs.sampleCount();
        }
        int run = runs.runAtTime(time);
        long delta = runs.unsignedValue(run);
        long first = runs.firstSample(run);
        long last = runs.firstSample(run + 1) - 1;
        return delta == 0 ? first : Math.min(last, first + (time - runs.firstTime(run)) / delta);
    }

    /** The first sample whose decode time is {@code >= time} ({@link #sampleCount()} when none). */
    long firstSampleAtOrAfter(long time) {
        long sample = sampleAt(time);
        while (sample < runs.sampleCount() && decodeTime(sample) < time) {
            sample++;
        }
        return sample;
    }
}
