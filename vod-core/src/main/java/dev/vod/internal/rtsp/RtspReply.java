package dev.vod.internal.rtsp;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import java.nio.charset.StandardCharsets;

/**
 * Builds RTSP responses: status line, then {@code CSeq} and {@code Session} first (clients that read a response
 * line by line, as the seed's student client does, find them where they look), then the rest.
 */
final class RtspReply {
    static final String PUBLIC = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER";

    private RtspReply() {
    }

    static FullHttpResponse of(int status, String cseq, String body, String contentType) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0,
                RtspResponseStatuses.valueOf(status), Unpooled.wrappedBuffer(bytes));
        HttpHeaders headers = response.headers();
        if (cseq != null) {
            headers.set(RtspHeaders.CSEQ, cseq);
        }
        if (bytes.length > 0) {
            headers.set(RtspHeaders.CONTENT_TYPE, contentType);
        }
        headers.set(RtspHeaders.CONTENT_LENGTH, bytes.length);
        return response;
    }

    static FullHttpResponse ok(String cseq) {
        return of(200, cseq, null, null);
    }

    /** An error with a one-line plain-text explanation. */
    static FullHttpResponse error(int status, String cseq, String message) {
        return of(status, cseq, message == null ? null : message + "\n", "text/plain; charset=utf-8");
    }

    /** Adds the {@code Session} header right after {@code CSeq}; with {@code ;timeout=} unless the seed's client. */
    static FullHttpResponse withSession(FullHttpResponse response, RtspSession session, long timeoutSeconds) {
        HttpHeaders headers = response.headers();
        String cseq = headers.get(RtspHeaders.CSEQ);
        HttpHeaders rest = headers.copy();
        headers.clear();
        if (cseq != null) {
            headers.set(RtspHeaders.CSEQ, cseq);
        }
        headers.set(RtspHeaders.SESSION, session.seedSpelling ? session.id
                : session.id + ";timeout=" + timeoutSeconds);
        rest.remove(RtspHeaders.CSEQ);
        headers.add(rest);
        return response;
    }
}
