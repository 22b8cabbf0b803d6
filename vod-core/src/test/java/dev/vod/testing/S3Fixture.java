package dev.vod.testing;

import dev.vod.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.S3ProxyConstants;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.FilesystemApiMetadata;
import org.jclouds.filesystem.reference.FilesystemConstants;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3 server in this JVM: S3Proxy (Jetty 11) on an ephemeral loopback port over jclouds' {@code filesystem}
 * store in a temporary folder, checking AWS signatures (V2 or V4) against one access key, with one empty bucket.
 * Once per test class as a static field:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final S3Fixture s3 = new S3Fixture();
 *
 * s3.put("films/a.mp4", Path.of("a.mp4"));
 * try (ContentSource source = ContentSource.s3(s3.settings("films/"))) { ... }
 * </pre>
 *
 * <p>Credentials reach vod the way they do in production, through the AWS SDK's default chain, without touching
 * the real environment: the chain reads the system properties {@code aws.accessKeyId} and
 * {@code aws.secretAccessKey} before the environment variables and {@code ~/.aws}, so {@link #start} sets them to
 * this server's key pair and {@link #close} puts back what was there. One fixture at a time per JVM, then.
 *
 * <p>Objects are written straight into the store ({@link #put}, {@link #delete}), not through S3, so a test of the
 * read path depends on no S3 client's uploads.
 */
public final class S3Fixture implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    static final String ACCESS_KEY_PROPERTY = "aws.accessKeyId";
    static final String SECRET_KEY_PROPERTY = "aws.secretAccessKey";

    private final String bucket;
    private final String accessKey = "vod-test-key";
    private final String secretKey = "vod-test-secret-" + Long.toHexString(System.nanoTime());
    private final Map<String, String> savedProperties = new HashMap<>();
    private Path basedir;
    private BlobStoreContext context;
    private S3Proxy proxy;
    private URI endpoint;

    /** A fixture with the bucket {@code media}. */
    public S3Fixture() {
        this("media");
    }

    public S3Fixture(String bucket) {
        this.bucket = bucket;
    }

    /**
     * Starts the server, creates the bucket and points the SDK's default credentials at it.
     *
     * @return this, started
     */
    public S3Fixture start() throws Exception {
        basedir = Files.createTempDirectory("vod-s3");
        Properties store = new Properties();
        store.setProperty(FilesystemConstants.PROPERTY_BASEDIR, basedir.toString());
        // By its metadata, not by the name "filesystem": a lookup by name loads every provider listed on the
        // classpath, among them S3Proxy's Azure one, whose SDK is left out (see the parent pom).
        context = ContextBuilder.newBuilder(new FilesystemApiMetadata()).overrides(store)
                .build(BlobStoreContext.class);
        blobStore().createContainerInLocation(null, bucket);

        // The same properties as s3proxy.conf, so this reads like S3Proxy's documented setup.
        Properties server = new Properties();
        server.setProperty(S3ProxyConstants.PROPERTY_ENDPOINT, "http://127.0.0.1:0");
        server.setProperty(S3ProxyConstants.PROPERTY_AUTHORIZATION, "aws-v2-or-v4");
        server.setProperty(S3ProxyConstants.PROPERTY_IDENTITY, accessKey);
        server.setProperty(S3ProxyConstants.PROPERTY_CREDENTIAL, secretKey);
        proxy = S3Proxy.Builder.fromProperties(server).blobStore(blobStore()).build();
        proxy.start();
        // start() returns once Jetty is started, so the connector is bound and has its port.
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());

        setProperty(ACCESS_KEY_PROPERTY, accessKey);
        setProperty(SECRET_KEY_PROPERTY, secretKey);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext extensionContext) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext extensionContext) throws Exception {
        close();
    }

    /** Stops the server, deletes its files and restores the credential properties. */
    @Override
    public void close() throws Exception {
        savedProperties.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
        savedProperties.clear();
        if (proxy != null) {
            proxy.stop();
        }
        if (context != null) {
            context.close();
        }
        if (basedir != null) {
            try (Stream<Path> files = Files.walk(basedir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The server's base URL, {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return endpoint;
    }

    public String bucket() {
        return bucket;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /**
     * Settings for {@code s3://bucket/prefix} on this server: its endpoint, path-style addressing (the bucket is
     * not a host name on loopback) and the region fixed to {@code us-east-1}, so that the SDK never asks the EC2
     * metadata service for one.
     */
    public S3Settings settings(String prefix) {
        return S3Settings.parse("s3://" + bucket + "/" + prefix).withEndpoint(endpoint).withPathStyle(true)
                .withRegion("us-east-1");
    }

    /** Writes (or replaces) the object {@code key} with the bytes of {@code file}. */
    public void put(String key, Path file) {
        blobStore().putBlob(bucket, blobStore().blobBuilder(key).payload(file.toFile())
                .contentLength(size(file)).build());
    }

    /** Writes (or replaces) the object {@code key} with {@code bytes}. */
    public void put(String key, byte[] bytes) {
        blobStore().putBlob(bucket, blobStore().blobBuilder(key).payload(bytes).contentLength(bytes.length).build());
    }

    /** Removes the object {@code key}; nothing happens when there is none. */
    public void delete(String key) {
        blobStore().removeBlob(bucket, key);
    }

    private BlobStore blobStore() {
        return context.getBlobStore();
    }

    private void setProperty(String name, String value) {
        savedProperties.putIfAbsent(name, System.getProperty(name));
        System.setProperty(name, value);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
