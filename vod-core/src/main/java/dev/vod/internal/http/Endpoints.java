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
 * {@link VodConfig#metricsPath()}, the JSON status at {@link VodConfig#statusPath()} and the health check at
 * {@link dev.vod.SourceSettings#healthPath()} (200 or 503). All are exact paths,
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
    private final String healthPath;
    private final VodMetrics metrics;
    private final java.util.function.BooleanSupplier healthy;

    Endpoints(VodConfig config, VodMetrics metrics, java.util.function.BooleanSupplier healthy) {
        this.metricsPath = config.metricsPath();
        this.statusPath = config.statusPath();
        this.healthPath = config.source().healthPath();
        this.metrics = metrics;
        this.healthy = healthy;
    }

    /** Whether {@code rawPath} (the path as sent, without the query) names one of our endpoints. */
    boolean matches(String rawPath) {
        return rawPath.equals(metricsPath) || rawPath.equals(statusPath) || rawPath.equals(healthPath);
    }

    /** Whether any endpoint is on; when not, requests skip the check entirely. */
    boolean any() {
        return metricsPath != null || statusPath != null || healthPath != null;
    }

    Reply reply(HttpRequest request, String rawPath) {
        HttpMethod method = request.method();
        boolean head = HttpMethod.HEAD.equals(method);
        if (!head && !HttpMethod.GET.equals(method)) {
            Reply reply = Reply.error(405, method.name() + " is not allowed", false);
            reply.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return reply;
        }
        if (rawPath.equals(healthPath)) {
            return health(head);
        }
        boolean isMetrics = rawPath.equals(metricsPath);
        String text = isMetrics ? metrics.scrape() : metrics.statusJson();
        HttpHeaders headers = Reply.newHeaders();
        headers.set(HttpHeaderNames.CONTENT_TYPE, isMetrics ? PROMETHEUS_TEXT : "application/json");
        headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return new Reply(HttpResponseStatus.OK, headers, Body.ofText(text), !head, false);
    }

    /** 200 while the content can be read, 503 when not: what a load balancer's health check asks. */
    private Reply health(boolean head) {
        boolean ok = healthy.getAsBoolean();
        HttpHeaders headers = Reply.newHeaders();
        headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return new Reply(ok ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, headers,
                Body.ofText(ok ? "ok\n" : "content source unreachable\n"), !head, false);
    }
}
