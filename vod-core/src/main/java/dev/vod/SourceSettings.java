package dev.vod;

import java.util.Objects;

/**
 * Where content comes from, and how a load balancer asks a node whether it can serve it.
 *
 * <p>By default ({@link #LOCAL}) the files of {@link VodConfig#root()} are served straight from disk. With a
 * {@link ContentSource} (an S3 bucket, or an application's own store) the same URLs, rules and features apply to
 * its objects, read in slices through a local disk cache:
 *
 * <pre>
 * VodConfig.builder()
 *         .source(SourceSettings.of(ContentSource.s3(S3Settings.parse("s3://media/films/")),
 *                 SliceCacheSettings.in(Path.of("/var/cache/vod"))).withHealthPath("/healthz"))
 *         .build();
 * </pre>
 *
 * See {@code docs/deploy.md}.
 *
 * @param source     the store, or null to serve {@link VodConfig#root()} from disk
 * @param cache      the slice cache for the store's objects (null when {@code source} is)
 * @param healthPath exact path answering 200 while the content is readable and 503 when not, e.g.
 *                   {@code /healthz}; null (default) for none
 */
public record SourceSettings(ContentSource source, SliceCacheSettings cache, String healthPath) {
    /** The local root folder, no health endpoint. */
    public static final SourceSettings LOCAL = new SourceSettings(null, null, null);

    public SourceSettings {
        if ((source == null) != (cache == null)) {
            throw new IllegalArgumentException("a content source needs a slice cache, and only a source has one");
        }
        if (healthPath != null && (!healthPath.startsWith("/") || healthPath.contains("?")
                || healthPath.contains("#"))) {
            throw new IllegalArgumentException("health path must be a path starting with /: " + healthPath);
        }
    }

    /** Content from {@code source}, cached in slices as {@code cache} says. */
    public static SourceSettings of(ContentSource source, SliceCacheSettings cache) {
        return new SourceSettings(Objects.requireNonNull(source, "source"), Objects.requireNonNull(cache, "cache"),
                null);
    }

    /** These settings with a health endpoint at {@code path} (null for none). */
    public SourceSettings withHealthPath(String path) {
        return new SourceSettings(source, cache, path);
    }

    /** Whether content comes from a {@link ContentSource} rather than the local root. */
    public boolean remote() {
        return source != null;
    }
}
