package dev.vod.internal.source.s3;

import dev.vod.ContentSource.SourceException;
import dev.vod.ContentSource.SourceException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where the AWS SDK's exceptions become {@link SourceException}s, with a short message that names
 * the bucket or the object and says what happened, for example:
 *
 * <pre>
 * s3://media/films/: access denied (InvalidAccessKeyId)
 * s3://media/films/a.mp4: HTTP 503 (SlowDown)
 * s3://media/films/: cannot connect to http://127.0.0.1:9000 (Connection refused)
 * s3://media/films/a.mp4: no answer within 10 s
 * </pre>
 *
 * <p>A denial names the source rather than the object: it is a configuration error of the whole source.
 * "Not found" and "precondition failed" are left to the callers, since what they mean depends on the call.
 */
final class S3Failures {
    /** The codes S3 (and the stores that copy it) answer when the credentials or the policy are the problem. */
    private static final Set<String> DENIALS = Set.of("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch",
            "ExpiredToken", "InvalidToken", "TokenRefreshRequired", "AllAccessDisabled", "AccountProblem",
            "AuthorizationHeaderMalformed", "InvalidSecurity", "RequestTimeTooSkewed");

    private final String source;
    private final String endpoint;
    private final Duration timeout;

    /**
     * @param source   the source's URL, {@code s3://bucket/prefix}
     * @param endpoint the service's URL as it appears in messages
     * @param timeout  the request timeout, for "no answer within" messages
     */
    S3Failures(String source, String endpoint, Duration timeout) {
        this.source = source;
        this.endpoint = endpoint;
        this.timeout = timeout;
    }

    /** The HTTP status of a store's error answer, or 0 when the failure is not an answer. */
    static int status(SdkException e) {
        return e instanceof AwsServiceException service ? service.statusCode() : 0;
    }

    /**
     * What a failed call on {@code key} ({@code ""} for the source itself) means for vod: a {@link SourceException}
     * of the right kind, or an {@link InterruptedIOException} when the calling thread was interrupted.
     */
    IOException map(SdkException e, String key) {
        String where = where(key);
        if (e instanceof AwsServiceException service) {
            return answer(service.statusCode(), errorCode(service), key, e);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return timeout(where, e);
        }
        // The SDK's default chain found no key: a configuration error, like a refused one (its own message lists
        // every place it looked, too long for a log line). Before the I/O causes: the instance-metadata
        // lookup, last in the chain, fails with one of those off EC2.
        if (String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
            return new SourceException(Kind.DENIED, source + ": no AWS credentials found (AWS_ACCESS_KEY_ID,"
                    + " ~/.aws/credentials or a role)", e);
        }
        return transport(e, key);
    }

    /**
     * What a store's error answer means: {@code status} and the {@code <Code>} of its body ({@code null} when it
     * had none), for the object {@code key} ({@code ""} for the source itself).
     */
    SourceException answer(int status, String code, String key) {
        return answer(status, code, key, null);
    }

    private SourceException answer(int status, String code, String key, Exception cause) {
        String where = where(key);
        if (status == 401 || status == 403 || code != null && DENIALS.contains(code)) {
            return new SourceException(Kind.DENIED, source + ": access denied (" + orStatus(code, status) + ")",
                    cause);
        }
        if (status == 412 || status == 416) {
            return new SourceException(Kind.CHANGED, where + ": changed (" + orStatus(code, status) + ")", cause);
        }
        if (status == 301 || status == 307) {
            return new SourceException(Kind.UNAVAILABLE, source + ": the bucket is elsewhere, check the region"
                    + " and endpoint (" + orStatus(code, status) + ")", cause);
        }
        if ("NoSuchBucket".equals(code)) {
            return new SourceException(Kind.UNAVAILABLE, source + ": no such bucket", cause);
        }
        return new SourceException(Kind.UNAVAILABLE, where + ": HTTP " + status
                + (code == null ? "" : " (" + code + ")"), cause);
    }

    /**
     * What a call that got no answer means: an interrupted caller, a timeout (a read, connect or pool wait) or an
     * unreachable store.
     */
    IOException transport(Throwable e, String key) {
        String where = where(key);
        if (Thread.currentThread().isInterrupted()
                && (e instanceof AbortedException || find(e, InterruptedIOException.class) != null)) {
            InterruptedIOException interrupted = new InterruptedIOException(where + ": interrupted");
            interrupted.initCause(e);
            return interrupted;
        }
        if (find(e, InterruptedIOException.class) != null) { // a read, connect or pool wait that timed out
            return timeout(where, e);
        }
        IOException io = deepest(e, IOException.class); // "Connection refused" rather than the wrappers around it
        if (io != null) {
            return new SourceException(Kind.UNAVAILABLE, where + ": cannot reach " + endpoint + " (" + describe(io)
                    + ")", e);
        }
        return new SourceException(Kind.UNAVAILABLE, where + ": " + describe(e), e);
    }

    /** The object's URL, {@code s3://media/films/a.mp4}, or the source's for {@code ""}. */
    String where(String key) {
        return source + key;
    }

    /** What an I/O failure while reading an answer's body means: a stall is a timeout, anything else a loss. */
    SourceException mapBody(IOException e, String key) {
        if (e instanceof SourceException known) {
            return known;
        }
        if (find(e, SocketTimeoutException.class) != null) {
            return timeout(where(key), e);
        }
        return new SourceException(Kind.UNAVAILABLE, source + key + ": connection lost while reading ("
                + describe(e) + ")", e);
    }

    /** A body that ended before the length its answer announced. */
    SourceException truncated(String key, long received, long expected) {
        return new SourceException(Kind.UNAVAILABLE, source + key + ": the answer ended after " + received + " of "
                + expected + " bytes");
    }

    private SourceException timeout(String where, Throwable e) {
        return new SourceException(Kind.TIMEOUT, where + ": no answer within " + seconds(timeout), e);
    }

    private static String errorCode(AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details == null ? null : details.errorCode();
        return code == null || code.isBlank() ? null : code;
    }

    private static String orStatus(String code, int status) {
        return code != null ? code : "HTTP " + status;
    }

    /** The first exception of {@code type} in the cause chain of {@code e} (itself included), or null. */
    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    /** The last exception of {@code type} in the cause chain of {@code e}, or null. */
    private static <T extends Throwable> T deepest(Throwable e, Class<T> type) {
        T found = null;
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                found = type.cast(cause);
            }
        }
        return found;
    }

    /** "Connection refused", or the exception's simple name when it has no message. */
    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }
}
