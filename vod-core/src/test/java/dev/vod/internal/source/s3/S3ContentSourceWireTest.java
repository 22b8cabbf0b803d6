package dev.vod.internal.source.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.ContentSource;
import dev.vod.ContentSource.Listing;
import dev.vod.ContentSource.ObjectInfo;
import dev.vod.ContentSource.SourceException;
import dev.vod.ContentSource.SourceException.Kind;
import dev.vod.S3Settings;
import dev.vod.testing.ScriptedHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * {@link S3ContentSource} against answers that S3Proxy does not give: folder markers in listings, listings in
 * pages, stores that ignore {@code Range} or {@code If-Match}, bodies that end early or stall, error answers. Each
 * test enqueues the exact answer, makes one call, and checks the request that was sent and what vod made of it.
 */
class S3ContentSourceWireTest {
    private static final byte[] HUNDRED = hundredBytes();

    private ScriptedHttpServer server;
    private ContentSource source;

    @BeforeEach
    void start() throws IOException {
        server = new ScriptedHttpServer();
        source = S3ContentSource.create(settings(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")));
    }

    private S3Settings settings() {
        return S3Settings.parse("s3://media/library/").withEndpoint(server.uri()).withPathStyle(true)
                .withRegion("us-east-1").withRequestTimeout(Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() throws IOException {
        source.close();
        server.close();
    }

    private static byte[] hundredBytes() {
        byte[] bytes = new byte[100];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private static String xml(String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body;
    }

    private void enqueueXml(int status, String reason, String xml) {
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        server.enqueue("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/xml\r\nContent-Length: "
                + body.length + "\r\n\r\n", body);
    }

    @Test
    void listSkipsTheFolderMarkerAndFollowsPages() throws Exception {
        enqueueXml(200, "OK", xml("<ListBucketResult><Name>media</Name><Prefix>library/shelf/</Prefix>"
                + "<IsTruncated>true</IsTruncated><NextContinuationToken>page-2</NextContinuationToken>"
                + "<Contents><Key>library/shelf/</Key><Size>0</Size><ETag>\"d41d8\"</ETag>"
                + "<LastModified>2026-01-02T03:04:05.000Z</LastModified></Contents>"
                + "<Contents><Key>library/shelf/a.mp4</Key><Size>10</Size><ETag>\"aaa\"</ETag>"
                + "<LastModified>2026-01-02T03:04:05.000Z</LastModified></Contents>"
                + "</ListBucketResult>"));
        enqueueXml(200, "OK", xml("<ListBucketResult><Name>media</Name><Prefix>library/shelf/</Prefix>"
                + "<IsTruncated>false</IsTruncated>"
                + "<Contents><Key>library/shelf/b.mp4</Key><Size>20</Size><ETag>bbb</ETag>"
                + "<LastModified>2026-01-02T03:04:06.000Z</LastModified></Contents>"
                + "<CommonPrefixes><Prefix>library/shelf/sub/</Prefix></CommonPrefixes>"
                + "</ListBucketResult>"));

        Listing listing = source.list("shelf/", 10);

        assertEquals(List.of(new ObjectInfo("shelf/a.mp4", 10, 1767323045000L, "\"aaa\""),
                new ObjectInfo("shelf/b.mp4", 20, 1767323046000L, "\"bbb\"")), listing.objects());
        assertEquals(List.of("sub"), listing.folders());
        assertFalse(listing.truncated());
        String first = server.takeRequest().line();
        assertTrue(first.contains("prefix=library%2Fshelf%2F") && first.contains("delimiter=%2F"), first);
        assertTrue(server.takeRequest().line().contains("continuation-token=page-2"));
    }

    @Test
    void readAsksForTheRangeOfTheVersion() throws Exception {
        server.enqueue("HTTP/1.1 206 Partial Content\r\nETag: \"v1\"\r\nContent-Range: bytes 10-19/100\r\n"
                + "Content-Length: 10\r\n\r\n", Arrays.copyOfRange(HUNDRED, 10, 20));

        try (InputStream in = source.read("films/a.mp4", "\"v1\"", 10, 10)) {
            assertArrayEquals(Arrays.copyOfRange(HUNDRED, 10, 20), in.readAllBytes());
        }

        ScriptedHttpServer.Request request = server.takeRequest();
        assertTrue(request.line().startsWith("GET /media/library/films/a.mp4 "), request.line());
        assertEquals("bytes=10-19", request.header("range"));
        assertEquals("\"v1\"", request.header("if-match"));
    }

    @Test
    void readIsSignedWithSigV4ForTheRegionAndEncodesTheKey() throws Exception {
        server.enqueue("HTTP/1.1 206 Partial Content\r\nETag: \"v1\"\r\nContent-Range: bytes 0-9/100\r\n"
                + "Content-Length: 10\r\n\r\n", Arrays.copyOf(HUNDRED, 10));

        try (InputStream in = source.read("films/a b+c.mp4", "\"v1\"", 0, 10)) {
            assertArrayEquals(Arrays.copyOf(HUNDRED, 10), in.readAllBytes());
        }

        ScriptedHttpServer.Request request = server.takeRequest();
        assertTrue(request.line().startsWith("GET /media/library/films/a%20b%2Bc.mp4 "), request.line());
        String authorization = request.header("authorization");
        assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=key/"), authorization);
        assertTrue(authorization.contains("/us-east-1/s3/aws4_request"), authorization);
        assertTrue(authorization.contains("SignedHeaders=") && authorization.contains("if-match")
                && authorization.contains("range") && authorization.contains("x-amz-content-sha256"), authorization);
        assertTrue(request.header("x-amz-date").matches("\\d{8}T\\d{6}Z"), request.header("x-amz-date"));
    }

    @Test
    void aForbiddenReadIsDeniedWithItsCode() {
        enqueueXml(403, "Forbidden", xml("<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature"
                + " we calculated does not match</Message></Error>"));

        SourceException e = assertThrows(SourceException.class, () -> source.read("films/a.mp4", "\"v1\"", 0, 10));

        assertEquals(Kind.DENIED, e.kind());
        assertEquals("s3://media/library/: access denied (SignatureDoesNotMatch)", e.getMessage());
    }

    @Test
    void aReadOfAMissingKeyIsNoSuchFileButAMissingBucketIsUnavailable() {
        enqueueXml(404, "Not Found", xml("<Error><Code>NoSuchKey</Code></Error>"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> source.read("films/a.mp4", "\"v1\"", 0, 10));

        enqueueXml(404, "Not Found", xml("<Error><Code>NoSuchBucket</Code></Error>"));
        SourceException e = assertThrows(SourceException.class, () -> source.read("films/a.mp4", "\"v1\"", 0, 10));
        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertEquals("s3://media/library/: no such bucket", e.getMessage());
    }

    @Test
    void aFailedPreconditionIsChanged() {
        enqueueXml(412, "Precondition Failed", xml("<Error><Code>PreconditionFailed</Code></Error>"));

        SourceException e = assertThrows(SourceException.class, () -> source.read("films/a.mp4", "\"v1\"", 0, 10));

        assertEquals(Kind.CHANGED, e.kind());
        assertEquals("s3://media/library/films/a.mp4: changed (PreconditionFailed)", e.getMessage());
    }

    @Test
    void aStoreThatIgnoresRangeIsUnavailable() {
        server.enqueue("HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nContent-Length: 100\r\n\r\n", HUNDRED);

        SourceException e = assertThrows(SourceException.class, () -> source.read("a.mp4", "\"v1\"", 10, 10));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("ignored Range"), e.getMessage());
    }

    @Test
    void aStoreThatIgnoresIfMatchIsCaughtAsChanged() {
        server.enqueue("HTTP/1.1 206 Partial Content\r\nETag: \"v2\"\r\nContent-Range: bytes 0-9/100\r\n"
                + "Content-Length: 10\r\n\r\n", Arrays.copyOf(HUNDRED, 10));

        SourceException e = assertThrows(SourceException.class, () -> source.read("a.mp4", "\"v1\"", 0, 10));

        assertEquals(Kind.CHANGED, e.kind());
    }

    @Test
    void aBodyThatEndsEarlyIsUnavailable() {
        // 100 bytes announced, 40 sent, then the connection closes.
        server.enqueue("HTTP/1.1 206 Partial Content\r\nETag: \"v1\"\r\nContent-Range: bytes 0-99/100\r\n"
                + "Content-Length: 100\r\n\r\n", Arrays.copyOf(HUNDRED, 40));

        SourceException e = assertThrows(SourceException.class,
                () -> source.read("a.mp4", "\"v1\"", 0, 100).readAllBytes());

        assertEquals(Kind.UNAVAILABLE, e.kind(), e.getMessage());
    }

    @Test
    void aBodyThatStallsTimesOut() throws IOException {
        server.enqueueThenHang("HTTP/1.1 206 Partial Content\r\nETag: \"v1\"\r\nContent-Range: bytes 0-99/100\r\n"
                + "Content-Length: 100\r\n\r\n", Arrays.copyOf(HUNDRED, 40));
        try (InputStream in = source.read("a.mp4", "\"v1\"", 0, 100)) {
            long start = System.nanoTime();
            SourceException e = assertThrows(SourceException.class, in::readAllBytes);
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertEquals(Kind.TIMEOUT, e.kind(), e.getMessage());
            assertTrue(millis >= 900 && millis < 4000, "timed out after " + millis + " ms");
        }
    }

    @Test
    void closingBeforeTheEndAbortsInsteadOfDraining() throws IOException {
        // A 100 MB range of which the store sends 40 bytes, then nothing: draining it would wait for the timeout.
        server.enqueueThenHang("HTTP/1.1 206 Partial Content\r\nETag: \"v1\"\r\n"
                + "Content-Range: bytes 0-99999999/100000000\r\nContent-Length: 100000000\r\n\r\n",
                Arrays.copyOf(HUNDRED, 40));
        InputStream in = source.read("a.mp4", "\"v1\"", 0, 100_000_000);
        assertEquals(0, in.read());

        long start = System.nanoTime();
        in.close();
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(millis < 500, "close took " + millis + " ms");
        assertThrows(IOException.class, in::read);
    }

    @Test
    void serverErrorsAreUnavailableWithTheirCode() {
        enqueueXml(503, "Slow Down", xml("<Error><Code>SlowDown</Code><Message>Reduce your request rate."
                + "</Message></Error>"));

        SourceException e = assertThrows(SourceException.class, () -> source.read("films/a.mp4", "\"v1\"", 0, 10));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertEquals("s3://media/library/films/a.mp4: HTTP 503 (SlowDown)", e.getMessage());
    }

    @Test
    void aServerErrorWithoutBodyIsUnavailable() {
        // The answer to a HEAD has no body, so no error code either.
        server.enqueue("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");

        SourceException e = assertThrows(SourceException.class, () -> source.stat("films/a.mp4"));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertEquals("s3://media/library/films/a.mp4: HTTP 503", e.getMessage());
    }

    @Test
    void aForbiddenHeadIsDenied() {
        server.enqueue("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");

        SourceException e = assertThrows(SourceException.class, () -> source.stat("films/a.mp4"));

        assertEquals(Kind.DENIED, e.kind());
        assertEquals("s3://media/library/: access denied (HTTP 403)", e.getMessage());
    }

    @Test
    void noCredentialsAnywhereIsDenied() {
        // A chain that finds nothing, as the default one does on a machine without keys (it is the same class).
        ProfileFile empty = ProfileFile.builder().content(InputStream.nullInputStream())
                .type(ProfileFile.Type.CREDENTIALS).build();
        ContentSource keyless = S3ContentSource.create(settings(), AwsCredentialsProviderChain.of(
                ProfileCredentialsProvider.builder().profileFile(empty).profileName("vod").build()));

        SourceException e = assertThrows(SourceException.class, () -> keyless.stat("a.mp4"));

        assertEquals(Kind.DENIED, e.kind());
        assertTrue(e.getMessage().startsWith("s3://media/library/: no AWS credentials"), e.getMessage());
        keyless.close();
    }

    @Test
    void anUnquotedEtagIsQuotedOnce() throws IOException {
        server.enqueue("HTTP/1.1 200 OK\r\nETag: abc123\r\nContent-Length: 100\r\n"
                + "Last-Modified: Fri, 02 Jan 2026 03:04:05 GMT\r\n\r\n");

        ObjectInfo info = source.stat("a.mp4").orElseThrow();

        assertEquals(new ObjectInfo("a.mp4", 100, 1767323045000L, "\"abc123\""), info);
    }

    @Test
    void anObjectWithoutEtagCannotBeServed() {
        server.enqueue("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");

        SourceException e = assertThrows(SourceException.class, () -> source.stat("a.mp4"));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("no ETag"), e.getMessage());
    }
}
