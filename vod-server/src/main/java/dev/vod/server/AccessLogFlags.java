package dev.vod.server;

import dev.vod.AccessLogSettings;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The launcher's access-log flags, turned into {@link AccessLogSettings}. The launcher always has vod write the
 * log itself (batched, off the request path, drops counted): stdout by default, so that a service manager or a
 * container runtime collects it like any other output.
 */
final class AccessLogFlags {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--access-log", paramLabel = "FILE|-|off", defaultValue = "-",
            description = "Where the access log goes: a file (appended to, reopened when rotated away), '-' for "
                    + "stdout, or 'off' (default: ${DEFAULT-VALUE}).")
    private String target;

    @Option(names = "--access-log-format", paramLabel = "vod|combined", defaultValue = "vod",
            description = "vod's fields (times, rate, Range, User-Agent) or the Apache/nginx 'combined' format "
                    + "(default: ${DEFAULT-VALUE}).")
    private String format;

    AccessLogSettings settings() {
        AccessLogSettings.Format lineFormat = switch (format) {
            case "vod" -> AccessLogSettings.Format.VOD;
            case "combined" -> AccessLogSettings.Format.COMBINED;
            default -> throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--access-log-format': must be vod or combined: " + format);
        };
        AccessLogSettings settings = switch (target) {
            case "-" -> AccessLogSettings.stdout();
            case "off" -> AccessLogSettings.OFF;
            case "" -> throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--access-log': must be a file, '-' or 'off'");
            default -> AccessLogSettings.file(Path.of(target));
        };
        return settings.withFormat(lineFormat);
    }
}
