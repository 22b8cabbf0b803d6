package dev.vod;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Placeholder: replaced by the real request handler. */
public class VodHandler extends ChannelInboundHandlerAdapter {
    private final VodConfig config;

    public VodHandler(VodConfig config) {
        this.config = config;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.fireChannelRead(msg);
    }

    VodConfig config() {
        return config;
    }
}
