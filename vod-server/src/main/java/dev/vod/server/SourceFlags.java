package dev.vod.server;

import dev.vod.ContentSource;
import dev.vod.S3Settings;
import dev.vod.SliceCacheSettings;
import dev.vod.SourceSettings;
import dev.vod.VodConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The launcher's flags for where content comes from ({@code --source s3://…} and the slice cache) and for the health
 * endpoint, turned into {@link SourceSettings}. Credentials are deliberately not flags: the AWS SDK's default chain
 * reads them from the environment, a profile or the instance role, where they do not show in {@code ps}.
 */
final class SourceFlags {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--source", paramLabel = "s3://BUCKET/PREFIX",
            description = "Serve the objects under this S3 bucket prefix instead of --root (credentials from the "
                    + "AWS chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws profile, instance role).")
    private String source;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "S3-compatible service URL (MinIO, Ceph, R2, ...); default: AWS S3 of --s3-region.")
    private URI endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION",
            description = "Signing region (default: the AWS chain's, else us-east-1).")
    private String region;

    @Option(names = "--s3-path-style",
            description = "Address the bucket in the URL path (http://host/bucket/key), as MinIO and Ceph need.")
    private boolean pathStyle;

    @Option(names = "--source-revalidate", paramLabel = "SECONDS", defaultValue = "5",
            converter = FlagConverters.Seconds.class,
            description = "Trust an object's size and ETag this long before asking the store again "
                    + "(default: ${DEFAULT-VALUE}).")
    private Duration revalidate;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Folder of the slice cache for --source (default: vod-cache in the system temp folder).")
    private Path cacheDir;

    @Option(names = "--cache-slice", paramLabel = "BYTES", defaultValue = "1m", converter = SizeConverter.class,
            description = "Size of the slices fetched from --source, a power of two (default: ${DEFAULT-VALUE}).")
    private long slice;

    @Option(names = "--cache-max-size", paramLabel = "BYTES", defaultValue = "10g", converter = SizeConverter.class,
            description = "Most bytes the slice cache keeps; least recently used go first (default: ${DEFAULT-VALUE}).")
    private long maxSize;

    @Option(names = "--health-path", paramLabel = "PATH",
            description = "Answer 200 at this path while the content is readable, 503 when not, e.g. /healthz.")
    private String healthPath;

    /** Whether content comes from a store, so --root is not used. */
    boolean remote() {
        return source != null;
    }

    /** What is served, for the Listening line: the store's URL. */
    String describe() {
        return source;
    }

    void applyTo(VodConfig.Builder builder) {
        if (healthPath != null && !healthPath.startsWith("/")) {
            throw bad("--health-path", "must start with /: " + healthPath);
        }
        if (source == null) {
            for (String flag : new String[] {"--s3-endpoint", "--s3-region", "--s3-path-style", "--cache-dir"}) {
                if (spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(flag)) {
                    throw bad(flag, "only applies with --source");
                }
            }
            builder.source(SourceSettings.LOCAL.withHealthPath(healthPath));
            return;
        }
        S3Settings s3;
        try {
            s3 = S3Settings.parse(source);
            if (endpoint != null) {
                s3 = s3.withEndpoint(endpoint);
            }
            s3 = s3.withRegion(region).withPathStyle(pathStyle);
        } catch (IllegalArgumentException e) {
            throw bad("--source/--s3-endpoint", e.getMessage());
        }
        if (slice > Integer.MAX_VALUE) {
            throw bad("--cache-slice", "must be a power of two from 64k to 64m");
        }
        SliceCacheSettings cache;
        try {
            Path dir = cacheDir != null ? cacheDir : Path.of(System.getProperty("java.io.tmpdir"), "vod-cache");
            cache = new SliceCacheSettings(dir, (int) slice, maxSize, revalidate);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage().startsWith("cache max") ? "--cache-max-size" : "--cache-slice", e.getMessage());
        }
        builder.source(SourceSettings.of(ContentSource.s3(s3), cache).withHealthPath(healthPath));
    }

    private ParameterException bad(String option, String reason) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + reason);
    }
}
