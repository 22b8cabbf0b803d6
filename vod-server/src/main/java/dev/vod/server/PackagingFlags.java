package dev.vod.server;

import dev.vod.PackagingSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The launcher's flags for HLS/DASH/manifest.txt packaging, turned into {@link PackagingSettings}. */
final class PackagingFlags {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--segment-seconds", paramLabel = "SECONDS", defaultValue = "6",
            description = "Target duration of HLS/DASH segments; they start at key frames (default: ${DEFAULT-VALUE}).")
    private double segmentSeconds;

    @Option(names = "--no-packaging",
            description = "Do not package titles into HLS, DASH and manifest.txt (derived URLs answer 404).")
    private boolean noPackaging;

    PackagingSettings settings() {
        if (!(segmentSeconds >= 0.5 && segmentSeconds <= 60)) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--segment-seconds': must be between 0.5 and 60: " + segmentSeconds);
        }
        PackagingSettings settings = PackagingSettings.DEFAULTS.withSegmentSeconds(segmentSeconds);
        return noPackaging ? new PackagingSettings(false, segmentSeconds) : settings;
    }
}
