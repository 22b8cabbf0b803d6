package dev.vod.internal.throttle;

/** A monotonic clock in nanoseconds; tests pass a manual one so rate arithmetic is checked without sleeping. */
@FunctionalInterface
public interface NanoClock {
    /** {@link System#nanoTime()}. */
    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
