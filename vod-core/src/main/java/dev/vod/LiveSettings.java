package dev.vod;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of live channels: publishers push fragmented MP4 with {@code PUT}/{@code POST /live/NAME[/RENDITION]},
 * viewers watch {@code /live/NAME/master.m3u8} (HLS, Low-Latency HLS parts when the publisher's fragments are
 * shorter than a GOP) or {@code /live/NAME.mp4}. See {@code docs/live.md}.
 *
 * <pre>
 * VodConfig.builder().root(media).live(LiveSettings.withToken(System.getenv("PUBLISH_TOKEN"))).build();
 * </pre>
 *
 * @param publishToken   the secret publishers present ({@code Authorization: Bearer …} or {@code ?token=}), or null
 * @param publishOpen    anyone may publish, without a token (for a trusted network only)
 * @param window         how much of each rendition is kept in memory and listed in its playlist
 * @param linger         how long an ended channel keeps its playlist (with {@code EXT-X-ENDLIST}) before 404
 * @param recordDir      a folder to record every publish into, as an MP4 that becomes a VOD file when it ends;
 *                       null for none
 * @param chat           whether {@code /live/NAME/chat} (WebSocket) is open
 * @param maxFragment    the largest fragment ({@code moof + mdat}) a publisher may send, in bytes
 * @param ingestTimeout  a publish that sends nothing, or no key frame, for this long is ended
 */
public record LiveSettings(String publishToken, boolean publishOpen, Duration window, Duration linger,
                           Path recordDir, boolean chat, long maxFragment, Duration ingestTimeout) {
    /** Live off: {@code /live/} is an ordinary path. Defaults when on: 30 s window, 60 s linger, 16 MiB, 10 s. */
    public static final LiveSettings OFF = new LiveSettings(null, false, Duration.ofSeconds(30),
            Duration.ofSeconds(60), null, false, 16L << 20, Duration.ofSeconds(10));

    public LiveSettings {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(linger, "linger");
        Objects.requireNonNull(ingestTimeout, "ingestTimeout");
        if (publishToken != null && publishToken.isBlank()) {
            throw new IllegalArgumentException("publish token must not be blank");
        }
        if (window.toMillis() < 4000 || window.toSeconds() > 3600) {
            throw new IllegalArgumentException("live window must be 4 s to 1 hour: " + window);
        }
        if (linger.isNegative() || linger.toSeconds() > 86400) {
            throw new IllegalArgumentException("live linger must be 0 to 1 day: " + linger);
        }
        if (maxFragment < 64 * 1024 || maxFragment > (256L << 20)) {
            throw new IllegalArgumentException("max fragment must be 64 KiB to 256 MiB: " + maxFragment);
        }
        if (ingestTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("ingest timeout must be at least 1 s: " + ingestTimeout);
        }
    }

    /** Live on, publishing with this token. */
    public static LiveSettings withToken(String token) {
        return new LiveSettings(Objects.requireNonNull(token, "token"), false, OFF.window, OFF.linger, null, false,
                OFF.maxFragment, OFF.ingestTimeout);
    }

    /** Live on, anyone may publish. */
    public static LiveSettings open() {
        return new LiveSettings(null, true, OFF.window, OFF.linger, null, false, OFF.maxFragment, OFF.ingestTimeout);
    }

    /** Whether live channels are served at all (a token is set or publishing is open). */
    public boolean enabled() {
        return publishToken != null || publishOpen;
    }

    public LiveSettings withWindow(Duration w) {
        return new LiveSettings(publishToken, publishOpen, w, linger, recordDir, chat, maxFragment, ingestTimeout);
    }

    public LiveSettings withLinger(Duration l) {
        return new LiveSettings(publishToken, publishOpen, window, l, recordDir, chat, maxFragment, ingestTimeout);
    }

    public LiveSettings withRecordDir(Path dir) {
        return new LiveSettings(publishToken, publishOpen, window, linger, dir, chat, maxFragment, ingestTimeout);
    }

    public LiveSettings withChat(boolean on) {
        return new LiveSettings(publishToken, publishOpen, window, linger, recordDir, on, maxFragment, ingestTimeout);
    }

    public LiveSettings withMaxFragment(long bytes) {
        return new LiveSettings(publishToken, publishOpen, window, linger, recordDir, chat, bytes, ingestTimeout);
    }

    public LiveSettings withIngestTimeout(Duration t) {
        return new LiveSettings(publishToken, publishOpen, window, linger, recordDir, chat, maxFragment, t);
    }
}
