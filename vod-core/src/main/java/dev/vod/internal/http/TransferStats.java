package dev.vod.internal.http;

import dev.vod.internal.metrics.VodMetrics;
import dev.vod.internal.throttle.TransferRate;

/**
 * What one response transfer did, for the access log and metrics: body bytes that reached the socket and when
 * the head did. Touched only on the channel's event loop, so plain fields suffice.
 */
final class TransferStats {
    final long startNanos = System.nanoTime();
    private final VodMetrics metrics;
    long firstByteNanos = -1;
    long bytesSent;
    /** The per-response rate limit, {@link TransferRate#NONE} when unlimited. */
    TransferRate rate = TransferRate.NONE;
    /** The server-wide cap in force, 0 for none. */
    long globalCap;

    TransferStats(VodMetrics metrics) {
        this.metrics = metrics;
    }

    void headSent() {
        if (firstByteNanos < 0) {
            firstByteNanos = System.nanoTime();
        }
    }

    void sent(long bytes) {
        bytesSent += bytes;
        metrics.bytesSent(bytes);
    }
}
