package dev.vod.internal.http;

import dev.vod.VodConfig;
import dev.vod.internal.body.Body;
import dev.vod.internal.metrics.VodMetrics;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The server's own endpoints, answered before any file is looked up: Prometheus metrics at
 * {@link VodConfig#metricsPath()} and the JSON status at {@link VodConfig#statusPath()}. Both are exact paths,
 * matched against the request path as sent (outside any mount path), GET and HEAD only.
 *
 * <pre>
 * GET /status HTTP/1.1        HTTP/1.1 200 OK
 *                              Content-Type: application/json
 *                              {"uptimeSeconds":12.041,"activeConnections":3,"activeTransfers":2,
 *                               "bytesPerSecond10s":1250000,"pacedRate":262144}
 * </pre>
 */
final class Endpoints {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final String metricsPath;
    private final String statusPath;
    private final VodMetrics metrics;

    Endpoints(VodConfig config, VodMetrics metrics) {
        this.metricsPath = config.metricsPath();
        this.statusPath = config.statusPath();
        this.metrics = metrics;
    }

    /** Whether {@code rawPath} (the path as sent, without the query) names one of our endpoints. */
    boolean matches(String rawPath) {
        return rawPath.equals(metricsPath) || rawPath.equals(statusPath);
    }

    /** Whether any endpoint is on; when not, requests skip the check entirely. */
    boolean any() {
        return metricsPath != null || statusPath != null;
    }

    Reply reply(HttpRequest request, String rawPath) {
        HttpMethod method = request.method();
        boolean head = HttpMethod.HEAD.equals(method);
        if (!head && !HttpMethod.GET.equals(method)) {
            Reply reply = Reply.error(405, method.name() + " is not allowed", false);
            reply.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return reply;
        }
        boolean isMetrics = rawPath.equals(metricsPath);
        String text = isMetrics ? metrics.scrape() : metrics.statusJson();
        HttpHeaders headers = Reply.newHeaders();
        headers.set(HttpHeaderNames.CONTENT_TYPE, isMetrics ? PROMETHEUS_TEXT : "application/json");
        headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return new Reply(HttpResponseStatus.OK, headers, Body.ofText(text), !head, false);
    }
}
