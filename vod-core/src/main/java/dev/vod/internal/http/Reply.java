package dev.vod.internal.http;

import dev.vod.internal.body.Body;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/**
 * A response decided but not yet written: status, headers, and the body a GET would carry.
 *
 * <p>{@code Content-Length} always describes {@code body}; {@code sendBody} is false for HEAD (and for 304), so a
 * HEAD answer has exactly the headers of the GET answer. {@code close} asks for the connection to be closed after
 * the response, e.g. after a malformed request whose framing can no longer be trusted.
 */
record Reply(HttpResponseStatus status, HttpHeaders headers, Body body, boolean sendBody, boolean close) {
    private static final io.netty.util.AsciiString X_CONTENT_TYPE_OPTIONS =
            io.netty.util.AsciiString.cached("x-content-type-options");

    /** Fresh headers without per-call validation: every value we set is built by us. */
    static HttpHeaders newHeaders() {
        return DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
    }

    /** A short plain-text error answer. */
    static Reply error(int status, String message, boolean close) {
        HttpResponseStatus s = HttpResponseStatus.valueOf(status);
        String text = s.code() + " " + s.reasonPhrase()
                + (message == null || message.isEmpty() || message.equals(s.reasonPhrase()) ? "" : ": " + message)
                + "\n";
        Body body = Body.of(new dev.vod.internal.body.Segment.Bytes(text.getBytes(StandardCharsets.UTF_8)));
        HttpHeaders headers = newHeaders();
        headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        headers.set(X_CONTENT_TYPE_OPTIONS, "nosniff");
        return new Reply(s, headers, body, true, close);
    }

    Reply withoutBody() {
        return new Reply(status, headers, body, false, close);
    }

    Reply closing() {
        return close ? this : new Reply(status, headers, body, sendBody, true);
    }
}
