package dev.vod.internal.source.s3;

import dev.vod.ContentSource;
import dev.vod.S3Settings;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * A {@link ContentSource} over an S3-compatible store, with the AWS SDK for Java v2 (its blocking client; how it
 * is configured: {@link S3Clients}). The ranged GETs, one per slice, are signed and sent by {@link RangedGets}
 * on the same HTTP client, without the S3 client's per-call pipeline. Keys are relative to the settings' prefix.
 * On the wire, per call:
 *
 * <pre>
 * stat("a.mp4")            HEAD /media/films/a.mp4                       200, ETag, Content-Length
 * list("", 1000)           GET  /media?list-type=2&amp;prefix=films/&amp;delimiter=/   (page after page)
 * read("a.mp4", "\"e\"", 0, 1048576)
 *                          GET  /media/films/a.mp4
 *                          Range: bytes=0-1048575
 *                          If-Match: "e"                                 206, Content-Range: bytes 0-1048575/N
 * check()                  GET  /media?list-type=2&amp;prefix=films/&amp;max-keys=1
 * </pre>
 *
 * <p>A read is checked against what it asked for (the range and the tag of the answer), because a store that
 * ignores {@code Range} or {@code If-Match} would otherwise hand vod bytes of the wrong place or version.
 * Failures become {@link SourceException}s in one place, {@link S3Failures}.
 */
public final class S3ContentSource implements ContentSource {
    private final S3Settings settings;
    private final SdkHttpClient http;
    private final S3Client s3;
    private final RangedGets gets;
    private final SdkAutoCloseable credentials;
    private final S3Failures failures;

    private S3ContentSource(S3Settings settings, AwsCredentialsProvider credentials,
                            SdkAutoCloseable ownedCredentials) {
        this.settings = settings;
        this.http = S3Clients.httpClient(settings.requestTimeout());
        this.s3 = S3Clients.build(settings, credentials, http);
        this.credentials = ownedCredentials;
        String endpoint = settings.endpoint() != null ? settings.endpoint().toString() : "AWS S3";
        this.failures = new S3Failures(settings.url(), endpoint, settings.requestTimeout());
        this.gets = new RangedGets(http, credentials, s3, settings.bucket(), S3Clients.region(settings).id(),
                failures);
    }

    /**
     * A source reading {@code settings}, with the credentials of the AWS SDK's default chain (system properties
     * {@code aws.accessKeyId}/{@code aws.secretAccessKey}, environment, {@code ~/.aws}, container or instance
     * role), resolved at each request so that rotated keys are picked up.
     */
    public static ContentSource create(S3Settings settings) {
        Objects.requireNonNull(settings, "settings");
        DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
        return new S3ContentSource(settings, chain, chain);
    }

    /** A source with the given credentials: for tests that need a key other than the default chain's. */
    static ContentSource create(S3Settings settings, AwsCredentialsProvider credentials) {
        return new S3ContentSource(settings, credentials, null);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(settings.bucket()).key(settings.prefix() + key));
        } catch (SdkException e) {
            if (S3Failures.status(e) == 404) {
                return Optional.empty();
            }
            throw failures.map(e, key);
        }
        return Optional.of(new ObjectInfo(key, head.contentLength(), millis(head.lastModified()),
                tag(head.eTag(), key)));
    }

    @Override
    public Listing list(String folder, int limit) throws IOException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit < 1: " + limit);
        }
        String prefix = settings.prefix() + folder;
        List<ObjectInfo> objects = new ArrayList<>();
        List<String> folders = new ArrayList<>();
        String token = null;
        boolean more;
        do {
            ListObjectsV2Response page = listPage(prefix, Math.min(1000, limit - objects.size() - folders.size()),
                    token, folder);
            for (S3Object object : page.contents()) {
                // A zero-byte "folder marker" (what consoles create for an empty folder) is the folder itself.
                if (!object.key().equals(prefix)) {
                    String key = object.key().substring(settings.prefix().length());
                    objects.add(new ObjectInfo(key, object.size(), millis(object.lastModified()),
                            tag(object.eTag(), key)));
                }
            }
            for (CommonPrefix common : page.commonPrefixes()) {
                String name = common.prefix().substring(prefix.length(), common.prefix().length() - 1);
                if (!name.isEmpty()) { // "a//b" has an empty segment, which no vod path can name
                    folders.add(name);
                }
            }
            more = Boolean.TRUE.equals(page.isTruncated());
            token = page.nextContinuationToken();
        } while (more && token != null && objects.size() + folders.size() < limit);
        return new Listing(objects, folders, more);
    }

    private ListObjectsV2Response listPage(String prefix, int maxKeys, String token, String folder)
            throws IOException {
        try {
            return s3.listObjectsV2(b -> b.bucket(settings.bucket()).prefix(prefix).delimiter("/").maxKeys(maxKeys)
                    .continuationToken(token));
        } catch (SdkException e) {
            throw failures.map(e, folder);
        }
    }

    @Override
    public InputStream read(String key, String etag, long offset, long length) throws IOException {
        Objects.requireNonNull(etag, "etag");
        if (offset < 0 || length < 0 || length > Long.MAX_VALUE - offset) {
            throw new IllegalArgumentException("bad range: offset " + offset + ", length " + length);
        }
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        return gets.get(settings.prefix() + key, key, etag, offset, length);
    }

    @Override
    public void check() throws IOException {
        // A listing of the prefix, not HeadBucket: a policy may grant a prefix only, and this is what vod needs.
        try {
            s3.listObjectsV2(b -> b.bucket(settings.bucket()).prefix(settings.prefix()).maxKeys(1));
        } catch (SdkException e) {
            throw failures.map(e, "");
        }
    }

    @Override
    public String describe() {
        return settings.url();
    }

    @Override
    public void close() {
        s3.close();
        http.close();
        if (credentials != null) {
            credentials.close();
        }
    }

    /** The tag quoted exactly once, as HTTP has it: S3 sends {@code "abc"}, some stores send {@code abc}. */
    static String quoted(String etag) {
        boolean wrapped = etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"");
        return wrapped ? etag : "\"" + etag + "\"";
    }

    /** An object's tag, quoted; without one vod could not tell versions apart, so the object cannot be served. */
    private String tag(String etag, String key) throws SourceException {
        if (etag == null || etag.isBlank()) {
            throw new SourceException(SourceException.Kind.UNAVAILABLE, settings.url() + key + ": the store sent no"
                    + " ETag");
        }
        return quoted(etag);
    }

    private static long millis(Instant instant) {
        return instant == null ? 0 : instant.toEpochMilli();
    }
}
