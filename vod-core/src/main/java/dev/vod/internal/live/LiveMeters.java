package dev.vod.internal.live;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-channel gauges, tagged {@code channel}: in the Prometheus text
 *
 * <pre>
 * vod_live_channel_viewers{channel="cam"} 12.0              playlist viewers of the last 15 s + stream viewers
 * vod_live_ingest_bits_per_second{channel="cam"} 1052331.0  bitrate received over its renditions being published
 * vod_live_ingest_fps{channel="cam"} 25.0                   frame rate of the rendition a stream viewer gets
 * </pre>
 *
 * A channel's three series exist from its first publish until it is dropped (after its linger), so the number of
 * series follows the channels that exist, never the names ever used. Thread-safe.
 */
final class LiveMeters {
    private final MeterRegistry registry;
    private final Map<LiveChannel, List<Meter>> meters = new ConcurrentHashMap<>();

    LiveMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the gauges of a new channel (they read it at each scrape). */
    void added(LiveChannel channel) {
        meters.computeIfAbsent(channel, c -> List.of(
                Gauge.builder("vod.live.channel.viewers", c, LiveChannel::viewers).tag("channel", c.name)
                        .description("live viewers of the channel (playlist viewers of the last 15 s and stream"
                                + " viewers)").register(registry),
                Gauge.builder("vod.live.ingest", c, LiveChannel::ingestBitrate).tag("channel", c.name)
                        .baseUnit("bits.per.second").description("bitrate received, over the renditions being"
                                + " published (last 10 s of arrivals)").register(registry),
                Gauge.builder("vod.live.ingest.fps", c, LiveChannel::fps).tag("channel", c.name)
                        .description("frame rate received on the channel's primary rendition (last 10 s)")
                        .register(registry)));
    }

    /** Removes a dropped channel's gauges. */
    void removed(LiveChannel channel) {
        List<Meter> gone = meters.remove(channel);
        if (gone != null) {
            gone.forEach(registry::remove);
        }
    }
}
