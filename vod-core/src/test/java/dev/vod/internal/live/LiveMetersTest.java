package dev.vod.internal.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.LiveSettings;
import dev.vod.internal.mp4.LiveInit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-channel gauges: one set per channel that exists, reading its viewers and ingest, gone once the channel has
 * been dropped (its cardinality follows the channels there are, not the names ever published).
 */
class LiveMetersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Ended channels linger for a minute here: none is dropped while a test looks at it. */
    private final LiveChannels channels = new LiveChannels(LiveSettings.open(), null);
    /** Ended channels go at the next sweep (every second). */
    private final LiveChannels shortLived = new LiveChannels(LiveSettings.open().withLinger(Duration.ZERO), null);

    @AfterEach
    void close() {
        channels.close();
        shortLived.close();
    }

    private Gauge gauge(String name, String channel) {
        return registry.find(name).tag("channel", channel).gauge();
    }

    /** One 2 s fragment of 250,000 bytes with 50 video frames: 1 Mbit/s at 25 fps. */
    private static void publishOneFragment(LiveRendition r, Object owner) {
        r.append(owner, Unpooled.wrappedBuffer(new byte[250_000]), new LiveInit.Fragment(true, 2.0, 0, 50),
                System.currentTimeMillis(), null, -1);
    }

    @Test
    void aChannelsGaugesReadItsViewersBitrateAndFrameRate() {
        channels.meters(registry);
        LiveChannel cam = channels.forPublisher("cam");
        assertEquals(0, gauge("vod.live.channel.viewers", "cam").value());
        assertEquals(0, gauge("vod.live.ingest", "cam").value(), "nothing published yet");

        Object owner = new Object();
        LiveRendition main = cam.rendition(LiveChannel.MAIN, true);
        main.claim(owner);
        main.init(new byte[] {0}, null);
        publishOneFragment(main, owner);
        cam.sawViewer("10.0.0.1 hls.js");
        cam.sawViewer("10.0.0.2 hls.js");
        cam.sawViewer("10.0.0.1 hls.js");

        assertEquals(2, gauge("vod.live.channel.viewers", "cam").value());
        assertEquals(1_000_000, gauge("vod.live.ingest", "cam").value());
        assertEquals(25, gauge("vod.live.ingest.fps", "cam").value(), 1e-9);
        assertNull(gauge("vod.live.channel.viewers", "other"), "only channels that exist have series");

        main.release(owner);
        assertEquals(0, gauge("vod.live.ingest", "cam").value(), "an ended publish receives nothing");
    }

    @Test
    void aDroppedChannelsGaugesAreRemoved() throws InterruptedException {
        java.util.List<String> added = new java.util.concurrent.CopyOnWriteArrayList<>();
        registry.config().onMeterAdded(m -> added.add(m.getId().getName() + " " + m.getId().getTag("channel")));
        shortLived.meters(registry);
        shortLived.forPublisher("gone"); // nothing published: ended, dropped at the next sweep
        shortLived.forPublisher("stays").rendition(LiveChannel.MAIN, true).claim(new Object());
        assertTrue(added.contains("vod.live.channel.viewers gone"), added.toString());

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gauge("vod.live.channel.viewers", "gone") != null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertNull(gauge("vod.live.channel.viewers", "gone"));
        assertNull(gauge("vod.live.ingest", "gone"));
        assertNull(gauge("vod.live.ingest.fps", "gone"));
        assertNotNull(gauge("vod.live.channel.viewers", "stays"), "a channel being published keeps its series");
    }

    @Test
    void channelsBeforeTheRegistryGetGaugesToo() {
        channels.forPublisher("early");
        channels.meters(registry);
        assertNotNull(gauge("vod.live.channel.viewers", "early"));
        channels.meters(null); // metrics off: nothing to do, nothing thrown
        assertTrue(registry.getMeters().size() >= 3);
    }
}
