package dev.vod.internal.throttle;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide bandwidth cap: one token bucket shared by every transfer, lock-free.
 *
 * <p>The bucket is kept as a single number, the (virtual) time at which it was last empty, in the style of the
 * generic cell rate algorithm: the tokens available at {@code now} are {@code (now - emptyAt) × rate}, capped at
 * {@code burst}. Taking tokens moves {@code emptyAt} forward with one compare-and-set, so concurrent transfers on
 * different event loops never block each other. Paced transfers {@link #reserve} one slice at a time: a
 * reservation moves {@code emptyAt} past the present and says how long to wait, so waiting transfers are served
 * in the order they asked — in turns of one slice each — instead of racing for tokens, which starves some.
 */
public final class GlobalBandwidth {
    private static final long NANOS = 1_000_000_000L;

    private final long bytesPerSecond;
    private final long burstNanos;
    private final AtomicLong emptyAt;
    private final NanoClock clock;

    /** A cap of {@code bytesPerSecond}, saving up at most 100 ms (or one smallest slice) of tokens while idle. */
    public GlobalBandwidth(long bytesPerSecond) {
        this(bytesPerSecond, NanoClock.SYSTEM);
    }

    GlobalBandwidth(long bytesPerSecond, NanoClock clock) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bytesPerSecond must be > 0");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.clock = clock;
        // Room for at least one smallest slice, so even a very low cap lets whole slices through.
        this.burstNanos = Math.max(NANOS / 10, nanosForBytes(Slices.MIN));
        this.emptyAt = new AtomicLong(clock.nanoTime() - burstNanos);
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /**
     * Takes {@code bytes} tokens if that many are available; all or nothing, so waiting transfers get whole
     * slices instead of crumbs.
     *
     * @return whether the bytes may be sent now
     */
    public boolean tryTake(long bytes) {
        while (true) {
            long now = clock.nanoTime();
            long last = emptyAt.get();
            long base = Math.max(last, now - burstNanos);
            if (bytesForNanos(now - base) < bytes) {
                return false;
            }
            if (emptyAt.compareAndSet(last, base + nanosForBytes(bytes))) {
                return true;
            }
        }
    }

    /**
     * Reserves {@code bytes} tokens, possibly ahead of time: the caller may send them after the returned delay.
     * Reservations are served in the order they are made, so transfers that each hold one reservation at a time
     * take turns — this, not racing for tokens, is what shares the cap evenly.
     *
     * @return nanoseconds to wait before sending, 0 when the tokens are there now
     */
    public long reserve(long bytes) {
        long cost = nanosForBytes(bytes);
        while (true) {
            long now = clock.nanoTime();
            long last = emptyAt.get();
            long base = Math.max(last, now - burstNanos);
            long readyAt = base + cost;
            if (emptyAt.compareAndSet(last, readyAt)) {
                return Math.max(0, readyAt - now);
            }
        }
    }

    /** Nanoseconds until {@code bytes} tokens will be available, if nobody else takes any. */
    public long nanosUntil(long bytes) {
        long now = clock.nanoTime();
        long base = Math.max(emptyAt.get(), now - burstNanos);
        return Math.max(0, base + nanosForBytes(bytes) - now);
    }

    private long bytesForNanos(long nanos) {
        // Doubles: nanos × rate can exceed a long; the rounding is far below one byte per slice.
        return nanos <= 0 ? 0 : (long) (nanos * (double) bytesPerSecond / NANOS);
    }

    private long nanosForBytes(long bytes) {
        return (long) Math.ceil(bytes * (double) NANOS / bytesPerSecond);
    }
}
