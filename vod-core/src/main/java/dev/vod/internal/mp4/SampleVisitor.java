package dev.vod.internal.mp4;

/** Receives samples in decode order from {@link Mp4Media#samples}. */
@FunctionalInterface
public interface SampleVisitor {
    /**
     * @param offset            file offset of the sample's data
     * @param size              its size in bytes
     * @param duration          decode duration, in the track's timescale
     * @param compositionOffset presentation minus decode time, signed
     * @param sync              whether it is a key frame
     */
    void sample(long offset, long size, long duration, int compositionOffset, boolean sync);
}
