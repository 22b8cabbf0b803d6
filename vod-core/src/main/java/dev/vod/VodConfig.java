package dev.vod;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable settings of a vod server or of a mounted {@link VodHandler}. Build one with {@link #builder()}:
 *
 * <pre>{@code
 * VodConfig config = VodConfig.builder()
 *         .root(Path.of("content"))
 *         .port(8080)
 *         .deny("**\/*.part")
 *         .cacheMaxAge(Duration.ofHours(1))
 *         .build();
 * }</pre>
 *
 * <p>Every setting has a default that suits a public video folder; see each builder method.
 */
public final class VodConfig {
    private final Path root;
    private final String host;
    private final int port;
    private final String mountPath;
    private final List<String> denyGlobs;
    private final Map<String, String> mimeOverrides;
    private final boolean indexPages;
    private final long maxChunk;
    private final Duration idleTimeout;
    private final Duration headerTimeout;
    private final Duration cacheMaxAge;
    private final Duration shutdownGrace;
    private final boolean mp4Seek;
    private final boolean mp4Faststart;
    private final long mp4MaxMoov;
    private final int mp4CacheEntries;
    private final long limitRate;
    private final long limitRateAfter;
    private final long maxBandwidth;
    private final boolean pace;
    private final int paceBurstSeconds;
    private final double paceFactor;
    private final RatePolicy ratePolicy;
    private final int maxConnections;
    private final String metricsPath;
    private final String statusPath;
    private final MeterRegistry meterRegistry;
    private final PackagingSettings packaging;
    private final AccessLogSettings accessLog;
    private final RtspSettings rtsp;
    private final LiveSettings live;
    private final SourceSettings source;

    private VodConfig(Builder b) {
        this.root = b.root;
        this.host = b.host;
        this.port = b.port;
        this.mountPath = b.mountPath;
        this.denyGlobs = List.copyOf(b.denyGlobs);
        this.mimeOverrides = Map.copyOf(b.mimeOverrides);
        this.indexPages = b.indexPages;
        this.maxChunk = b.maxChunk;
        this.idleTimeout = b.idleTimeout;
        this.headerTimeout = b.headerTimeout;
        this.cacheMaxAge = b.cacheMaxAge;
        this.shutdownGrace = b.shutdownGrace;
        this.mp4Seek = b.mp4Seek;
        this.mp4Faststart = b.mp4Faststart;
        this.mp4MaxMoov = b.mp4MaxMoov;
        this.mp4CacheEntries = b.mp4CacheEntries;
        this.packaging = b.packaging;
        this.accessLog = b.accessLog;
        this.rtsp = b.rtsp;
        this.live = b.live;
        this.source = b.source;
        this.limitRate = b.limitRate;
        this.limitRateAfter = b.limitRateAfter;
        this.maxBandwidth = b.maxBandwidth;
        this.pace = b.pace;
        this.paceBurstSeconds = b.paceBurstSeconds;
        this.paceFactor = b.paceFactor;
        this.ratePolicy = b.ratePolicy;
        this.maxConnections = b.maxConnections;
        this.metricsPath = b.metricsPath;
        this.statusPath = b.statusPath;
        this.meterRegistry = b.meterRegistry;
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.root = root;
        b.host = host;
        b.port = port;
        b.mountPath = mountPath;
        b.denyGlobs.addAll(denyGlobs);
        b.mimeOverrides.putAll(mimeOverrides);
        b.indexPages = indexPages;
        b.maxChunk = maxChunk;
        b.idleTimeout = idleTimeout;
        b.headerTimeout = headerTimeout;
        b.cacheMaxAge = cacheMaxAge;
        b.shutdownGrace = shutdownGrace;
        b.mp4Seek = mp4Seek;
        b.mp4Faststart = mp4Faststart;
        b.mp4MaxMoov = mp4MaxMoov;
        b.mp4CacheEntries = mp4CacheEntries;
        b.packaging = packaging;
        b.accessLog = accessLog;
        b.rtsp = rtsp;
        b.live = live;
        b.source = source;
        b.limitRate = limitRate;
        b.limitRateAfter = limitRateAfter;
        b.maxBandwidth = maxBandwidth;
        b.pace = pace;
        b.paceBurstSeconds = paceBurstSeconds;
        b.paceFactor = paceFactor;
        b.ratePolicy = ratePolicy;
        b.maxConnections = maxConnections;
        b.metricsPath = metricsPath;
        b.statusPath = statusPath;
        b.meterRegistry = meterRegistry;
        return b;
    }

    /** Directory whose files are served. */
    public Path root() { return root; }
    /** Address to bind ({@link VodServer} only). */
    public String host() { return host; }
    /** Port to bind, 0 for any free port ({@link VodServer} only). */
    public int port() { return port; }
    /** URL path prefix under which files are served, always starting and ending with {@code /}. */
    public String mountPath() { return mountPath; }
    /** Extra access rules: glob patterns of root-relative paths answered 403. */
    public List<String> denyGlobs() { return denyGlobs; }
    /** MIME types by lower-case file extension (no dot), overriding the built-in table. */
    public Map<String, String> mimeOverrides() { return mimeOverrides; }
    /** Whether directories get an HTML index page. */
    public boolean indexPages() { return indexPages; }
    /** Largest response body in bytes, 0 for no cap. */
    public long maxChunk() { return maxChunk; }
    /** Idle connections are closed after this long. */
    public Duration idleTimeout() { return idleTimeout; }
    /** A request's line and headers must arrive within this time. */
    public Duration headerTimeout() { return headerTimeout; }
    /** {@code Cache-Control: max-age} for files, or {@code null} for no Cache-Control header. */
    public Duration cacheMaxAge() { return cacheMaxAge; }
    /** How long {@link VodServer#close()} lets in-flight responses finish. */
    public Duration shutdownGrace() { return shutdownGrace; }
    /** Whether {@code ?start=}/{@code ?end=} seek inside MP4 files. */
    public boolean mp4Seek() { return mp4Seek; }
    /** Whether MP4 files with the moov at the end are served with the moov moved to the front. */
    public boolean mp4Faststart() { return mp4Faststart; }
    /** Largest moov box (bytes) that will be parsed. */
    public long mp4MaxMoov() { return mp4MaxMoov; }
    /** How many parsed MP4 indexes are kept in memory. */
    public int mp4CacheEntries() { return mp4CacheEntries; }

    /** HLS/DASH/manifest.txt packaging settings ({@link PackagingSettings#DEFAULTS} unless set). */
    public PackagingSettings packaging() { return packaging; }

    /** Where the access log goes ({@link AccessLogSettings#DEFAULTS}, the {@code vod.access} logger, unless set). */
    public AccessLogSettings accessLog() { return accessLog; }

    /** The RTSP server's settings ({@link RtspSettings#OFF} unless set). */
    public RtspSettings rtsp() { return rtsp; }

    /** Live channels' settings ({@link LiveSettings#OFF} unless set). */
    public LiveSettings live() { return live; }
    /** Where content comes from (the local root or a content store) and the health endpoint. */
    public SourceSettings source() { return source; }
    /** Per-response rate in bytes per second after {@link #limitRateAfter()}, 0 for none. */
    public long limitRate() { return limitRate; }
    /** Bytes of each response sent at full speed before a per-response rate applies. */
    public long limitRateAfter() { return limitRateAfter; }
    /** Server-wide cap in bytes per second, shared by all transfers; 0 for none. */
    public long maxBandwidth() { return maxBandwidth; }
    /** Whether MP4 responses are paced at a multiple of their average bitrate. */
    public boolean pace() { return pace; }
    /** Seconds of media sent at full speed before pacing starts. */
    public int paceBurstSeconds() { return paceBurstSeconds; }
    /** Pacing rate as a multiple of the media's average bitrate. */
    public double paceFactor() { return paceFactor; }
    /** The application's per-response rate choice, or {@code null}. */
    public RatePolicy ratePolicy() { return ratePolicy; }
    /** Most connections open at once, 0 for no limit. */
    public int maxConnections() { return maxConnections; }
    /** Path of the Prometheus metrics endpoint, or {@code null} when off. */
    public String metricsPath() { return metricsPath; }
    /** Path of the JSON status endpoint, or {@code null} when off. */
    public String statusPath() { return statusPath; }
    /** The application's registry that also receives vod's meters, or {@code null}. */
    public MeterRegistry meterRegistry() { return meterRegistry; }

    @Override
    public String toString() {
        return "VodConfig[root=" + root + ", host=" + host + ", port=" + port + ", mountPath=" + mountPath + "]";
    }

    /** Collects settings for a {@link VodConfig}; not thread-safe. */
    public static final class Builder {
        private Path root = Path.of("content");
        private String host = "0.0.0.0";
        private int port = 8080;
        private String mountPath = "/";
        private final List<String> denyGlobs = new ArrayList<>();
        private final Map<String, String> mimeOverrides = new LinkedHashMap<>();
        private boolean indexPages = true;
        private long maxChunk = 0;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Duration cacheMaxAge = null;
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private boolean mp4Seek = true;
        private boolean mp4Faststart = false;
        private long mp4MaxMoov = 64L * 1024 * 1024;
        private int mp4CacheEntries = 256;
        private PackagingSettings packaging = PackagingSettings.DEFAULTS;
        private AccessLogSettings accessLog = AccessLogSettings.DEFAULTS;
        private RtspSettings rtsp = RtspSettings.OFF;
        private LiveSettings live = LiveSettings.OFF;
        private SourceSettings source = SourceSettings.LOCAL;
        private long limitRate = 0;
        private long limitRateAfter = 0;
        private long maxBandwidth = 0;
        private boolean pace = false;
        private int paceBurstSeconds = 30;
        private double paceFactor = 1.25;
        private RatePolicy ratePolicy = null;
        private int maxConnections = 0;
        private String metricsPath = null;
        private String statusPath = null;
        private MeterRegistry meterRegistry = null;

        private Builder() {
        }

        /** Directory to serve. Default {@code content}, relative to the working directory. */
        public Builder root(Path root) {
            this.root = Objects.requireNonNull(root, "root");
            return this;
        }

        /** Address to bind. Default {@code 0.0.0.0}. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Port to bind, 0 for any free port. Default 8080. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * URL prefix under which the root is served, e.g. {@code /videos/}: a request for
         * {@code /videos/a.mp4} serves {@code root/a.mp4}. A mounted {@link VodHandler} passes requests outside
         * the prefix to the next handler. Default {@code /}.
         */
        public Builder mountPath(String mountPath) {
            Objects.requireNonNull(mountPath, "mountPath");
            String p = mountPath.startsWith("/") ? mountPath : "/" + mountPath;
            this.mountPath = p.endsWith("/") ? p : p + "/";
            return this;
        }

        /**
         * Answers 403 for root-relative paths matching this glob ({@link java.nio.file.FileSystem#getPathMatcher}
         * syntax, e.g. {@code **\/private/**} or {@code *.key}). Paths with a {@code confidential} segment are
         * always denied. Repeatable.
         */
        public Builder deny(String glob) {
            this.denyGlobs.add(Objects.requireNonNull(glob, "glob"));
            return this;
        }

        /** Serves files ending in {@code .extension} with this MIME type. Repeatable. */
        public Builder mimeType(String extension, String mimeType) {
            String ext = Objects.requireNonNull(extension, "extension").toLowerCase(Locale.ROOT);
            this.mimeOverrides.put(ext.startsWith(".") ? ext.substring(1) : ext,
                    Objects.requireNonNull(mimeType, "mimeType"));
            return this;
        }

        /** Whether directories get an HTML index page (else 403). Default true. */
        public Builder indexPages(boolean indexPages) {
            this.indexPages = indexPages;
            return this;
        }

        /**
         * Caps every response body at this many bytes (0 = off, the default). A GET for a larger file answers
         * 206 with the first {@code maxChunk} bytes; any range is capped too.
         */
        public Builder maxChunk(long maxChunk) {
            if (maxChunk < 0) {
                throw new IllegalArgumentException("maxChunk must be >= 0: " + maxChunk);
            }
            this.maxChunk = maxChunk;
            return this;
        }

        /** Closes connections idle for this long. Default 60 s. */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = positive(idleTimeout, "idleTimeout");
            return this;
        }

        /** Closes connections whose request line and headers take longer than this (slowloris). Default 10 s. */
        public Builder headerTimeout(Duration headerTimeout) {
            this.headerTimeout = positive(headerTimeout, "headerTimeout");
            return this;
        }

        /** Adds {@code Cache-Control: max-age=N} to file responses; {@code null} (default) adds none. */
        public Builder cacheMaxAge(Duration cacheMaxAge) {
            if (cacheMaxAge != null && cacheMaxAge.isNegative()) {
                throw new IllegalArgumentException("cacheMaxAge must be >= 0");
            }
            this.cacheMaxAge = cacheMaxAge;
            return this;
        }

        /** Grace period for in-flight responses on close. Default 10 s. */
        public Builder shutdownGrace(Duration shutdownGrace) {
            if (Objects.requireNonNull(shutdownGrace, "shutdownGrace").isNegative()) {
                throw new IllegalArgumentException("shutdownGrace must be >= 0");
            }
            this.shutdownGrace = shutdownGrace;
            return this;
        }

        /** Whether {@code ?start=}/{@code &end=} seek inside MP4 files. Default true. */
        public Builder mp4Seek(boolean mp4Seek) {
            this.mp4Seek = mp4Seek;
            return this;
        }

        /** Serves moov-at-end MP4 files with the moov moved to the front (virtual faststart). Default false. */
        public Builder mp4Faststart(boolean mp4Faststart) {
            this.mp4Faststart = mp4Faststart;
            return this;
        }

        /** Largest moov box, in bytes, that will be parsed. Default 64 MiB. */
        public Builder mp4MaxMoov(long mp4MaxMoov) {
            if (mp4MaxMoov <= 0) {
                throw new IllegalArgumentException("mp4MaxMoov must be > 0");
            }
            this.mp4MaxMoov = mp4MaxMoov;
            return this;
        }

        /** How many parsed MP4 indexes to cache (0 disables the cache). Default 256. */
        public Builder mp4CacheEntries(int mp4CacheEntries) {
            if (mp4CacheEntries < 0) {
                throw new IllegalArgumentException("mp4CacheEntries must be >= 0");
            }
            this.mp4CacheEntries = mp4CacheEntries;
            return this;
        }

        /**
         * Holds each response to this many bytes per second once its first {@link #limitRateAfter(long)} bytes
         * are sent, like nginx's {@code limit_rate}. 0 (default) = no per-response limit. File bytes stay
         * zero-copy: they are sent as paced {@code FileRegion} slices.
         */
        public Builder limitRate(long bytesPerSecond) {
            this.limitRate = nonNegative(bytesPerSecond, "limitRate");
            return this;
        }

        /** Bytes of each response sent at full speed before {@link #limitRate(long)} applies. Default 0. */
        public Builder limitRateAfter(long bytes) {
            this.limitRateAfter = nonNegative(bytes, "limitRateAfter");
            return this;
        }

        /**
         * Caps the server's total sending rate at this many bytes per second, shared by all transfers in
         * turns of equal size. 0 (default) = no cap.
         */
        public Builder maxBandwidth(long bytesPerSecond) {
            this.maxBandwidth = nonNegative(bytesPerSecond, "maxBandwidth");
            return this;
        }

        /**
         * Paces MP4 responses (plain, seeked, faststart) at {@link #paceFactor(double)} × their average bitrate
         * after {@link #paceBurstSeconds(int)} seconds of media at full speed, so a viewer who stops watching
         * has not downloaded the whole film. Default false: off, so downloads and benchmarks run at full speed.
         * When a fixed {@link #limitRate(long)} is also set, the lower of the two rates applies.
         */
        public Builder pace(boolean pace) {
            this.pace = pace;
            return this;
        }

        /** Seconds of media sent at full speed before pacing starts. Default 30. */
        public Builder paceBurstSeconds(int seconds) {
            this.paceBurstSeconds = (int) nonNegative(seconds, "paceBurstSeconds");
            return this;
        }

        /** Pacing rate as a multiple of the average bitrate; must be &ge; 1. Default 1.25. */
        public Builder paceFactor(double factor) {
            if (!(factor >= 1.0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("paceFactor must be >= 1: " + factor);
            }
            this.paceFactor = factor;
            return this;
        }

        /**
         * Lets the application choose each response's rate (per user, per path); see {@link RatePolicy}.
         * {@code null} (default) applies the configured rules only.
         */
        public Builder ratePolicy(RatePolicy ratePolicy) {
            this.ratePolicy = ratePolicy;
            return this;
        }

        /**
         * Most connections open at once; one more is answered {@code 503} with {@code Retry-After: 1} and
         * closed. 0 (default) = no limit. Counts connections of this server (or mounted initializer) only.
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = (int) nonNegative(maxConnections, "maxConnections");
            return this;
        }

        /**
         * Serves Prometheus metrics (text format) at this exact path, e.g. {@code /metrics}, for GET and HEAD.
         * {@code null} (default) = off. Answered before file resolution and outside the mount path.
         */
        public Builder metricsPath(String path) {
            this.metricsPath = endpointPath(path, "metricsPath");
            return this;
        }

        /**
         * Serves a small JSON status (uptime, active connections, bytes/s over the last 10 s) at this exact path,
         * e.g. {@code /status}. {@code null} (default) = off.
         */
        public Builder statusPath(String path) {
            this.statusPath = endpointPath(path, "statusPath");
            return this;
        }

        /**
         * Also registers vod's meters (the ones listed under {@link #metricsPath(String)}) in the application's
         * own Micrometer registry, e.g. to publish them with the application's other metrics. Works with or
         * without the metrics endpoint. Servers sharing one registry share the counters. Default {@code null}.
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        /** The configuration. */
        /** On-the-fly packaging of titles into HLS, DASH and manifest.txt; {@link PackagingSettings#OFF} to disable. */
        public Builder packaging(PackagingSettings packaging) {
            this.packaging = java.util.Objects.requireNonNull(packaging, "packaging");
            return this;
        }

        /** The access log's target and format; {@link AccessLogSettings#OFF} to disable it. */
        public Builder accessLog(AccessLogSettings accessLog) {
            this.accessLog = java.util.Objects.requireNonNull(accessLog, "accessLog");
            return this;
        }

        /** The RTSP server beside HTTP, e.g. {@code RtspSettings.onPort(8554)}; off by default. */
        public Builder rtsp(RtspSettings rtsp) {
            this.rtsp = java.util.Objects.requireNonNull(rtsp, "rtsp");
            return this;
        }

        /** Live channels under {@code /live/}, e.g. {@code LiveSettings.withToken(secret)}; off by default. */
        public Builder live(LiveSettings live) {
            this.live = java.util.Objects.requireNonNull(live, "live");
            return this;
        }

        /**
         * Where content comes from: the local root (default) or a {@link ContentSource} through a slice cache,
         * and the health endpoint.
         */
        public Builder source(SourceSettings source) {
            this.source = java.util.Objects.requireNonNull(source, "source");
            return this;
        }

        public VodConfig build() {
            return new VodConfig(this);
        }

        /** A server with this configuration, not yet started. */
        public VodServer buildServer() {
            return new VodServer(build());
        }

        private static long nonNegative(long value, String name) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " must be >= 0: " + value);
            }
            return value;
        }

        private static String endpointPath(String path, String name) {
            if (path == null) {
                return null;
            }
            if (!path.startsWith("/") || path.contains("?") || path.contains("#")) {
                throw new IllegalArgumentException(name + " must be a path starting with /: " + path);
            }
            return path;
        }

        private static Duration positive(Duration d, String name) {
            if (Objects.requireNonNull(d, name).isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be > 0");
            }
            return d;
        }
    }
}
