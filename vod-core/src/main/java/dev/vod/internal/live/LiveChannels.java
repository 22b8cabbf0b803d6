package dev.vod.internal.live;

import dev.vod.LiveSettings;
import dev.vod.internal.HttpProblem;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server's live channels by name, created when a publisher first pushes and dropped once they have ended and
 * lingered for {@link LiveSettings#linger()} (their playlists carry {@code EXT-X-ENDLIST} until then, and answer
 * 404 after). Thread-safe; the entry point of the live package for the HTTP side.
 *
 * <p>Segments are spooled to {@code /dev/shm} (a RAM file system, see {@link SpoolFile}) when it is a writable
 * directory; the system property {@value #SPOOL_PROPERTY} names another directory, or {@code off} to keep them in
 * memory only.
 */
public final class LiveChannels {
    /** System property: the spool directory for live segments, or {@code off}. */
    public static final String SPOOL_PROPERTY = "vod.live.spool";
    private final LiveSettings settings;
    private final ConcurrentHashMap<String, LiveChannel> channels = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> sweeper;
    private final ChatService chat;
    private final Path spoolDir;
    private volatile LiveMeters meters;

    public LiveChannels(LiveSettings settings) {
        this(settings, spoolDir(System.getProperty(SPOOL_PROPERTY)));
    }

    /** Channels whose segments are spooled to {@code spoolDir}, or kept in memory only when it is null. */
    LiveChannels(LiveSettings settings, Path spoolDir) {
        this.settings = settings;
        this.spoolDir = spoolDir;
        this.chat = settings.chat() ? new LiveChat() : null;
        this.sweeper = GlobalEventExecutor.INSTANCE.scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    public LiveSettings settings() {
        return settings;
    }

    /** The spool directory a {@value #SPOOL_PROPERTY} value names: {@code /dev/shm} when unset, null for off. */
    static Path spoolDir(String property) {
        if ("off".equals(property)) {
            return null;
        }
        Path dir = Path.of(property == null || property.isBlank() ? "/dev/shm" : property);
        return Files.isDirectory(dir) && Files.isWritable(dir) ? dir : null;
    }

    /**
     * Publishes per-channel gauges ({@link LiveMeters}: viewers, ingest bitrate and frame rate, tagged
     * {@code channel}) in {@code registry}, for the channels there are now and those to come; nothing when it is
     * null (metrics off).
     */
    public void meters(MeterRegistry registry) {
        if (registry == null) {
            return;
        }
        LiveMeters m = new LiveMeters(registry);
        meters = m;
        channels.values().forEach(m::added);
    }

    /** Where publishers spool segments, null when they do not. */
    Path spoolDir() {
        return spoolDir;
    }

    /**
     * Whether {@code name} is allowed for a channel or rendition: 1-64 ASCII letters, digits, {@code _} or
     * {@code -}. A loop rather than a regular expression: every live request checks one or two names.
     */
    static boolean validName(String name) {
        if (name == null || name.isEmpty() || name.length() > 64) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The channel, created for a publisher. @throws HttpProblem 400 for a name that is not allowed */
    LiveChannel forPublisher(String name) {
        if (!validName(name)) {
            throw HttpProblem.badRequest("channel names are 1-64 letters, digits, '_' or '-'");
        }
        return channels.computeIfAbsent(name, n -> {
            LiveChannel channel = new LiveChannel(n, settings.window().toMillis() / 1000.0);
            LiveMeters m = meters;
            if (m != null) {
                m.added(channel);
            }
            return channel;
        });
    }

    /** The channel for a viewer, or null. */
    LiveChannel forViewer(String name) {
        return name == null ? null : channels.get(name);
    }

    /** The chat rooms, or null when the chat is off. */
    ChatService chat() {
        return chat;
    }

    private void sweep() {
        long now = System.currentTimeMillis();
        for (LiveChannel channel : channels.values()) {
            channel.updateEnded();
            long ended = channel.endedAt();
            if (ended >= 0 && now - ended >= settings.linger().toMillis()) {
                if (channels.remove(channel.name, channel)) {
                    channel.clear();
                    LiveMeters m = meters;
                    if (m != null) {
                        m.removed(channel);
                    }
                }
            }
        }
    }

    /** {@code {"NAME":{"live":true,"viewers":3,"chatMembers":1,"renditions":{...}}, ...}} */
    public String statsJson() {
        StringBuilder out = new StringBuilder("{");
        List<LiveChannel> all = new ArrayList<>(channels.values());
        all.sort((a, b) -> a.name.compareTo(b.name));
        for (int i = 0; i < all.size(); i++) {
            LiveChannel c = all.get(i);
            out.append(i == 0 ? "" : ",").append('"').append(c.name).append("\":")
                    .append(c.statsJson(chat == null ? 0 : chat.members(c.name)));
        }
        return out.append('}').toString();
    }

    /** Channels known now (live or lingering). */
    public int size() {
        return channels.size();
    }

    /** Total viewers across channels. */
    public int viewers() {
        int n = 0;
        for (LiveChannel c : channels.values()) {
            n += c.viewers();
        }
        return n;
    }

    /** Frees every buffer; publishers and viewers still connected see their channel gone. */
    public void close() {
        sweeper.cancel(false);
        LiveMeters m = meters;
        for (LiveChannel c : channels.values()) {
            c.clear();
            if (m != null) {
                m.removed(c);
            }
        }
        channels.clear();
    }
}
