package dev.vod.testing;

import dev.vod.ContentSource;
import dev.vod.SliceCacheSettings;
import dev.vod.SourceSettings;
import dev.vod.VodConfig;
import dev.vod.VodServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real {@link VodServer} on an ephemeral loopback port over a fresh {@link Fixtures} root, once per test
 * class. Register as a static field with {@code @RegisterExtension}.
 *
 * <p>With the system property {@value #SOURCE_PROPERTY}{@code =s3} the same tests run against a content store: the
 * server reads its content over S3 from an in-process S3 server ({@link S3Fixture}, one per JVM), through its slice
 * cache (64 KiB slices, so the fixtures span several), asking the store on every request (revalidation 0). The
 * bucket prefix is kept equal to {@link #root()} ({@link MirroredStore}), so tests still create, change and read
 * files there as on disk. The build runs the
 * behaviour suites once each way (the {@code store-conformance} execution in {@code vod-core/pom.xml}).
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

    /** How the names of the slice cache folders of a run on a store begin. */
    public static final String SLICE_FOLDER_PREFIX = "vod-slices";

    /** {@code s3}: serve the fixtures from an S3 server instead of the local folder. */
    public static final String SOURCE_PROPERTY = "vod.test.source";
    private static final AtomicInteger prefixes = new AtomicInteger();
    private static S3Fixture sharedStore;

    /** Whether this run serves the fixtures from a content store ({@value #SOURCE_PROPERTY}{@code =s3}). */
    public static boolean onStore() {
        return "s3".equals(System.getProperty(SOURCE_PROPERTY));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        VodConfig.Builder builder = VodConfig.builder().host("127.0.0.1").port(0)
                .shutdownGrace(java.time.Duration.ZERO);
        root = Fixtures.create(Files.createTempDirectory("vod-root"));
        servingRoot(builder, root);
        server = customizer.apply(builder).buildServer();
        address = server.start();
    }

    /**
     * Serves {@code root}: from disk, or when {@linkplain #onStore() on a store} through the shared S3 server with
     * the bucket kept equal to it. For tests that build their own server (a TLS pipeline, say).
     */
    public static VodConfig.Builder servingRoot(VodConfig.Builder builder, Path root) throws IOException {
        builder.root(root);
        if (onStore()) {
            String prefix = "suite" + prefixes.incrementAndGet() + "/";
            builder.source(SourceSettings.of(new MirroredStore(sharedStore(), prefix, root),
                    SliceCacheSettings.in(Files.createTempDirectory(SLICE_FOLDER_PREFIX)).withSliceBytes(64 * 1024)
                            .withRevalidate(java.time.Duration.ZERO)));
        }
        return builder;
    }

    private static synchronized S3Fixture sharedStore() {
        if (sharedStore == null) {
            try {
                sharedStore = new S3Fixture().start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the S3 server for " + SOURCE_PROPERTY + "=s3", e);
            }
            // One per JVM, for every class of the run; it goes with the JVM.
        }
        return sharedStore;
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
