package dev.vod.internal.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of an RTSP connection. It splits the byte stream into whole RTSP requests, handed on to
 * Netty's RTSP decoder, and {@code $}-framed interleaved packets (RFC 2326 §10.12), handed on as
 * {@link InterleavedFrame}s — the two share one TCP stream, and the RTSP decoder alone would take a {@code $} for
 * the start of a request line.
 *
 * <p>Limits, with the answer a client gets: a request head over {@value #MAX_HEAD} bytes or a body over
 * {@value #MAX_BODY}, or a malformed {@code Content-Length}: 400 and the connection closed; a request not complete
 * within the request timeout: 408 and closed. Nothing is buffered beyond those bounds.
 *
 * <p>Its context is also the way out for interleaved RTP: packets written here skip the RTSP encoder.
 */
final class MessageSplitter extends ByteToMessageDecoder {
    static final int MAX_HEAD = 16 * 1024;
    static final int MAX_BODY = 64 * 1024;

    private final long requestTimeoutMillis;
    private ChannelHandlerContext context;
    private ScheduledFuture<?> timeout;
    private boolean failed;

    MessageSplitter(long requestTimeoutMillis) {
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    /** The context to write interleaved packets through (set once the handler is added). */
    ChannelHandlerContext context() {
        return context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.context = ctx;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.isReadable()) {
            int start = in.readerIndex();
            byte first = in.getByte(start);
            if (first == '$') {
                if (in.readableBytes() < 4) {
                    break;
                }
                int length = in.getUnsignedShort(start + 2);
                if (in.readableBytes() < 4 + length) {
                    break;
                }
                int channel = in.getUnsignedByte(start + 1);
                in.skipBytes(4);
                out.add(new InterleavedFrame(channel, in.readRetainedSlice(length)));
                continue;
            }
            if (first == '\r' || first == '\n') {
                in.skipBytes(1); // line ends between messages (RFC 2326 allows them before a request)
                continue;
            }
            int headEnd = headEnd(in, start, Math.min(in.writerIndex(), start + MAX_HEAD));
            if (headEnd < 0) {
                if (in.readableBytes() >= MAX_HEAD) {
                    fail(ctx, "Request head larger than " + MAX_HEAD + " bytes");
                    in.skipBytes(in.readableBytes());
                    return;
                }
                break;
            }
            long body = contentLength(in, start, headEnd);
            if (body < 0 || body > MAX_BODY) {
                fail(ctx, body < 0 ? "Malformed Content-Length" : "Request body larger than " + MAX_BODY + " bytes");
                in.skipBytes(in.readableBytes());
                return;
            }
            int total = headEnd - start + (int) body;
            if (in.readableBytes() < total) {
                break;
            }
            out.add(in.readRetainedSlice(total));
        }
        if (in.isReadable()) {
            armTimeout(ctx);
        } else {
            cancelTimeout();
        }
    }

    /** The index just past the blank line ending the head, or -1 when it is not in {@code [from, to)}. */
    private static int headEnd(ByteBuf in, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in.getByte(i) != '\n') {
                continue;
            }
            if (i + 1 < to && in.getByte(i + 1) == '\n') {
                return i + 2;
            }
            if (i + 2 < to && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /** The Content-Length the head declares (0 when none), or -1 when it is not a plain number. */
    private static long contentLength(ByteBuf in, int from, int to) {
        String head = in.toString(from, to - from, StandardCharsets.ISO_8859_1);
        long length = 0;
        for (String line : head.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                String value = line.substring(colon + 1).trim();
                if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
                    return -1;
                }
                length = Long.parseLong(value);
            }
        }
        return length;
    }

    private void armTimeout(ChannelHandlerContext ctx) {
        if (timeout == null) {
            timeout = ctx.executor().schedule(() -> {
                timeout = null;
                respondAndClose(ctx, "408 Request Timeout", "Request not complete within "
                        + requestTimeoutMillis / 1000 + " s");
            }, requestTimeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        failed = true;
        cancelTimeout();
        respondAndClose(ctx, "400 Bad Request", why);
    }

    /** A response written below the RTSP encoder (there is no decoded request to answer). */
    private void respondAndClose(ChannelHandlerContext ctx, String status, String why) {
        failed = true;
        byte[] body = (why + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "RTSP/1.0 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.length + "\r\n\r\n";
        ByteBuf out = Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body);
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimeout();
    }
}
