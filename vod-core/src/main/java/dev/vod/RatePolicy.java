package dev.vod;

import java.util.function.Function;

/**
 * Chooses the rate of one response, for applications that embed vod and want per-user or per-path limits
 * (a paying tier, a path for previews). Set it with {@link VodConfig.Builder#ratePolicy(RatePolicy)}.
 *
 * <pre>{@code
 * VodConfig.builder()
 *         .ratePolicy((method, path, header) ->
 *                 "premium".equals(header.apply("X-Tier")) ? RatePolicy.UNLIMITED : 512 * 1024)
 * }</pre>
 *
 * <p>Called once per response with a body, on a network thread: it must be fast and must not block. The global
 * cap ({@link VodConfig#maxBandwidth()}) applies whatever it answers, and the free burst
 * ({@link VodConfig#limitRateAfter()}) applies before any rate it returns.
 */
@FunctionalInterface
public interface RatePolicy {
    /** Answer meaning "apply the configured rules" (limit-rate, MP4 pacing). */
    long DEFAULT = -1;
    /** Answer meaning "no per-response limit" for this response. */
    long UNLIMITED = 0;

    /**
     * The rate for one response.
     *
     * @param method the request method, e.g. {@code GET}
     * @param path   the request path as sent, without the query, e.g. {@code /videos/a.mp4}
     * @param header the request's header values by case-insensitive name ({@code null} when absent)
     * @return bytes per second, {@link #UNLIMITED}, or {@link #DEFAULT} to apply the configured rules
     */
    long bytesPerSecond(String method, String path, Function<String, String> header);
}
