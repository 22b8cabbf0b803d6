package dev.vod.internal.http;

import dev.vod.AccessLogSettings;
import dev.vod.internal.accesslog.AccessLines;
import dev.vod.internal.accesslog.AccessLogWriter;
import dev.vod.internal.metrics.VodMetrics;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per response, built by {@link AccessLines} in the configured format and sent where
 * {@link AccessLogSettings} says: the SLF4J logger {@code vod.access} (one preformatted INFO message), or vod's own
 * {@link AccessLogWriter} for a file or standard output. Fields (vod's format): remote address, method, target,
 * status, body bytes sent, time to first byte and total time in milliseconds, average throughput, the rate limit
 * when the body was paced ({@code paced=<rule>:<bytes/s>B/s}, rule {@code limit}, {@code pace}, {@code policy} or
 * {@code cap} for the global cap alone), {@code aborted} when the client went away before the end, and the
 * request's {@code Range} and {@code User-Agent}:
 *
 * <pre>
 * 127.0.0.1:51234 GET /sample.mp4 206 65536 ttfb=0.4ms total=1.2ms rate=53.3MB/s range="bytes=0-65535" ua="curl/8.5.0"
 * 127.0.0.1:51240 GET /sample.mp4 200 1053677 ttfb=0.5ms total=8012.4ms rate=0.1MB/s paced=limit:131072B/s
 * </pre>
 *
 * <p>When the log is off — target {@code OFF}, or target {@code LOGGER} with {@code vod.access} below INFO — no
 * line is built: not even the clock is read. "First byte" is when the response head was handed to the socket,
 * which for vod is also when the body starts, since everything is queued at once.
 */
final class AccessLog {
    private static final Logger access = LoggerFactory.getLogger("vod.access");

    private final AccessLogSettings settings;
    private final AccessLines lines = new AccessLines(ZoneId.systemDefault());
    /** vod's own writer for FILE and STDOUT, else null. */
    private final AccessLogWriter writer;
    private final boolean combined;
    /** Lines built: lets a test see that none is built while the log is off. */
    private final LongAdder built = new LongAdder();

    AccessLog(AccessLogSettings settings, VodMetrics metrics) {
        this.settings = settings;
        this.combined = settings.format() == AccessLogSettings.Format.COMBINED;
        this.writer = switch (settings.target()) {
            case FILE -> openFile(settings);
            case STDOUT -> AccessLogWriter.toStream(System.out, "stdout", settings.queueLines());
            case LOGGER, OFF -> null;
        };
        if (writer != null) {
            metrics.accessLogDrops(writer.droppedCounter());
        }
    }

    private static AccessLogWriter openFile(AccessLogSettings settings) {
        try {
            return AccessLogWriter.toFile(settings.file(), settings.queueLines());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the access log " + settings.file() + ": " + e, e);
        }
    }

    /** Whether a line would be written now (the logger's level is read each time: it can change at run time). */
    /**
     * A client's address as the access log writes it, formatted once per connection.
     *
     * @param host the IP address, or the channel's own description (an embedded or local channel)
     * @param port the port, or -1
     */
    record Remote(String host, int port) {
        static Remote of(java.net.SocketAddress remote) {
            if (remote instanceof java.net.InetSocketAddress inet && inet.getAddress() != null) {
                return new Remote(inet.getAddress().getHostAddress(), inet.getPort());
            }
            return new Remote(String.valueOf(remote), -1);
        }
    }

    boolean on() {
        return switch (settings.target()) {
            case LOGGER -> access.isInfoEnabled();
            case OFF -> false;
            case FILE, STDOUT -> true;
        };
    }

    void log(String host, int port, HttpRequest request, int status, TransferStats stats, boolean aborted) {
        if (!on()) {
            return;
        }
        long end = System.nanoTime();
        HttpHeaders headers = request.headers();
        AccessLines.Entry entry = new AccessLines.Entry(host, port, request.method().name(), request.uri(),
                request.protocolVersion().text(), status, stats.bytesSent,
                (stats.firstByteNanos < 0 ? end : stats.firstByteNanos) - stats.startNanos, end - stats.startNanos,
                paced(stats), aborted, headers.get(HttpHeaderNames.RANGE), headers.get(HttpHeaderNames.USER_AGENT),
                combined ? headers.get(HttpHeaderNames.REFERER) : null, System.currentTimeMillis());
        String line = combined ? lines.combined(entry) : lines.vod(entry, writer != null);
        built.increment();
        if (writer != null) {
            writer.offer(line);
        } else {
            access.info(line);
        }
    }

    /** Lines built so far. */
    long built() {
        return built.sum();
    }

    /** Lines dropped by vod's writer because its output could not keep up (0 for the logger target). */
    long dropped() {
        return writer == null ? 0 : writer.dropped();
    }

    /** Writes out every queued line and closes the file; call once no response can finish any more. */
    void close() {
        if (writer != null) {
            writer.close();
        }
    }

    /** {@code "limit:1048576B/s"}, {@code "pace:..."}, {@code "cap:..."}, or null. */
    private static String paced(TransferStats stats) {
        if (stats.rate.limited()) {
            return stats.rate.reason() + ":" + stats.rate.bytesPerSecond() + "B/s";
        }
        return stats.globalCap > 0 ? "cap:" + stats.globalCap + "B/s" : null;
    }
}
