package dev.vod.internal.http;

import dev.vod.internal.metrics.VodMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.atomic.AtomicInteger;

/** What the body-writer tests share: stats with metrics off, a response head, a handler context to write from. */
final class WriterFixtures {
    private WriterFixtures() {
    }

    static TransferStats stats() {
        return new TransferStats(new VodMetrics(false, false, new AtomicInteger(), new java.util.concurrent.atomic.LongAdder()));
    }

    static HttpResponse head() {
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    }

    /** A context at the end of {@code channel}'s pipeline, as the vod handler's would be. */
    static ChannelHandlerContext context(EmbeddedChannel channel) {
        ChannelInboundHandlerAdapter anchor = new ChannelInboundHandlerAdapter();
        channel.pipeline().addLast("anchor", anchor);
        return channel.pipeline().context(anchor);
    }
}
