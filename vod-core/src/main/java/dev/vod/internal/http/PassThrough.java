package dev.vod.internal.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * A request outside the mount path, for the application's handler after vod, held with its content until every
 * response before it has been written: HTTP/1.1 answers pipelined requests in order, and the application would
 * otherwise answer ahead of a vod response still queued. Once forwarded, the rest of its content goes straight on.
 *
 * <p>Used on the channel's event loop only.
 */
final class PassThrough {
    private final List<Object> held = new ArrayList<>(2);
    private boolean forwarded;
    private boolean complete;
    private final HttpMethod method;

    PassThrough(HttpRequest request) {
        this.method = request.method();
        add(null, request);
    }

    /** The request's method: the response to a HEAD has no body, whatever its headers say. */
    HttpMethod method() {
        return method;
    }

    /** Adds the request's next message: held until {@link #forward}, passed on directly after it. */
    void add(ChannelHandlerContext ctx, Object msg) {
        complete |= msg instanceof LastHttpContent;
        if (forwarded) {
            ctx.fireChannelRead(msg);
        } else {
            held.add(msg);
        }
    }

    /** Its turn: hands what was held to the next handler. */
    void forward(ChannelHandlerContext ctx) {
        forwarded = true;
        for (Object msg : held) {
            ctx.fireChannelRead(msg);
        }
        held.clear();
    }

    /** Whether all of the request has been received. */
    boolean complete() {
        return complete;
    }

    /** Whether it is held with more of its body still to come (reading should pause so nothing piles up). */
    boolean waitingForBody() {
        return !forwarded && !complete;
    }

    /** Drops what is held (the connection closed first). */
    void release() {
        for (Object msg : held) {
            ReferenceCountUtil.release(msg);
        }
        held.clear();
    }
}
