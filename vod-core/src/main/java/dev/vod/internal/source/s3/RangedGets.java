package dev.vod.internal.source.s3;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The ranged GETs behind {@link S3ContentSource#read}: signed by the AWS SDK's own SigV4 signer and sent on the
 * SDK's HTTP client, but without the S3 client's per-call pipeline (endpoint rules, interceptors, auth-scheme
 * resolution, metrics, response unmarshalling). The slice cache makes one such call per slice, all day long, and
 * that pipeline was most of a cold slice's fetch-thread CPU (benchmarks/RESULTS.md, "Content from S3"). HEAD and
 * LIST stay on the S3 client: they are rare, and their answers need its parsers.
 *
 * <p>The object URLs are the S3 client's own: the base (endpoint, path-style or virtual-host bucket) is asked of
 * {@link S3Client#utilities()} once, and each key is appended encoded as the SDK encodes it. On the wire:
 *
 * <pre>
 * GET /media/films/a.mp4 HTTP/1.1
 * Host: 127.0.0.1:9000
 * Range: bytes=0-1048575
 * If-Match: "e"
 * x-amz-content-sha256: ..., X-Amz-Date: ..., Authorization: AWS4-HMAC-SHA256 Credential=...
 * </pre>
 *
 * <p>An error answer's status and {@code <Code>} go to {@link S3Failures}, like the S3 client's exceptions.
 */
final class RangedGets {
    /** How much of an error answer's body is read for its code: S3's error documents are a few hundred bytes. */
    private static final int ERROR_BODY_LIMIT = 8 * 1024;
    private static final Pattern ERROR_CODE = Pattern.compile("<Code>\\s*([^<\\s]{1,200})\\s*</Code>");
    private static final String SIGNING_NAME = "s3";

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final String region;
    private final String base;
    private final S3Failures failures;

    /**
     * @param http        the HTTP client the S3 client uses too (one connection pool)
     * @param credentials resolved at each request, so that rotated keys are picked up
     * @param s3          the S3 client, for the URL of the bucket's objects
     * @param bucket      the bucket
     * @param region      the signing region
     * @param failures    the source's mapping of failures to {@link dev.vod.ContentSource.SourceException}s
     */
    RangedGets(SdkHttpClient http, AwsCredentialsProvider credentials, S3Client s3, String bucket, String region,
               S3Failures failures) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.failures = failures;
        this.base = objectUrlBase(s3, bucket);
    }

    /**
     * The URL of the bucket's objects up to the key: {@code http://127.0.0.1:9000/media/} (path style) or
     * {@code https://media.s3.eu-west-1.amazonaws.com/}. Asked for a one-letter key, whose letter is then cut off.
     */
    private static String objectUrlBase(S3Client s3, String bucket) {
        URL url = s3.utilities().getUrl(b -> b.bucket(bucket).key("k"));
        String text = url.toString();
        if (!text.endsWith("/k")) {
            throw new IllegalStateException("unexpected object URL from the SDK: " + text);
        }
        return text.substring(0, text.length() - 1);
    }

    /**
     * Bytes {@code [offset, offset + length)} of version {@code etag} of the object {@code objectKey}.
     *
     * @param objectKey the full key in the bucket (prefix included)
     * @param key       the key relative to the source, for messages
     */
    InputStream get(String objectKey, String key, String etag, long offset, long length) throws IOException {
        long last = offset + length - 1;
        SdkHttpRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create(base + SdkHttpUtils.urlEncodeIgnoreSlashes(objectKey)))
                .putHeader("Range", "bytes=" + offset + "-" + last)
                .putHeader("If-Match", etag)
                .build();
        SdkHttpRequest signed = sign(request);
        ExecutableHttpRequest call = http.prepareRequest(HttpExecuteRequest.builder().request(signed).build());
        HttpExecuteResponse response;
        try {
            response = call.call();
        } catch (IOException | RuntimeException e) {
            throw failures.transport(e, key);
        }
        SdkHttpResponse head = response.httpResponse();
        AbortableInputStream body = response.responseBody().orElseGet(AbortableInputStream::createEmpty);
        int status = head.statusCode();
        if (status != 200 && status != 206) {
            String code = errorCode(body);
            if (status == 404 && !"NoSuchBucket".equals(code)) {
                throw new NoSuchFileException(key);
            }
            throw failures.answer(status, code, key);
        }
        try {
            RangeCheck.verify(head.firstMatchingHeader("ETag").orElse(null),
                    head.firstMatchingHeader("Content-Range").orElse(null),
                    head.firstMatchingHeader("Content-Length").map(RangedGets::parseLength).orElse(null),
                    etag, offset, length, failures.where(key));
        } catch (IOException e) {
            abort(body);
            throw e;
        }
        return new RangeBody(body, length, failures, key);
    }

    private SdkHttpRequest sign(SdkHttpRequest request) throws IOException {
        AwsCredentials identity;
        try {
            identity = credentials.resolveCredentials();
        } catch (SdkException e) {
            throw failures.map(e, "");
        }
        return signer.sign(r -> r.identity(identity).request(request)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                // S3's canonical URI is the path as sent: encoded once, never normalised (a key may hold "./").
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                // A GET has no payload; over TLS S3 takes UNSIGNED-PAYLOAD, over plain HTTP the signer hashes it.
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false))
                .request();
    }

    /** The {@code <Code>} of an error answer's body, or null; the body is closed (its connection aborted if long). */
    private static String errorCode(AbortableInputStream body) {
        try {
            byte[] bytes = body.readNBytes(ERROR_BODY_LIMIT);
            if (body.read() >= 0) {
                abort(body);
            } else {
                body.close();
            }
            Matcher code = ERROR_CODE.matcher(new String(bytes, StandardCharsets.UTF_8));
            return code.find() ? code.group(1) : null;
        } catch (IOException | RuntimeException e) {
            abort(body);
            return null;
        }
    }

    private static Long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void abort(AbortableInputStream body) {
        body.abort();
        try {
            body.close();
        } catch (IOException | RuntimeException ignored) {
            // Aborted already: closing only releases what is left.
        }
    }
}
