package dev.vod.internal.live;

import dev.vod.internal.mp4.LiveInit;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * Ingest statistics of one rendition over the last ten seconds of arrivals: bitrate, frame rate, key-frame
 * interval; and since the publish began: uptime, fragments received and dropped. Thread-safe.
 */
final class LiveStats {
    private static final long SPAN_MILLIS = 10_000;

    /** One received fragment: when, how big, how much media. */
    private record Arrival(long millis, long bytes, double seconds, long frames, boolean independent, double start) {
    }

    private final ArrayDeque<Arrival> recent = new ArrayDeque<>();
    private long publishStart = -1;
    private long fragments;
    private long dropped;
    private long publishes;

    synchronized void publishStarted() {
        publishStart = System.currentTimeMillis();
        publishes++;
    }

    synchronized void publishEnded() {
        publishStart = -1;
    }

    synchronized void dropped() {
        dropped++;
    }

    synchronized void fragment(long bytes, LiveInit.Fragment f, long arrivalMillis) {
        fragments++;
        recent.add(new Arrival(arrivalMillis, bytes, f.seconds(), f.videoFrames(), f.independent(), f.startSeconds()));
        trim(arrivalMillis);
    }

    private void trim(long now) {
        while (!recent.isEmpty() && now - recent.peekFirst().millis() > SPAN_MILLIS) {
            recent.pollFirst();
        }
    }

    /** The stats as a JSON object. */
    synchronized String json() {
        trim(System.currentTimeMillis());
        long bytes = 0;
        double media = 0;
        long frames = 0;
        double firstKey = -1;
        double lastKey = -1;
        int keys = 0;
        for (Arrival a : recent) {
            bytes += a.bytes();
            media += a.seconds();
            frames += a.frames();
            if (a.independent()) {
                firstKey = firstKey < 0 ? a.start() : firstKey;
                lastKey = a.start();
                keys++;
            }
        }
        double bitrate = media > 0 ? bytes * 8 / media : 0;
        double fps = media > 0 ? frames / media : 0;
        double keyInterval = keys > 1 ? (lastKey - firstKey) / (keys - 1) : 0;
        double uptime = publishStart < 0 ? 0 : (System.currentTimeMillis() - publishStart) / 1000.0;
        return String.format(Locale.ROOT, "{\"live\":%s,\"uptimeSeconds\":%.1f,\"bitrate\":%d,\"fps\":%.2f,"
                        + "\"keyFrameInterval\":%.2f,\"fragments\":%d,\"droppedFragments\":%d,\"publishes\":%d}",
                publishStart >= 0, uptime, Math.round(bitrate), fps, keyInterval, fragments, dropped, publishes);
    }

    /** Bits per second over the recent arrivals (for the master playlist's BANDWIDTH), 0 when unknown. */
    synchronized long bitrate() {
        long bytes = 0;
        double media = 0;
        for (Arrival a : recent) {
            bytes += a.bytes();
            media += a.seconds();
        }
        return media > 0 ? Math.round(bytes * 8 / media) : 0;
    }

    /** Video frames per second of media over the recent arrivals, 0 when unknown. */
    synchronized double fps() {
        long frames = 0;
        double media = 0;
        for (Arrival a : recent) {
            frames += a.frames();
            media += a.seconds();
        }
        return media > 0 ? frames / media : 0;
    }

    synchronized long droppedFragments() {
        return dropped;
    }
}
