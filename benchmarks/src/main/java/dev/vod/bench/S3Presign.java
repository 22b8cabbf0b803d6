package dev.vod.bench;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Prints a presigned {@code GET} URL (SigV4 in the query string, path-style) for one object, so that a server that
 * cannot sign, nginx's {@code proxy_pass}, reads a bucket through the same authenticated S3 server vod reads.
 * Only the {@code host} header is signed, so a proxy may add {@code Range} to it.
 *
 * <pre>
 * AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… java -cp benchmarks/target/benchmarks.jar dev.vod.bench.S3Presign \
 *     --endpoint http://127.0.0.1:PORT --bucket media --key bench/big.bin [--days 7]
 * </pre>
 *
 * <p>Credentials come from the AWS SDK's default chain, as vod's own; the region is {@code us-east-1}, as
 * {@code dev.vod.testing.S3Fixture} signs. Seven days is the longest SigV4 allows.
 */
public final class S3Presign {
    private S3Presign() {
    }

    public static void main(String[] args) {
        URI endpoint = null;
        String bucket = "media";
        String key = null;
        int days = 7;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--endpoint" -> endpoint = URI.create(value);
                case "--bucket" -> bucket = value;
                case "--key" -> key = value;
                case "--days" -> days = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (endpoint == null || key == null) {
            throw new IllegalArgumentException("--endpoint and --key are required");
        }
        String bucketName = bucket;
        String keyName = key;
        Duration validity = Duration.ofDays(days);
        try (S3Presigner presigner = S3Presigner.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
            System.out.println(presigner.presignGetObject(request -> request.signatureDuration(validity)
                    .getObjectRequest(get -> get.bucket(bucketName).key(keyName))).url());
        }
    }
}
