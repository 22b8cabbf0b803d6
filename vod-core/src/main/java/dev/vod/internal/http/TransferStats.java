package dev.vod.internal.http;

/**
 * What one response transfer did, for the access log and metrics: body bytes that reached the socket and when
 * the head did. Touched only on the channel's event loop, so plain fields suffice.
 */
final class TransferStats {
    final long startNanos = System.nanoTime();
    long firstByteNanos = -1;
    long bytesSent;

    void headSent() {
        if (firstByteNanos < 0) {
            firstByteNanos = System.nanoTime();
        }
    }

    void sent(long bytes) {
        bytesSent += bytes;
    }
}
