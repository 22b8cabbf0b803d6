package dev.vod.internal.live;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * One viewer of {@code /live/NAME.mp4}: a never-ending fragmented MP4 (chunked) that starts with the init segment
 * and the fragments from the latest key frame, then gets each new fragment as it arrives. A viewer whose
 * connection is not writable when a fragment comes skips fragments until the next key frame — it falls back to
 * live instead of making the server buffer for it. The stream ends when the publisher does (or changes init).
 */
final class StreamViewer implements LiveRendition.Listener {
    private final ChannelHandlerContext ctx;
    private final LiveRendition rendition;
    private InitSegment init;
    private boolean awaitingKeyFrame;
    private boolean done;
    long skipped;

    StreamViewer(ChannelHandlerContext ctx, LiveRendition rendition) {
        this.ctx = ctx;
        this.rendition = rendition;
    }

    /** Writes the head, init and catch-up fragments, then listens; on the viewer's event loop. */
    void start(boolean head) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/mp4")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        if (head) {
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            ctx.write(response);
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        init = rendition.currentInit();
        ctx.write(response);
        ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(init.bytes())));
        List<ByteBuf> catchUp = rendition.join(this);
        for (ByteBuf b : catchUp) {
            ctx.write(new DefaultHttpContent(b));
        }
        ctx.flush();
        ctx.channel().closeFuture().addListener(f -> stop());
        if (!rendition.live()) {
            ended();
        }
    }

    @Override
    public void fragment(InitSegment of, ByteBuf fragment, boolean independent) {
        ctx.executor().execute(() -> deliver(of, fragment, independent));
    }

    private void deliver(InitSegment of, ByteBuf fragment, boolean independent) {
        if (done || of != init) {
            fragment.release();
            if (!done && of != init) {
                finish(); // a new publisher with another init: this stream cannot continue it
            }
            return;
        }
        if (!ctx.channel().isWritable() || (awaitingKeyFrame && !independent)) {
            fragment.release();
            skipped++;
            awaitingKeyFrame = true;
            return;
        }
        awaitingKeyFrame = false;
        ctx.writeAndFlush(new DefaultHttpContent(fragment));
    }

    @Override
    public void ended() {
        ctx.executor().execute(this::finish);
    }

    private void finish() {
        if (!done) {
            done = true;
            rendition.unlisten(this);
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void stop() {
        done = true;
        rendition.unlisten(this);
    }
}
