package dev.vod.internal.source.s3;

import dev.vod.S3Settings;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** How vod's S3 source sets up the AWS SDK's client; each choice below says why. */
final class S3Clients {
    /**
     * Connections to the store: vod's slice cache fetches up to about 64 slices at once, and a fetch that waits
     * for a pooled connection is a slower first byte for a viewer.
     */
    static final int MAX_CONNECTIONS = 64;

    private S3Clients() {
    }

    /**
     * The S3 client, on {@code http}: the caller owns {@code http} and closes it after the client (the SDK does
     * not close an HTTP client it was given).
     */
    static S3Client build(S3Settings settings, AwsCredentialsProvider credentials, SdkHttpClient http) {
        Duration timeout = settings.requestTimeout();
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(http)
                .credentialsProvider(credentials)
                .region(region(settings))
                .forcePathStyle(settings.pathStyle())
                // Checksums only where S3 requires them: vod reads ranges, which full-object checksums do not
                // cover (vod checks length and ETag itself), and older S3-compatible stores reject the headers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // No SDK retries: the slice cache retries a failed fetch once itself, and SDK retries under it
                // would multiply into a wait of several request timeouts before vod can answer 502 or 504.
                .overrideConfiguration(o -> o.apiCallTimeout(timeout).apiCallAttemptTimeout(timeout)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }

    /**
     * The blocking HTTP client, chosen by measurement (benchmarks/RESULTS.md, "S3 HTTP client"). Its socket
     * timeout is the request timeout too: the API call timeout ends when a GET's headers arrive, and a store that
     * stalls in the middle of a body must still fail in time.
     */
    static SdkHttpClient httpClient(Duration timeout) {
        return Apache5HttpClient.builder()
                .maxConnections(MAX_CONNECTIONS)
                .connectionTimeout(timeout)
                .socketTimeout(timeout)
                .connectionAcquisitionTimeout(timeout)
                .build();
    }

    /** The settings' region, else the SDK's default chain (AWS_REGION, ~/.aws/config, ...), else us-east-1. */
    static Region region(S3Settings settings) {
        if (settings.region() != null) {
            return Region.of(settings.region());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException none) {
            return Region.US_EAST_1;
        }
    }
}
