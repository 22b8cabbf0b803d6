package dev.vod.internal.throttle;

import dev.vod.RatePolicy;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Picks the {@link TransferRate} of a response from the configuration: the embedding application's
 * {@link RatePolicy} first; otherwise the lower of the fixed limit ({@code limit-rate} after
 * {@code limit-rate-after}) and, for MP4 media when pacing is on, {@code factor × average bitrate} after
 * {@code burstSeconds} of media. Pure: no Netty types, no I/O except through {@code mediaBitsPerSecond}.
 */
public final class RateRules {
    private final long limitRate;
    private final long limitRateAfter;
    private final boolean pace;
    private final long paceBurstSeconds;
    private final double paceFactor;
    private final RatePolicy policy;

    public RateRules(long limitRate, long limitRateAfter, boolean pace, long paceBurstSeconds, double paceFactor,
                     RatePolicy policy) {
        this.limitRate = limitRate;
        this.limitRateAfter = limitRateAfter;
        this.pace = pace;
        this.paceBurstSeconds = paceBurstSeconds;
        this.paceFactor = paceFactor;
        this.policy = policy;
    }

    /** Whether any response can ever be limited per response (if not, callers skip all the work). */
    public boolean active() {
        return limitRate > 0 || pace || policy != null;
    }

    /**
     * The rate for one response.
     *
     * @param mediaBitsPerSecond the body's average media bitrate, or a negative number when it is not media;
     *                           asked only when pacing is on
     */
    public TransferRate choose(String method, String path, Function<String, String> header,
                               LongSupplier mediaBitsPerSecond) {
        if (policy != null) {
            long chosen = policy.bytesPerSecond(method, path, header);
            if (chosen == RatePolicy.UNLIMITED) {
                return TransferRate.NONE;
            }
            if (chosen > 0) {
                return new TransferRate(chosen, limitRateAfter, "policy");
            }
        }
        TransferRate best = limitRate > 0 ? new TransferRate(limitRate, limitRateAfter, "limit") : TransferRate.NONE;
        if (pace) {
            long bits = mediaBitsPerSecond.getAsLong();
            if (bits > 0) {
                long bytesPerSecond = Math.max(1, (long) Math.ceil(bits / 8.0 * paceFactor));
                long burst = bits / 8 * paceBurstSeconds;
                if (!best.limited() || bytesPerSecond < best.bytesPerSecond()) {
                    best = new TransferRate(bytesPerSecond, burst, "pace");
                }
            }
        }
        return best;
    }
}
