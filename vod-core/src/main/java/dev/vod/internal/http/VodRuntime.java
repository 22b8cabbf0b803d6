package dev.vod.internal.http;

import dev.vod.VodConfig;
import dev.vod.internal.content.AccessPolicy;
import dev.vod.internal.content.ContentResolver;
import dev.vod.internal.content.MimeTypes;
import dev.vod.internal.live.LiveChannels;
import dev.vod.internal.metrics.VodMetrics;
import dev.vod.internal.mp4.Mp4Service;
import dev.vod.internal.packager.Packager;
import dev.vod.internal.throttle.GlobalBandwidth;
import dev.vod.internal.throttle.RateRules;
import java.io.IOException;
import dev.vod.internal.source.RemoteContent;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything one server (or one mounted handler family) shares across connections: the configuration, the content
 * resolver with its access policy, the MIME table, the MP4 index cache and the count of responses in flight.
 *
 * <p>Built once per {@link dev.vod.VodInitializer}; every per-connection handler reads from it. All members are
 * thread-safe.
 */
public final class VodRuntime {
    private final VodConfig config;
    private final AccessPolicy policy;
    private final ContentResolver resolver;
    private final MimeTypes mimeTypes;
    private final Mp4Service mp4;
    private final Packager packager;
    private final LongAdder activeResponses = new LongAdder();
    private final OpenFileCache openFiles = new OpenFileCache();
    private final RequestProcessor requestProcessor;
    private final AccessLog accessLog;
    private final Endpoints endpoints;
    private final ReplyPlanner planner;
    private final AtomicInteger activeConnections = new AtomicInteger();
    private final RateRules rateRules;
    private final GlobalBandwidth globalBandwidth;
    private final VodMetrics metrics;
    private final LiveChannels live;
    /** Content from a store, or null when the local root is served. */
    private final RemoteContent remote;

    /**
     * @throws IOException              when the root is missing or not a directory
     * @throws IllegalArgumentException when an access rule is not a valid glob
     */
    public VodRuntime(VodConfig config) throws IOException {
        this.config = config;
        this.policy = new AccessPolicy(config.denyGlobs());
        this.remote = config.source().remote()
                ? RemoteContent.open(config.source().source(), config.source().cache()) : null;
        this.resolver = new ContentResolver(remote != null ? remote.root() : config.root(), policy);
        this.mimeTypes = new MimeTypes(config.mimeOverrides());
        this.mp4 = new Mp4Service(config.mp4MaxMoov(), config.mp4CacheEntries());
        this.packager = new Packager(mp4, config.packaging());
        this.rateRules = new RateRules(config.limitRate(), config.limitRateAfter(), config.pace(),
                config.paceBurstSeconds(), config.paceFactor(), config.ratePolicy());
        this.globalBandwidth = config.maxBandwidth() > 0 ? new GlobalBandwidth(config.maxBandwidth()) : null;
        this.metrics = new VodMetrics(config.metricsPath() != null, config.meterRegistry(),
                config.statusPath() != null, activeConnections, activeResponses);
        this.live = config.live().enabled() ? new LiveChannels(config.live()) : null;
        if (remote != null) {
            metrics.source(remote.cache()::stats);
        }
        if (live != null) {
            metrics.live(live::statsJson, live::size, live::viewers);
            live.meters(metrics.registry());
        }
        this.accessLog = new AccessLog(config.accessLog(), metrics); // last: it may start a thread
        this.requestProcessor = new RequestProcessor(this);
        this.endpoints = new Endpoints(config, metrics, this::contentReadable);
        this.planner = new ReplyPlanner(this);
    }

    /** Content from a store, or null when the local root is served. */
    public RemoteContent remote() {
        return remote;
    }

    /** Whether the content can be read now: the store answers, or the local root is a readable folder. */
    boolean contentReadable() {
        if (remote != null) {
            return remote.healthy();
        }
        return java.nio.file.Files.isDirectory(resolver.realRoot()) && java.nio.file.Files.isReadable(resolver.realRoot());
    }

    public VodConfig config() {
        return config;
    }

    public AccessPolicy policy() {
        return policy;
    }

    public ContentResolver resolver() {
        return resolver;
    }

    public MimeTypes mimeTypes() {
        return mimeTypes;
    }

    public Mp4Service mp4() {
        return mp4;
    }

    /** The packager behind derived URLs (HLS, DASH, manifest.txt). */
    public Packager packager() {
        return packager;
    }

    /** The real (symlink-free, absolute) served root. */
    public Path realRoot() {
        return resolver.realRoot();
    }

    RequestProcessor requestProcessor() {
        return requestProcessor;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    ReplyPlanner planner() {
        return planner;
    }

    Endpoints endpoints() {
        return endpoints;
    }

    /** Files kept open between requests. */
    OpenFileCache openFiles() {
        return openFiles;
    }

    /**
     * Releases what the runtime holds outside responses (cached open files) and writes out and closes the access
     * log. Call once no response can finish any more (the event loops have stopped): later lines are dropped.
     * Idempotent.
     */
    public void close() {
        openFiles.clear();
        if (live != null) {
            live.close();
        }
        accessLog.close();
        if (remote != null) {
            remote.close();
        }
    }

    /** Responses started and not yet finished, across all connections. */
    public LongAdder activeResponses() {
        return activeResponses;
    }

    /** Open connections of channels set up by {@link dev.vod.VodInitializer#installInto}. */
    public AtomicInteger activeConnections() {
        return activeConnections;
    }

    /** Per-response rate rules (limit-rate, MP4 pacing, the application's policy). */
    public RateRules rateRules() {
        return rateRules;
    }

    /** The server-wide bandwidth cap, or {@code null} when there is none. */
    public GlobalBandwidth globalBandwidth() {
        return globalBandwidth;
    }

    /** Live channels, or null when live is off. */
    public LiveChannels live() {
        return live;
    }

    public VodMetrics metrics() {
        return metrics;
    }
}
