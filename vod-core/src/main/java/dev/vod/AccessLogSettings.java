package dev.vod;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the access log goes (one line per response) and in which format. See the README's "Logging" section.
 *
 * <pre>
 * VodConfig.builder().root(media).accessLog(AccessLogSettings.file(Path.of("/var/log/vod/access.log"))
 *         .withFormat(AccessLogSettings.Format.COMBINED)).build();
 * </pre>
 *
 * <ul>
 *   <li>{@link Target#LOGGER} (the default): each line is one preformatted INFO message on the SLF4J logger
 *       {@code vod.access}, for the application's own backend to route; no line is built while that logger is
 *       off.</li>
 *   <li>{@link Target#FILE} and {@link Target#STDOUT}: vod writes the lines itself, asynchronously and in
 *       batches (up to 64 KiB per {@code write}, at least once a second), from a queue of at most
 *       {@code queueLines} lines. When the output cannot keep up the queue fills and further lines are dropped,
 *       counted ({@code vod_access_log_dropped_total}) and reported by a WARN on {@code vod.server}: requests
 *       never wait for the log. {@link VodServer#close()} writes every queued line before it returns. A file
 *       that is moved or deleted (log rotation) is reopened under its name within a second.</li>
 *   <li>{@link Target#OFF}: nothing is built or written.</li>
 * </ul>
 *
 * @param target     where lines go
 * @param file       the file for {@link Target#FILE}, {@code null} otherwise
 * @param format     {@link Format#VOD} (vod's own fields) or {@link Format#COMBINED} (Apache/nginx combined)
 * @param queueLines most lines waiting to be written before new ones are dropped (FILE and STDOUT only)
 */
public record AccessLogSettings(Target target, Path file, Format format, int queueLines) {
    /** Queue length of the FILE and STDOUT targets: about a second of a busy server's lines. */
    public static final int DEFAULT_QUEUE_LINES = 32_768;
    /** Lines go to the SLF4J logger {@code vod.access}, in vod's format. */
    public static final AccessLogSettings DEFAULTS =
            new AccessLogSettings(Target.LOGGER, null, Format.VOD, DEFAULT_QUEUE_LINES);
    /** No access log at all. */
    public static final AccessLogSettings OFF =
            new AccessLogSettings(Target.OFF, null, Format.VOD, DEFAULT_QUEUE_LINES);

    /** Where access-log lines go. */
    public enum Target {
        /** The SLF4J logger {@code vod.access}, at INFO. */
        LOGGER,
        /** A file, written by vod (appended to; created when missing). */
        FILE,
        /** The process's standard output, written by vod. */
        STDOUT,
        /** Nowhere. */
        OFF
    }

    /** The fields of a line. */
    public enum Format {
        /**
         * vod's own: {@code 2026-12-01T22:45:19.353+00:00 127.0.0.1:51234 GET /a.mp4 206 65536 ttfb=0.4ms
         * total=1.2ms rate=53.3MB/s range="bytes=0-65535" ua="curl/8.5.0"} (the time only when vod writes the
         * line itself: a logging backend adds its own).
         */
        VOD,
        /**
         * Apache/nginx combined, {@code %h - - [%t] "%r" %>s %b "%{Referer}i" "%{User-Agent}i"}, which GoAccess,
         * AWStats and log pipelines parse as it is.
         */
        COMBINED
    }

    public AccessLogSettings {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(format, "format");
        if ((target == Target.FILE) != (file != null)) {
            throw new IllegalArgumentException("a file is needed for target FILE, and only for it");
        }
        if (queueLines < 1) {
            throw new IllegalArgumentException("queueLines must be at least 1: " + queueLines);
        }
    }

    /** Lines appended to {@code file} by vod, in vod's format. */
    public static AccessLogSettings file(Path file) {
        return new AccessLogSettings(Target.FILE, Objects.requireNonNull(file, "file"), Format.VOD,
                DEFAULT_QUEUE_LINES);
    }

    /** Lines written to standard output by vod, in vod's format. */
    public static AccessLogSettings stdout() {
        return new AccessLogSettings(Target.STDOUT, null, Format.VOD, DEFAULT_QUEUE_LINES);
    }

    /** These settings with another line format. */
    public AccessLogSettings withFormat(Format format) {
        return new AccessLogSettings(target, file, format, queueLines);
    }

    /** These settings with another queue length (FILE and STDOUT targets). */
    public AccessLogSettings withQueueLines(int lines) {
        return new AccessLogSettings(target, file, format, lines);
    }
}
