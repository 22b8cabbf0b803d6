package dev.vod.internal.mp4;

/** Placeholder until the MP4 package lands: a parsed ?start/&end/&exact. */
public record SeekRequest(double start, double end, boolean exact) {
}
