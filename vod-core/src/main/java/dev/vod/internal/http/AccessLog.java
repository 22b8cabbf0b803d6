package dev.vod.internal.http;

import io.netty.handler.codec.http.HttpRequest;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per response on the {@code vod.access} logger: remote address, method, target, status, body bytes
 * sent, time to first byte and total time in milliseconds, average throughput, and {@code aborted} when the
 * client went away before the end. Example:
 *
 * <pre>
 * 127.0.0.1:51234 GET /sample.mp4 206 65536 ttfb=0.4ms total=1.2ms rate=53.3MB/s
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
        access.info("{} {} {} {} {} ttfb={}ms total={}ms rate={}MB/s{}", remote, request.method(), request.uri(),
                status, stats.bytesSent, millis(ttfbNanos), millis(totalNanos), String.format("%.1f", mbPerSecond),
                aborted ? " aborted" : "");
    }

    private static String millis(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }
}
