package dev.vod.internal.throttle;

/**
 * The per-response limit chosen for one transfer.
 *
 * @param bytesPerSecond rate after the free bytes, 0 for no per-response limit
 * @param freeBytes      bytes sent at full speed before the rate applies
 * @param reason         which rule chose it, for the access log: {@code none}, {@code limit}, {@code pace},
 *                       {@code policy}
 */
public record TransferRate(long bytesPerSecond, long freeBytes, String reason) {
    /** No per-response limit. */
    public static final TransferRate NONE = new TransferRate(0, 0, "none");

    public boolean limited() {
        return bytesPerSecond > 0;
    }
}
