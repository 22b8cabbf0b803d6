package dev.vod;

import dev.vod.internal.http.ConnectionGate;
import dev.vod.internal.http.HeaderTimeoutHandler;
import dev.vod.internal.http.IdleTimeoutHandler;
import dev.vod.internal.http.RequestDecoder;
import dev.vod.internal.http.ResponseEncoder;
import dev.vod.internal.http.VodRuntime;
import dev.vod.internal.live.LiveHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Installs vod into Netty channels. Use it as a server's child handler to serve a whole port:
 *
 * <pre>{@code
 * new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
 *         .childHandler(new VodInitializer(VodConfig.builder().root(Path.of("content")).build()));
 * }</pre>
 *
 * or, in an application that already has its own HTTP pipeline, take one {@link #newHandler()} per channel and
 * put it after your {@code HttpServerCodec}. With {@link VodConfig.Builder#mountPath(String)} set, the handler
 * serves only requests under that prefix and passes every other request to your next handler:
 *
 * <pre>{@code
 * VodInitializer vod = new VodInitializer(VodConfig.builder().root(media).mountPath("/videos/").build());
 * // in your ChannelInitializer:
 * ch.pipeline().addLast(new HttpServerCodec(), vod.newHandler(), new MyAppHandler());
 * }</pre>
 *
 * <p>The pipeline installed by {@link #initChannel(Channel)} is: connection count (503 past
 * {@link VodConfig#maxConnections()}), header timeout (slow request headers get 408),
 * HTTP request decoder (request line ≤ 8 KiB, headers ≤ 16 KiB) and response encoder, idle timeout, then the
 * {@link VodHandler}. Handlers an application adds after it receive the requests outside the mount path and write
 * ordinary Netty response objects. One instance is shared by all channels; it holds the server-wide caches.
 */
@ChannelHandler.Sharable
public class VodInitializer extends ChannelInitializer<Channel> {
    /** Longest request line accepted; longer ones get 414. */
    public static final int MAX_REQUEST_LINE = 8 * 1024;
    /** Largest header block accepted; larger ones get 431. */
    public static final int MAX_HEADER_SIZE = 16 * 1024;

    private final VodRuntime runtime;

    /**
     * @throws UncheckedIOException     when the root directory does not exist or is not a directory
     * @throws IllegalArgumentException when a configured access rule is invalid
     */
    public VodInitializer(VodConfig config) {
        try {
            this.runtime = new VodRuntime(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** The configuration this initializer serves. */
    public VodConfig config() {
        return runtime.config();
    }

    /** A handler for one channel whose pipeline already decodes HTTP; never share it between channels. */
    public VodHandler newHandler() {
        return new VodHandler(runtime);
    }

    /** Adds the full vod pipeline (codec, timeouts, handler) to {@code pipeline}. */
    public void installInto(ChannelPipeline pipeline) {
        VodConfig config = runtime.config();
        pipeline.addLast("vod-connections", new ConnectionGate(runtime));
        pipeline.addLast("vod-header-timeout", new HeaderTimeoutHandler(config.headerTimeout().toMillis()));
        // Netty's request decoder, and an encoder that lets vod's pre-encoded responses through (ResponseEncoder).
        pipeline.addLast("vod-decoder", new RequestDecoder(MAX_REQUEST_LINE, MAX_HEADER_SIZE, 8192));
        pipeline.addLast("vod-encoder", new ResponseEncoder());
        pipeline.addLast("vod-idle", new IdleTimeoutHandler(config.idleTimeout().toMillis()));
        pipeline.addLast("vod", newHandler());
        if (runtime.live() != null) {
            pipeline.addLast("vod-live", LiveHandler.of(runtime.live()));
        }
    }

    @Override
    protected void initChannel(Channel ch) {
        installInto(ch.pipeline());
    }

    VodRuntime runtime() {
        return runtime;
    }

    Path realRoot() {
        return runtime.realRoot();
    }

    void checkRoot() {
        // The runtime resolved the real root at construction; nothing more to check.
    }

    int activeResponses() {
        return runtime.activeResponses().intValue();
    }

    /**
     * Closes the files kept open between requests (responses still in flight keep theirs) and writes out and
     * closes the access log when vod writes it itself ({@link AccessLogSettings.Target#FILE} or {@code STDOUT}).
     * Applications that put this initializer in their own server call it after their event loops have stopped;
     * {@link VodServer#close()} does it for its own. Idempotent.
     */
    public void close() {
        runtime.close();
    }
}
