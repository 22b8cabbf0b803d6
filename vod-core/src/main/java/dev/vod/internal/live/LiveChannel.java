package dev.vod.internal.live;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A live channel: its renditions by name ({@value #MAIN} when published without one), and who watches it. A
 * channel whose renditions have all ended lingers (playlists with {@code EXT-X-ENDLIST}) until the registry
 * drops it. Thread-safe.
 */
final class LiveChannel {
    /** The rendition of {@code PUT /live/NAME}. */
    static final String MAIN = "main";
    /** A playlist viewer counts as watching for this long after its last request. */
    private static final long VIEWER_MILLIS = 15_000;

    final String name;
    private final double windowSeconds;
    private final Map<String, LiveRendition> renditions = new LinkedHashMap<>();
    private final Map<String, Long> playlistViewers = new LinkedHashMap<>();
    private long endedAt = -1;

    LiveChannel(String name, double windowSeconds) {
        this.name = name;
        this.windowSeconds = windowSeconds;
    }

    synchronized LiveRendition rendition(String rendition, boolean create) {
        LiveRendition r = renditions.get(rendition);
        if (r == null && create) {
            r = new LiveRendition(rendition, windowSeconds);
            renditions.put(rendition, r);
        }
        return r;
    }

    /** Renditions that have an init segment (being published, or ended and lingering). */
    synchronized List<LiveRendition> renditions() {
        List<LiveRendition> out = new ArrayList<>();
        for (LiveRendition r : renditions.values()) {
            if (r.currentInit() != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** The rendition a continuous-stream viewer gets: the main one, else the highest bitrate being published. */
    synchronized LiveRendition primary() {
        LiveRendition main = renditions.get(MAIN);
        if (main != null && main.live()) {
            return main;
        }
        LiveRendition best = null;
        for (LiveRendition r : renditions.values()) {
            if (r.live() && (best == null || r.stats().bitrate() > best.stats().bitrate())) {
                best = r;
            }
        }
        return best;
    }

    /** Notes a playlist request from {@code viewer} (address and user agent). */
    synchronized void sawViewer(String viewer) {
        long now = System.currentTimeMillis();
        playlistViewers.remove(viewer);
        playlistViewers.put(viewer, now);
        if (playlistViewers.size() > 100_000) {
            trimViewers(now);
        }
    }

    private void trimViewers(long now) {
        for (Iterator<Long> it = playlistViewers.values().iterator(); it.hasNext(); ) {
            if (now - it.next() > VIEWER_MILLIS) {
                it.remove();
            } else {
                break; // insertion order is last-seen order
            }
        }
    }

    /** Playlist viewers seen in the last 15 s plus continuous-stream viewers. */
    synchronized int viewers() {
        trimViewers(System.currentTimeMillis());
        int n = playlistViewers.size();
        for (LiveRendition r : renditions.values()) {
            n += r.listeners();
        }
        return n;
    }

    /** Bits per second received over the renditions being published now (0 when none is). */
    synchronized long ingestBitrate() {
        long bits = 0;
        for (LiveRendition r : renditions.values()) {
            if (r.live()) {
                bits += r.stats().bitrate();
            }
        }
        return bits;
    }

    /** Frames per second received on the {@link #primary} rendition, 0 when nothing is published. */
    synchronized double fps() {
        LiveRendition r = primary();
        return r == null ? 0 : r.stats().fps();
    }

    /** Whether any rendition has a publisher now. */
    synchronized boolean live() {
        for (LiveRendition r : renditions.values()) {
            if (r.live()) {
                return true;
            }
        }
        return false;
    }

    /** Marks when the last publisher left (or clears it when one is back). */
    synchronized void updateEnded() {
        endedAt = live() ? -1 : endedAt < 0 ? System.currentTimeMillis() : endedAt;
    }

    synchronized long endedAt() {
        return endedAt;
    }

    synchronized void clear() {
        for (LiveRendition r : renditions.values()) {
            r.clear();
        }
    }

    synchronized String statsJson(int chatMembers) {
        StringBuilder out = new StringBuilder("{\"live\":").append(live()).append(",\"viewers\":").append(viewers())
                .append(",\"chatMembers\":").append(chatMembers).append(",\"renditions\":{");
        boolean first = true;
        for (LiveRendition r : renditions.values()) {
            out.append(first ? "" : ",").append('"').append(r.name).append("\":").append(r.stats().json());
            first = false;
        }
        return out.append("}}").toString();
    }
}
