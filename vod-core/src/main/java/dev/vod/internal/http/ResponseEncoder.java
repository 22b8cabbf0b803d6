package dev.vod.internal.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * The response side of the pipeline vod installs. vod's own responses arrive already encoded: the head as one
 * buffer ({@link #encodeHead}), the body as buffers and file regions. They pass through untouched. Response objects
 * written by an application handler after vod (for requests outside the mount) are encoded as Netty's
 * {@code HttpResponseEncoder} does.
 *
 * <p>Why vod encodes its own heads: per small response, Netty's object encoder spent about a fifth of the server's
 * user CPU (measured with JFR on the 4 KiB, HEAD and 304 benchmarks); copying pre-encoded status lines and header
 * bytes into one buffer costs a fraction of that.
 *
 * <p>Like {@code HttpServerCodec}'s encoder, it must know when an application response answers a HEAD (no body
 * follows its Content-Length) or a CONNECT: {@link Exchanges} says so before handing each request on.
 */
public final class ResponseEncoder extends HttpResponseEncoder {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] COLON_SPACE = {':', ' '};
    /** Status lines of the registered statuses, encoded once: index [0] HTTP/1.0, [1] HTTP/1.1, then the code. */
    private static final byte[][][] STATUS_LINES = new byte[2][600][];
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[1024];
        }
    };

    static {
        for (int code = 100; code < 600; code++) {
            HttpResponseStatus status = HttpResponseStatus.valueOf(code);
            STATUS_LINES[0][code] = statusLine(HttpVersion.HTTP_1_0, status);
            STATUS_LINES[1][code] = statusLine(HttpVersion.HTTP_1_1, status);
        }
    }

    /** An application response (not vod's pre-encoded bytes) has started and its last content is still to come. */
    private boolean applicationMessageOpen;
    /** The method of the request the next application response answers; null when it is not known. */
    private HttpMethod answering;
    private HttpMethod method;

    /** The next application response answers a request with this method (HEAD: no body; CONNECT: tunnel). */
    void answering(HttpMethod requestMethod) {
        this.answering = requestMethod;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) throws Exception {
        // Between application messages, buffers and file regions are vod's own, already encoded.
        return msg instanceof HttpObject ? super.acceptOutboundMessage(msg) : applicationMessageOpen;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg == LastHttpContent.EMPTY_LAST_CONTENT && !applicationMessageOpen) {
            // The end of an application response written pre-encoded (a head from sharedHead, then its body):
            // nothing to encode, but the handlers before this one learn from it that the response is complete.
            ctx.write(Unpooled.EMPTY_BUFFER, promise);
            return;
        }
        boolean opens = msg instanceof HttpMessage && !(msg instanceof FullHttpMessage);
        boolean closes = msg instanceof LastHttpContent;
        super.write(ctx, msg, promise);
        if (opens) {
            applicationMessageOpen = true;
        } else if (closes) {
            applicationMessageOpen = false;
        }
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            // An interim response (100 Continue) does not answer the request; the final one still will.
            return super.isContentAlwaysEmpty(msg);
        }
        method = answering;
        answering = null;
        return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
    }

    @Override
    protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
        if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method)
                && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
            // A successful CONNECT answer opens a tunnel: it has no message body to frame (RFC 9110 §9.3.6).
            msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            return;
        }
        super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
    }

    /**
     * A head encoded once for many responses (a live playlist that hundreds of viewers reload): the HTTP/1.1
     * status line and {@code headers}, ending with the empty line, in a direct buffer that is never released (the
     * garbage collector frees it). Write a {@code duplicate()} of it per response, then the body, then
     * {@link LastHttpContent#EMPTY_LAST_CONTENT} so that vod knows the response is complete. Only for a pipeline
     * with this encoder (see {@link #installedIn}).
     */
    public static ByteBuf sharedHead(HttpResponseStatus status, HttpHeaders headers) {
        ByteBuf encoded = encodeHead(ByteBufAllocator.DEFAULT, HttpVersion.HTTP_1_1, status, headers, null,
                null, -1, null);
        try {
            ByteBuffer direct = ByteBuffer.allocateDirect(encoded.readableBytes());
            encoded.readBytes(direct);
            direct.flip();
            return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct));
        } finally {
            encoded.release();
        }
    }

    /** Whether responses written on {@code pipeline} pass through this encoder, so pre-encoded heads may be used. */
    public static boolean installedIn(ChannelPipeline pipeline) {
        return pipeline.get(ResponseEncoder.class) != null;
    }

    /**
     * The status line and header block of {@code head}, ending with the empty line, in one new buffer. Names and
     * values are written as Netty's encoder writes them: one byte per character (vod builds every value itself).
     */
    static ByteBuf encodeHead(ByteBufAllocator alloc, HttpResponse head) {
        return encodeHead(alloc, head.protocolVersion(), head.status(), head.headers(), null, null, -1, null);
    }

    /**
     * As {@link #encodeHead(ByteBufAllocator, HttpResponse)}, followed by the headers every vod response ends
     * with, written straight from their values rather than added to {@code headers} first: {@code date} and
     * {@code server} when not null, {@code content-length} when not negative, {@code connection} when not null.
     */
    static ByteBuf encodeHead(ByteBufAllocator alloc, HttpVersion version, HttpResponseStatus status,
                              HttpHeaders headers, AsciiString date, AsciiString server, long contentLength,
                              AsciiString connection) {
        byte[] out = SCRATCH.get();
        int code = status.code();
        boolean http10 = version == HttpVersion.HTTP_1_0;
        byte[] line = code >= 100 && code < 600 && status == HttpResponseStatus.valueOf(code)
                ? STATUS_LINES[http10 ? 0 : 1][code]
                : statusLine(http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1, status);
        System.arraycopy(line, 0, out, 0, line.length);
        int n = line.length;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            int needed = header.getKey().length() + header.getValue().length() + 4;
            if (n + needed > out.length) {
                out = grow(out, n + needed);
            }
            n = header(header.getKey(), header.getValue(), out, n);
        }
        if (n + 256 > out.length) {
            out = grow(out, n + 256); // room for the fixed headers below and the final line
        }
        if (date != null) {
            n = header(HttpHeaderNames.DATE, date, out, n);
        }
        if (server != null) {
            n = header(HttpHeaderNames.SERVER, server, out, n);
        }
        if (contentLength >= 0) {
            n = copy(HttpHeaderNames.CONTENT_LENGTH, out, n);
            out[n++] = COLON_SPACE[0];
            out[n++] = COLON_SPACE[1];
            n = digits(contentLength, out, n);
            out[n++] = CRLF[0];
            out[n++] = CRLF[1];
        }
        if (connection != null) {
            n = header(HttpHeaderNames.CONNECTION, connection, out, n);
        }
        out[n++] = CRLF[0];
        out[n++] = CRLF[1];
        return alloc.directBuffer(n).writeBytes(out, 0, n);
    }

    private static int header(CharSequence name, CharSequence value, byte[] out, int at) {
        at = copy(name, out, at);
        out[at++] = COLON_SPACE[0];
        out[at++] = COLON_SPACE[1];
        at = copy(value, out, at);
        out[at++] = CRLF[0];
        out[at++] = CRLF[1];
        return at;
    }

    /** Decimal digits of a non-negative number, without a String in between. */
    private static int digits(long value, byte[] out, int at) {
        int length = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            length++;
        }
        for (int i = at + length - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + length;
    }

    private static byte[] grow(byte[] out, int needed) {
        byte[] larger = java.util.Arrays.copyOf(out, Math.max(needed, out.length * 2));
        SCRATCH.set(larger);
        return larger;
    }

    private static int copy(CharSequence text, byte[] out, int at) {
        if (text instanceof AsciiString ascii) {
            System.arraycopy(ascii.array(), ascii.arrayOffset(), out, at, ascii.length());
            return at + ascii.length();
        }
        for (int i = 0, length = text.length(); i < length; i++) {
            out[at++] = AsciiString.c2b(text.charAt(i));
        }
        return at;
    }

    private static byte[] statusLine(HttpVersion version, HttpResponseStatus status) {
        return (version.text() + " " + status.code() + " " + status.reasonPhrase() + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}
