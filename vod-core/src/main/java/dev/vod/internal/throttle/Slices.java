package dev.vod.internal.throttle;

/**
 * How a paced body is cut: slices of about a twentieth of a second of the rate, so pacing is smooth while the
 * event loop wakes at most ~20 times a second per transfer (timer wake-ups, not bytes, are what pacing costs),
 * within [{@link #MIN}, {@link #MAX}].
 */
public final class Slices {
    /** Smallest slice: below this, per-slice overhead dominates. */
    public static final long MIN = 1024;
    /** Largest slice: bounds a single burst at line rate. */
    public static final long MAX = 1024 * 1024;

    private Slices() {
    }

    /** The slice size for a transfer whose tightest limit is {@code bytesPerSecond}. */
    public static long forRate(long bytesPerSecond) {
        return Math.max(MIN, Math.min(MAX, bytesPerSecond / 20));
    }
}
