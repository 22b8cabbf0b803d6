package dev.vod.internal.throttle;

/**
 * The pace of one response, with nginx's {@code limit_rate_after} / {@code limit_rate} meaning: the first
 * {@code freeBytes} go at full speed, then the response is held to {@code bytesPerSecond}.
 *
 * <p>The paced phase starts when the free bytes are used up, so the rate measured after the burst is the
 * configured one (nginx averages from the start of the request instead, which lets the first paced seconds run
 * fast). Credit saved while the client was not reading is capped at one second of rate (at least one
 * slice), so a client that stalls cannot later take a long burst. Used on one event loop only: not thread-safe.
 */
public final class ResponseRate {
    private static final long NANOS = 1_000_000_000L;

    private final long bytesPerSecond;
    private final long freeBytes;
    private final NanoClock clock;
    private long sent;
    private long pacedSince = -1;
    private long pacedSent;

    /**
     * @param bytesPerSecond rate after the free bytes, &gt; 0
     * @param freeBytes      bytes sent at full speed first, &ge; 0
     */
    public ResponseRate(long bytesPerSecond, long freeBytes, NanoClock clock) {
        if (bytesPerSecond <= 0 || freeBytes < 0) {
            throw new IllegalArgumentException("rate " + bytesPerSecond + ", free " + freeBytes);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.freeBytes = freeBytes;
        this.clock = clock;
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** How many of the next {@code wanted} bytes may be sent now. */
    public long allowance(long wanted) {
        long free = freeBytes - sent;
        if (free > 0) {
            return Math.min(wanted, free);
        }
        return Math.max(0, Math.min(wanted, pacedCredit()));
    }

    /** Nanoseconds until {@code bytes} more may be sent. */
    public long nanosUntil(long bytes) {
        if (sent < freeBytes) {
            // A slice that starts in the free part goes now; its paced remainder is a debt paid by waiting later.
            return 0;
        }
        long credit = pacedCredit();
        return credit >= bytes ? 0 : (long) Math.ceil((bytes - credit) * (double) NANOS / bytesPerSecond);
    }

    /** Bytes earned in the paced phase and not yet sent; negative while a debt is being paid. */
    private long pacedCredit() {
        long now = clock.nanoTime();
        if (pacedSince < 0) {
            pacedSince = now;
        }
        long earned = (long) ((now - pacedSince) * (double) bytesPerSecond / NANOS);
        long credit = earned - pacedSent;
        long maxCredit = Math.max(bytesPerSecond, Slices.MIN);
        if (credit > maxCredit) {
            // Forget credit beyond one second: move the start of the paced phase forward instead.
            pacedSince += (long) ((credit - maxCredit) * (double) NANOS / bytesPerSecond);
            credit = maxCredit;
        }
        return credit;
    }

    /** Records {@code bytes} as sent. */
    public void sent(long bytes) {
        long free = Math.max(0, freeBytes - sent);
        sent += bytes;
        pacedSent += Math.max(0, bytes - free);
    }
}
