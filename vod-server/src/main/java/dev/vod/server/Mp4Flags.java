package dev.vod.server;

import dev.vod.VodConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The launcher's flags for MP4 seeking, virtual faststart and the parsed-index cache. */
final class Mp4Flags {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--mp4-seek", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Seek inside MP4 files by time, e.g. /a.mp4?start=30 (default: on).")
    private boolean mp4Seek;

    @Option(names = "--mp4-faststart",
            description = "Serve MP4 files whose moov is at the end with the moov moved to the front.")
    private boolean mp4Faststart;

    @Option(names = "--mp4-max-moov", paramLabel = "BYTES", defaultValue = "64MiB", converter = SizeConverter.class,
            description = "Largest MP4 moov box that will be parsed (default: ${DEFAULT-VALUE}).")
    private long mp4MaxMoov;

    @Option(names = "--mp4-cache-entries", paramLabel = "N", defaultValue = "256",
            description = "How many parsed MP4 indexes to keep in memory, 0 for none (default: ${DEFAULT-VALUE}).")
    private int mp4CacheEntries;

    /** Checks the values and sets them on {@code builder}. */
    void applyTo(VodConfig.Builder builder) {
        if (mp4MaxMoov <= 0) {
            throw bad("--mp4-max-moov", "must be greater than 0");
        }
        if (mp4CacheEntries < 0) {
            throw bad("--mp4-cache-entries", "must not be negative: " + mp4CacheEntries);
        }
        builder.mp4Seek(mp4Seek).mp4Faststart(mp4Faststart).mp4MaxMoov(mp4MaxMoov).mp4CacheEntries(mp4CacheEntries);
    }

    private ParameterException bad(String option, String reason) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + reason);
    }
}
