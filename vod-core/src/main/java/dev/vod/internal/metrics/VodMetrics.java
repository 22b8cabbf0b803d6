package dev.vod.internal.metrics;

import dev.vod.internal.throttle.NanoClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Server-wide counters for the metrics and status endpoints.
 *
 * <p>With metrics off no Micrometer meter exists and each hook is a field test; with metrics on, the hot path
 * touches pre-registered meters only (counters by status are created once per status code and then reused).
 * Metric names in the Prometheus text:
 *
 * <pre>
 * vod_requests_total{status="206"}          responses by status
 * vod_sent_bytes_total                       body bytes that reached the socket
 * vod_connections_active                     open connections (servers built by vod only)
 * vod_transfers_active                       responses being written
 * vod_transfers_aborted_total                responses cut short by the client or an error
 * vod_ttfb_seconds_bucket / _count / _sum    request start to response head on the socket
 * vod_response_duration_seconds_bucket ...   request start to last byte
 * vod_paced_rate_bytes_per_second            sum of the per-response rates of paced transfers now running
 * vod_access_log_dropped_total               access-log lines dropped: the log's output could not keep up
 * vod_rtsp_sessions                          RTSP sessions open (with RTSP on)
 * vod_rtsp_packets_total / _bytes_total      RTP packets and payload bytes sent
 * vod_rtsp_dropped_frames_total              access units dropped for clients that could not keep up
 * vod_rtsp_skipped_frames_total              access units their payload format could not carry (see the log)
 * vod_live_channels / vod_live_viewers       live channels (live or lingering) and their viewers
 * vod_live_channel_viewers{channel="cam"}    per channel (registered by the live package, removed when the
 * vod_live_ingest_bits_per_second{channel}   channel is dropped): viewers, bitrate received, frame rate
 * vod_live_ingest_fps{channel}
 * </pre>
 *
 * Thread-safe.
 */
public final class VodMetrics {
    private final PrometheusMeterRegistry prometheus;
    private final MeterRegistry registry;
    private final boolean statusOn;
    private final long startNanos;
    private final NanoClock clock;
    private final AtomicInteger activeConnections;
    /** A LongAdder: every response adds and removes one, from every event loop; an atomic would bounce. */
    private final LongAdder activeTransfers;
    private final AtomicLong pacedRate = new AtomicLong();
    private final RecentRate recent;
    private final AtomicReferenceArray<Counter> byStatus = new AtomicReferenceArray<>(600);
    private final Counter sentBytes;
    private final Counter aborted;
    private final Timer ttfb;
    private final Timer duration;
    private volatile java.util.function.IntSupplier rtspSessions;
    private volatile java.util.function.Supplier<String> liveStats;
    private volatile java.util.function.Supplier<dev.vod.internal.source.CacheStats> cacheStats;

    /**
     * @param metricsOn whether a Prometheus registry is kept (the metrics endpoint is on)
     * @param statusOn  whether the ten-second byte rate is kept (the status endpoint is on)
     */
    public VodMetrics(boolean metricsOn, boolean statusOn, AtomicInteger activeConnections,
                      LongAdder activeTransfers) {
        this(metricsOn, null, statusOn, activeConnections, activeTransfers);
    }

    /**
     * @param metricsOn   whether a Prometheus registry is kept (the metrics endpoint is on)
     * @param application the application's own registry to register the meters in as well, or {@code null}
     * @param statusOn    whether the ten-second byte rate is kept (the status endpoint is on)
     */
    public VodMetrics(boolean metricsOn, MeterRegistry application, boolean statusOn,
                      AtomicInteger activeConnections, LongAdder activeTransfers) {
        this.clock = NanoClock.SYSTEM;
        this.startNanos = clock.nanoTime();
        this.statusOn = statusOn;
        this.activeConnections = activeConnections;
        this.activeTransfers = activeTransfers;
        this.recent = statusOn ? new RecentRate(clock) : null;
        this.prometheus = metricsOn ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
        if (prometheus != null && application != null) {
            CompositeMeterRegistry both = new CompositeMeterRegistry();
            both.add(prometheus);
            both.add(application);
            registry = both;
        } else {
            registry = prometheus != null ? prometheus : application;
        }
        if (registry == null) {
            sentBytes = null;
            aborted = null;
            ttfb = null;
            duration = null;
            return;
        }
        sentBytes = Counter.builder("vod.sent").baseUnit("bytes").description("body bytes sent")
                .register(registry);
        aborted = Counter.builder("vod.transfers.aborted").description("responses cut short").register(registry);
        ttfb = Timer.builder("vod.ttfb").description("request start to response head on the socket")
                .serviceLevelObjectives(ms(1), ms(5), ms(25), ms(100), ms(500), ms(2500))
                .register(registry);
        duration = Timer.builder("vod.response.duration").description("request start to last byte")
                .serviceLevelObjectives(ms(10), ms(100), ms(1000), ms(10_000), ms(60_000), ms(600_000))
                .register(registry);
        Gauge.builder("vod.connections.active", activeConnections, AtomicInteger::get)
                .description("open connections").register(registry);
        Gauge.builder("vod.transfers.active", activeTransfers, LongAdder::sum)
                .description("responses being written").register(registry);
        Gauge.builder("vod.paced.rate", pacedRate, AtomicLong::get).baseUnit("bytes.per.second")
                .description("sum of per-response rates of paced transfers").register(registry);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /** The registry the meters are in, or {@code null} when metrics are off. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Body bytes that reached the socket. */
    public void bytesSent(long bytes) {
        if (sentBytes != null) {
            sentBytes.increment(bytes);
        }
        if (recent != null) {
            recent.add(bytes);
        }
    }

    /** One finished response. */
    public void responded(int status, long ttfbNanos, long totalNanos, boolean wasAborted) {
        if (registry == null) {
            return;
        }
        statusCounter(status).increment();
        ttfb.record(ttfbNanos, TimeUnit.NANOSECONDS);
        duration.record(totalNanos, TimeUnit.NANOSECONDS);
        if (wasAborted) {
            aborted.increment();
        }
    }

    /**
     * Publishes the drop counter of vod's access-log writer as {@code vod_access_log_dropped_total}; read when
     * scraped, so the hot path pays nothing for it.
     */
    public void accessLogDrops(LongAdder dropped) {
        if (registry != null) {
            FunctionCounter.builder("vod.access.log.dropped", dropped, LongAdder::sum)
                    .description("access-log lines dropped because the output could not keep up")
                    .register(registry);
        }
    }

    /**
     * Publishes the RTSP server's counters, read when scraped: sessions open, RTP packets and payload bytes sent,
     * access units dropped for slow clients and skipped as uncarriable.
     */
    public void rtsp(java.util.function.IntSupplier sessions, LongAdder packets, LongAdder bytes, LongAdder dropped,
                     LongAdder skipped) {
        rtspSessions = sessions;
        if (registry == null) {
            return;
        }
        Gauge.builder("vod.rtsp.sessions", sessions, java.util.function.IntSupplier::getAsInt)
                .description("RTSP sessions open").register(registry);
        FunctionCounter.builder("vod.rtsp.packets", packets, LongAdder::sum).description("RTP packets sent")
                .register(registry);
        FunctionCounter.builder("vod.rtsp.bytes", bytes, LongAdder::sum).description("RTP payload bytes sent")
                .register(registry);
        FunctionCounter.builder("vod.rtsp.dropped.frames", dropped, LongAdder::sum)
                .description("access units dropped because the client could not keep up").register(registry);
        FunctionCounter.builder("vod.rtsp.skipped.frames", skipped, LongAdder::sum)
                .description("access units the payload format could not carry").register(registry);
    }

    /**
     * Publishes the live channels: {@code vod_live_channels} and {@code vod_live_viewers} as gauges, and each
     * channel's stats (a JSON object) under {@code "live"} in the status JSON.
     */
    public void live(java.util.function.Supplier<String> statsJson, java.util.function.IntSupplier channels,
                     java.util.function.IntSupplier viewers) {
        liveStats = statsJson;
        if (registry == null) {
            return;
        }
        Gauge.builder("vod.live.channels", channels, java.util.function.IntSupplier::getAsInt)
                .description("live channels, live or lingering").register(registry);
        Gauge.builder("vod.live.viewers", viewers, java.util.function.IntSupplier::getAsInt)
                .description("live viewers (playlist viewers of the last 15 s and stream viewers)")
                .register(registry);
    }

    /** Publishes the slice cache of a content store ({@code vod_cache_*}, {@code vod_origin_*}, {@code "sliceCache"}). */
    public void source(java.util.function.Supplier<dev.vod.internal.source.CacheStats> stats) {
        cacheStats = stats;
        if (registry != null) {
            SourceMeters.register(registry, stats);
        }
    }

    /** A paced transfer at {@code bytesPerSecond} started ({@code +}) or ended ({@code -}). */
    public void pacedRateChanged(long delta) {
        pacedRate.addAndGet(delta);
    }

    private Counter statusCounter(int status) {
        int slot = status >= 100 && status < 600 ? status : 0;
        Counter c = byStatus.get(slot);
        if (c == null) {
            c = Counter.builder("vod.requests").description("responses by status")
                    .tag("status", Integer.toString(status)).register(registry);
            byStatus.set(slot, c);
        }
        return c;
    }

    /** The Prometheus text exposition; empty when metrics are off. */
    public String scrape() {
        return prometheus == null ? "" : prometheus.scrape();
    }

    /**
     * {@code {"uptimeSeconds":..,"activeConnections":..,"activeTransfers":..,"bytesPerSecond10s":..,
     * "pacedRate":..}}, with {@code "rtspSessions"} when RTSP is on.
     */
    public String statusJson() {
        double uptime = (clock.nanoTime() - startNanos) / 1e9;
        java.util.function.IntSupplier rtsp = rtspSessions;
        java.util.function.Supplier<String> live = liveStats;
        java.util.function.Supplier<dev.vod.internal.source.CacheStats> cache = cacheStats;
        return String.format(Locale.ROOT,
                "{\"uptimeSeconds\":%.3f,\"activeConnections\":%d,\"activeTransfers\":%d,"
                        + "\"bytesPerSecond10s\":%d,\"pacedRate\":%d%s%s%s}\n",
                uptime, activeConnections.get(), activeTransfers.sum(),
                statusOn ? recent.bytesPerSecond() : 0, pacedRate.get(),
                rtsp == null ? "" : ",\"rtspSessions\":" + rtsp.getAsInt(),
                live == null ? "" : ",\"live\":" + live.get(),
                cache == null ? "" : ",\"sliceCache\":" + SourceMeters.json(cache.get()));
    }
}
