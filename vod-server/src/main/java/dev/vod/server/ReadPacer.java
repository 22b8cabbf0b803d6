package dev.vod.server;

/**
 * Limits how fast the fetch client reads a response body: after each chunk it sleeps until the bytes read since
 * {@link #restart()} fit the rate. The bucket holds no burst allowance, so {@code n} bytes never take less than
 * {@code n / rate} seconds; a slow reader lets TCP flow control push back on the server.
 *
 * <p>Chunks are capped at a twentieth of a second's worth of bytes, so a pause or stop command is noticed
 * within about 50 ms even at low rates.
 */
final class ReadPacer {
    private static final int MAX_CHUNK = 64 * 1024;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long bytesPerSecond;
    private long windowStart;
    private long bytesInWindow;

    /** A pacer for {@code bytesPerSecond}; 0 means no limit. */
    ReadPacer(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        restart();
    }

    /** Starts a new window, e.g. for a new request after a pause: time spent paused earns no credit. */
    void restart() {
        windowStart = System.nanoTime();
        bytesInWindow = 0;
    }

    /** How many bytes to read next at most. */
    int chunkSize() {
        if (bytesPerSecond == 0) {
            return MAX_CHUNK;
        }
        return (int) Math.max(1, Math.min(MAX_CHUNK, bytesPerSecond / 20));
    }

    /** Records {@code bytes} just read and sleeps until they are due at the configured rate. */
    void consumed(int bytes) throws InterruptedException {
        if (bytesPerSecond == 0) {
            return;
        }
        bytesInWindow += bytes;
        long due = windowStart + (long) (bytesInWindow * (double) NANOS_PER_SECOND / bytesPerSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
