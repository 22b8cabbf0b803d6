package dev.vod.internal.http;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * The request side of the pipeline vod installs: Netty's {@code HttpRequestDecoder}, plus the one rule
 * {@code HttpServerCodec} adds to it. A request framed by both {@code Transfer-Encoding: chunked} and
 * {@code Content-Length} is read as chunked, and the connection is closed after its response (RFC 9112 §6.3: the
 * two framings are a request-smuggling sign). The limit on unanswered pipelined requests is kept by
 * {@link Exchanges}, which sees every request and response.
 */
public final class RequestDecoder extends HttpRequestDecoder {
    public RequestDecoder(int maxRequestLine, int maxHeaderSize, int maxChunkSize) {
        super(new HttpDecoderConfig().setMaxInitialLineLength(maxRequestLine).setMaxHeaderSize(maxHeaderSize)
                .setMaxChunkSize(maxChunkSize));
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        message.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
}
