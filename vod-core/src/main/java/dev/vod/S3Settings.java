package dev.vod;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where an S3 {@link ContentSource} reads: a bucket, a key prefix, and the service to ask. Credentials are never
 * part of it: they come from the AWS SDK's default chain (environment variables {@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY}, the profile in {@code ~/.aws}, a container or instance role).
 *
 * <pre>
 * ContentSource.s3(S3Settings.parse("s3://media/films/").withEndpoint(URI.create("http://minio:9000"))
 *         .withPathStyle(true))
 * </pre>
 *
 * @param bucket         the bucket name
 * @param prefix         the key prefix served as the root: empty, or ending in {@code /}
 * @param endpoint       the service's URL, or null for AWS S3 in {@code region}
 * @param region         the signing region, or null for the SDK's default chain (then {@code us-east-1})
 * @param pathStyle      address the bucket in the path ({@code http://host/bucket/key}) rather than the host name;
 *                       what MinIO, Ceph and most self-hosted stores need
 * @param requestTimeout longest wait for one request to the store (a slice, a stat, a listing) before 504
 */
public record S3Settings(String bucket, String prefix, URI endpoint, String region, boolean pathStyle,
                         Duration requestTimeout) {
    public S3Settings {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (!bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("not an S3 bucket name: '" + bucket + "'");
        }
        if (!prefix.isEmpty() && (!prefix.endsWith("/") || prefix.startsWith("/") || prefix.contains("//"))) {
            throw new IllegalArgumentException("S3 prefix must be empty or like 'a/b/': '" + prefix + "'");
        }
        if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null
                || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https")))) {
            throw new IllegalArgumentException("S3 endpoint must be an http(s) URL: " + endpoint);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("S3 request timeout must be positive: " + requestTimeout);
        }
    }

    /**
     * Parses {@code s3://BUCKET} or {@code s3://BUCKET/PREFIX} (a trailing slash is added to the prefix); AWS S3,
     * default region, virtual-host addressing, 10 s request timeout.
     *
     * @throws IllegalArgumentException when it is not such a URL
     */
    public static S3Settings parse(String url) {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("s3://")) {
            throw new IllegalArgumentException("an S3 source looks like s3://BUCKET/PREFIX: '" + url + "'");
        }
        String rest = url.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix += "/";
        }
        return new S3Settings(bucket, prefix, null, null, false, Duration.ofSeconds(10));
    }

    /** These settings with another service URL (MinIO, Ceph, R2, GCS's S3 API, a test server). */
    public S3Settings withEndpoint(URI endpoint) {
        return new S3Settings(bucket, prefix, endpoint, region, pathStyle, requestTimeout);
    }

    /** These settings with a signing region. */
    public S3Settings withRegion(String region) {
        return new S3Settings(bucket, prefix, endpoint, region, pathStyle, requestTimeout);
    }

    /** These settings with path-style addressing on or off. */
    public S3Settings withPathStyle(boolean pathStyle) {
        return new S3Settings(bucket, prefix, endpoint, region, pathStyle, requestTimeout);
    }

    /** These settings with another per-request timeout. */
    public S3Settings withRequestTimeout(Duration requestTimeout) {
        return new S3Settings(bucket, prefix, endpoint, region, pathStyle, requestTimeout);
    }

    /** {@code s3://bucket/prefix}, for logs. */
    public String url() {
        return "s3://" + bucket + "/" + prefix;
    }
}
