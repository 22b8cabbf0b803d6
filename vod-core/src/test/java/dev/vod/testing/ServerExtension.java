package dev.vod.testing;

import dev.vod.VodConfig;
import dev.vod.VodServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real {@link VodServer} on an ephemeral loopback port over a fresh {@link Fixtures} root, once per test
 * class. Register as a static field with {@code @RegisterExtension}.
 */
public final class ServerExtension implements BeforeAllCallback, AfterAllCallback {
    private final UnaryOperator<VodConfig.Builder> customizer;
    private VodServer server;
    private InetSocketAddress address;
    private Path root;

    public ServerExtension() {
        this(b -> b);
    }

    public ServerExtension(UnaryOperator<VodConfig.Builder> customizer) {
        this.customizer = customizer;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        root = Fixtures.create(Files.createTempDirectory("vod-root"));
        server = customizer.apply(VodConfig.builder().root(root).host("127.0.0.1").port(0)
                .shutdownGrace(java.time.Duration.ZERO)).buildServer();
        address = server.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + address.getPort() + path;
    }

    public Path root() {
        return root;
    }

    public VodServer server() {
        return server;
    }

    public long size(String name) {
        try {
            return Files.size(root.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
