package dev.vod.server;

import dev.vod.LiveSettings;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The launcher's flags for live channels, turned into {@link LiveSettings}; live is off without a token or open. */
final class LiveFlags {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--publish-token", paramLabel = "TOKEN",
            description = "Allow publishing live channels with this token (Authorization: Bearer TOKEN or ?token=).")
    private String publishToken;

    @Option(names = "--publish-open",
            description = "Allow anyone to publish live channels, without a token (trusted networks only).")
    private boolean publishOpen;

    @Option(names = "--live-window", paramLabel = "SECONDS", defaultValue = "30",
            converter = FlagConverters.Seconds.class,
            description = "Seconds of each live rendition kept in memory and in its playlist (default: ${DEFAULT-VALUE}).")
    private Duration window;

    @Option(names = "--live-linger", paramLabel = "SECONDS", defaultValue = "60",
            converter = FlagConverters.Seconds.class,
            description = "How long an ended channel keeps its playlist before 404 (default: ${DEFAULT-VALUE}).")
    private Duration linger;

    @Option(names = "--live-record", paramLabel = "DIR",
            description = "Record every publish into DIR as an MP4 (a VOD file once the publish ends).")
    private Path recordDir;

    @Option(names = "--live-chat", description = "Open the chat of live channels (WebSocket at /live/NAME/chat).")
    private boolean chat;

    @Option(names = "--live-max-fragment", paramLabel = "BYTES", defaultValue = "16MiB",
            converter = SizeConverter.class,
            description = "Largest fragment a publisher may send (default: ${DEFAULT-VALUE}).")
    private long maxFragment;

    LiveSettings settings() {
        if (publishToken == null && !publishOpen) {
            return LiveSettings.OFF;
        }
        if (publishToken != null && publishToken.isBlank()) {
            throw bad("--publish-token", "must not be blank");
        }
        if (window.toSeconds() < 4 || window.toSeconds() > 3600) {
            throw bad("--live-window", "must be 4 to 3600 seconds: " + window.toSeconds());
        }
        if (linger.toSeconds() > 86400) {
            throw bad("--live-linger", "must be at most 86400 seconds");
        }
        if (maxFragment < 64 * 1024 || maxFragment > (256L << 20)) {
            throw bad("--live-max-fragment", "must be 64KiB to 256MiB");
        }
        return new LiveSettings(publishToken, publishOpen, window, linger, recordDir, chat, maxFragment,
                LiveSettings.OFF.ingestTimeout());
    }

    private ParameterException bad(String option, String reason) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + reason);
    }
}
