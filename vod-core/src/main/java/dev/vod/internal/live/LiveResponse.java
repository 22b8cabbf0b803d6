package dev.vod.internal.live;

import dev.vod.internal.http.ResponseEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;

/**
 * A 200 answer to a viewer, made of parts that can be shared: the headers are read-only and also encoded once,
 * so one instance serves every viewer of a playlist version, and the body is a buffer or a file region retained
 * for this response. For example, a media playlist:
 *
 * <pre>
 * HTTP/1.1 200 OK
 * content-type: application/vnd.apple.mpegurl
 * cache-control: no-cache
 * content-length: 1042
 * access-control-allow-origin: *
 * </pre>
 *
 * Why: hundreds of viewers reload the same playlist every second or two and fetch the same segment; its head is
 * built and encoded once per playlist change or segment rather than once per request (a header map, its
 * validation, a few strings and the encoder's walk over them each time).
 *
 * @param headers     read-only; copied when a response needs more (a {@code Connection: close})
 * @param encodedHead the same headers with the status line, encoded ({@link ResponseEncoder#sharedHead}): write a
 *                    duplicate of it; never released
 * @param body        a {@link ByteBuf} or a {@link FileRegion}, owned by whoever writes (or releases) the response
 */
record LiveResponse(HttpHeaders headers, ByteBuf encodedHead, Object body) {
    /** The headers of a 200 with this type, cache policy and length. */
    static HttpHeaders headers(String type, String cache, long length) {
        return new ReadOnlyHttpHeaders(false, HttpHeaderNames.CONTENT_TYPE, type, HttpHeaderNames.CACHE_CONTROL,
                cache, HttpHeaderNames.CONTENT_LENGTH, Long.toString(length),
                HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }

    /** {@link #headers} encoded with a 200 status line, to be shared by every response that has them. */
    static ByteBuf encodedHead(String type, String cache, long length) {
        return ResponseEncoder.sharedHead(HttpResponseStatus.OK, headers(type, cache, length));
    }

    /** A shared response with {@code text} as its body in a new direct buffer (released by its owner). */
    static LiveResponse of(String type, String cache, byte[] text) {
        ByteBuf body = ByteBufAllocator.DEFAULT.directBuffer(text.length).writeBytes(text);
        HttpHeaders headers = headers(type, cache, text.length);
        return new LiveResponse(headers, ResponseEncoder.sharedHead(HttpResponseStatus.OK, headers), body);
    }

    /** The same headers with a retained duplicate of the (buffer) body, for one response. */
    LiveResponse retainedDuplicate() {
        return new LiveResponse(headers, encodedHead, ((ByteBuf) body).retainedDuplicate());
    }

    /** Bytes in the body. */
    long length() {
        return body instanceof ByteBuf b ? b.readableBytes() : ((FileRegion) body).count();
    }
}
