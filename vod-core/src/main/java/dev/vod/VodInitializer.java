package dev.vod;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Placeholder: replaced by the real pipeline initialiser. */
public class VodInitializer extends ChannelInitializer<Channel> {
    private final VodConfig config;
    private final AtomicInteger active = new AtomicInteger();

    public VodInitializer(VodConfig config) {
        this.config = config;
    }

    void checkRoot() throws IOException {
        if (!Files.isDirectory(config.root())) {
            throw new IOException("root is not a directory: " + config.root());
        }
    }

    Path realRoot() throws IOException {
        return config.root().toRealPath();
    }

    int activeResponses() {
        return active.get();
    }

    void close() {
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new HttpServerCodec(), new VodHandler(config));
    }
}
