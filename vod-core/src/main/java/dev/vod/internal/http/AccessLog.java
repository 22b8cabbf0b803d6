package dev.vod.internal.http;

import io.netty.handler.codec.http.HttpRequest;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per response on the {@code vod.access} logger: remote address, method, target, status, body bytes
 * sent, time to first byte and total time in milliseconds, average throughput, the rate limit when the body was
 * paced ({@code paced=<rule>:<bytes/s>B/s}, rule {@code limit}, {@code pace}, {@code policy} or {@code cap} for
 * the global cap alone), and {@code aborted} when the client went away before the end. Example:
 *
 * <pre>
 * 127.0.0.1:51234 GET /sample.mp4 206 65536 ttfb=0.4ms total=1.2ms rate=53.3MB/s
 * 127.0.0.1:51240 GET /sample.mp4 200 1053677 ttfb=0.5ms total=8012.4ms rate=0.1MB/s paced=limit:131072B/s
 * </pre>
 *
 * <p>"First byte" is when the response head was handed to the socket, which for vod is also when the body
 * starts, since everything is queued at once.
 */
final class AccessLog {
    private static final Logger access = LoggerFactory.getLogger("vod.access");

    void log(SocketAddress remote, HttpRequest request, int status, TransferStats stats, boolean aborted) {
        if (!access.isInfoEnabled()) {
            return;
        }
        long end = System.nanoTime();
        long totalNanos = end - stats.startNanos;
        long ttfbNanos = (stats.firstByteNanos < 0 ? end : stats.firstByteNanos) - stats.startNanos;
        double mbPerSecond = totalNanos > 0 ? stats.bytesSent / (totalNanos / 1e9) / 1e6 : 0;
        access.info("{} {} {} {} {} ttfb={}ms total={}ms rate={}MB/s{}{}", remote, request.method(),
                request.uri(), status, stats.bytesSent, millis(ttfbNanos), millis(totalNanos),
                tenths(mbPerSecond), paced(stats), aborted ? " aborted" : "");
    }

    /** {@code " paced=limit:1048576B/s"}, {@code " paced=pace:..."}, {@code " paced=cap:..."}, or nothing. */
    private static String paced(TransferStats stats) {
        if (stats.rate.limited()) {
            return " paced=" + stats.rate.reason() + ":" + stats.rate.bytesPerSecond() + "B/s";
        }
        return stats.globalCap > 0 ? " paced=cap:" + stats.globalCap + "B/s" : "";
    }

    private static String millis(long nanos) {
        return tenths(nanos / 1e6);
    }

    /**
     * {@code value} rounded to one decimal, e.g. {@code 53.3}. Not {@code String.format}: with the log on, its
     * parsing and locale lookups were a sixth of the server's CPU per small request (JFR).
     */
    static String tenths(double value) {
        if (!(value >= 0) || value >= Long.MAX_VALUE / 10.0) {
            return String.format(java.util.Locale.ROOT, "%.1f", value); // NaN, negative or huge: never on the hot path
        }
        long tenths = Math.round(value * 10);
        return (tenths / 10) + "." + (tenths % 10);
    }
}
