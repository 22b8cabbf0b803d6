package dev.vod.internal.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * The head of a response: the reply's status and headers plus the ones every vod response carries — {@code Date},
 * {@code Server}, {@code Content-Length} (except on 304) and {@code Connection} when the connection closes, or
 * stays open on HTTP/1.0. The version answered is HTTP/1.0 for 1.0 requests, HTTP/1.1 otherwise.
 */
final class ResponseHeads {
    private static final AsciiString SERVER = AsciiString.cached("vod");

    private ResponseHeads() {
    }

    /**
     * The head for {@link BodyWriter}: bytes encoded at once when vod's own {@link ResponseEncoder} is in the
     * pipeline ({@code preEncoded}), else a response object for the application's codec.
     */
    static Object head(ChannelHandlerContext ctx, boolean preEncoded, HttpRequest request, Reply reply,
                       boolean keepAlive) {
        if (!preEncoded) {
            return responseObject(request, reply, keepAlive);
        }
        HttpVersion version = version(request);
        return ResponseEncoder.encodeHead(ctx.alloc(), version, reply.status(), reply.headers(),
                HttpDates.nowAscii(), SERVER, contentLength(reply), connection(version, keepAlive));
    }

    /** The head as a Netty response object, its headers being the reply's with vod's own added. */
    static DefaultHttpResponse responseObject(HttpRequest request, Reply reply, boolean keepAlive) {
        HttpVersion version = version(request);
        HttpHeaders headers = reply.headers();
        headers.set(HttpHeaderNames.DATE, HttpDates.nowAscii());
        headers.set(HttpHeaderNames.SERVER, SERVER);
        long length = contentLength(reply);
        if (length >= 0) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(length)); // no boxed Long
        }
        AsciiString connection = connection(version, keepAlive);
        if (connection != null) {
            headers.set(HttpHeaderNames.CONNECTION, connection);
        }
        return new DefaultHttpResponse(version, reply.status(), headers);
    }

    private static HttpVersion version(HttpRequest request) {
        return request.protocolVersion().majorVersion() == 1 && request.protocolVersion().minorVersion() == 0
                ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
    }

    /** The body length to announce, -1 for none: a 304 has no body and no Content-Length of its own. */
    private static long contentLength(Reply reply) {
        return reply.status().code() == HttpResponseStatus.NOT_MODIFIED.code() ? -1 : reply.body().length();
    }

    private static AsciiString connection(HttpVersion version, boolean keepAlive) {
        if (!keepAlive) {
            return HttpHeaderValues.CLOSE;
        }
        return version == HttpVersion.HTTP_1_0 ? HttpHeaderValues.KEEP_ALIVE : null;
    }
}
