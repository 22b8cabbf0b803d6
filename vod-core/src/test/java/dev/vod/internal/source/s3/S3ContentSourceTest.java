package dev.vod.internal.source.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.ContentSource;
import dev.vod.ContentSource.Listing;
import dev.vod.ContentSource.ObjectInfo;
import dev.vod.ContentSource.SourceException;
import dev.vod.ContentSource.SourceException.Kind;
import dev.vod.S3Settings;
import dev.vod.testing.S3Fixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@link S3ContentSource} against a real S3 server ({@link S3Fixture}: S3Proxy with AWS signatures checked), with
 * the source rooted at {@code s3://media/library/} so that every test also checks the prefix handling. Failures
 * of the network kind use a closed port and a server that accepts and never answers.
 */
class S3ContentSourceTest {
    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    private final List<ContentSource> opened = new ArrayList<>();

    @AfterEach
    void closeSources() {
        opened.forEach(ContentSource::close);
    }

    private ContentSource source() {
        return open(ContentSource.s3(s3.settings("library/")));
    }

    private ContentSource open(ContentSource source) {
        opened.add(source);
        return source;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    // ---------------------------------------------------------------- stat

    @Test
    void statDescribesAnObject() throws IOException {
        long before = System.currentTimeMillis();
        s3.put("library/films/a.mp4", random(300_000, 1));

        ObjectInfo info = source().stat("films/a.mp4").orElseThrow();

        assertEquals("films/a.mp4", info.key());
        assertEquals(300_000, info.size());
        assertTrue(info.etag().matches("\"[^\"]+\""), "quoted exactly once: " + info.etag());
        // S3 dates have second resolution.
        assertTrue(Math.abs(info.lastModified() - before) < 5_000, "last modified " + info.lastModified());
    }

    @Test
    void statOfAMissingKeyIsEmpty() throws IOException {
        assertTrue(source().stat("films/missing.mp4").isEmpty());
    }

    @Test
    void statOfAFolderIsEmpty() throws IOException {
        s3.put("library/folder/only/a.mp4", random(10, 2));

        assertTrue(source().stat("folder").isEmpty());
        assertTrue(source().stat("folder/only").isEmpty());
    }

    @Test
    void etagIsStableAndChangesWithTheContent() throws IOException {
        s3.put("library/films/e.mp4", random(1000, 3));
        String first = source().stat("films/e.mp4").orElseThrow().etag();
        assertEquals(first, source().stat("films/e.mp4").orElseThrow().etag());

        s3.put("library/films/e.mp4", random(1000, 4));

        assertNotEquals(first, source().stat("films/e.mp4").orElseThrow().etag());
    }

    // ---------------------------------------------------------------- list

    @Test
    void listGivesObjectsAndFoldersOfOneLevel() throws IOException {
        s3.put("library/shelf/a.mp4", random(10, 5));
        s3.put("library/shelf/b.mp4", random(20, 6));
        s3.put("library/shelf/sub/c.mp4", random(30, 7));
        s3.put("library/shelf/sub2/deeper/d.mp4", random(40, 8));
        s3.put("outside/shelf/x.mp4", random(50, 9));

        Listing listing = source().list("shelf/", 100);

        assertEquals(List.of("shelf/a.mp4", "shelf/b.mp4"), listing.objects().stream().map(ObjectInfo::key).toList());
        assertEquals(List.of(10L, 20L), listing.objects().stream().map(ObjectInfo::size).toList());
        assertTrue(listing.objects().get(0).etag().matches("\"[^\"]+\""), listing.objects().get(0).etag());
        assertEquals(List.of("sub", "sub2"), listing.folders());
        assertFalse(listing.truncated());
    }

    @Test
    void listOfTheRootStripsThePrefix() throws IOException {
        s3.put("library/root.mp4", random(10, 10));
        s3.put("library/rootfolder/x.mp4", random(10, 11));

        Listing listing = source().list("", 1000);

        assertTrue(listing.objects().stream().anyMatch(o -> o.key().equals("root.mp4")), listing.toString());
        assertTrue(listing.folders().contains("rootfolder"), listing.toString());
        assertFalse(listing.folders().contains("library"), listing.toString());
    }

    @Test
    void listSkipsTheFolderMarker() throws IOException {
        s3.put("library/marked/", new byte[0]);
        s3.put("library/marked/a.mp4", random(10, 12));

        Listing listing = source().list("marked/", 100);

        assertEquals(List.of("marked/a.mp4"), listing.objects().stream().map(ObjectInfo::key).toList());
        assertEquals(List.of(), listing.folders());
    }

    @Test
    void listStopsAtTheLimitAndSaysSo() throws IOException {
        for (int i = 0; i < 5; i++) {
            s3.put("library/many/" + i + ".mp4", random(10, 20 + i));
        }

        Listing two = source().list("many/", 2);
        Listing all = source().list("many/", 5);

        assertEquals(List.of("many/0.mp4", "many/1.mp4"), two.objects().stream().map(ObjectInfo::key).toList());
        assertTrue(two.truncated());
        assertEquals(5, all.objects().size());
        assertFalse(all.truncated());
    }

    @Test
    void listOfAMissingFolderIsEmpty() throws IOException {
        Listing listing = source().list("no-such-folder/", 100);

        assertEquals(List.of(), listing.objects());
        assertEquals(List.of(), listing.folders());
        assertFalse(listing.truncated());
    }

    // ---------------------------------------------------------------- read

    @Test
    void rangesAreByteIdentical() throws IOException {
        byte[] content = random(300_000, 30);
        s3.put("library/films/r.mp4", content);
        ContentSource source = source();
        String etag = source.stat("films/r.mp4").orElseThrow().etag();

        assertRange(content, source, etag, 0, 1);                       // first byte
        assertRange(content, source, etag, content.length - 1, 1);      // last byte
        assertRange(content, source, etag, 123_457, 65_536);            // middle
        assertRange(content, source, etag, 0, content.length);          // whole
    }

    private static void assertRange(byte[] content, ContentSource source, String etag, int offset, int length)
            throws IOException {
        try (InputStream in = source.read("films/r.mp4", etag, offset, length)) {
            assertArrayEquals(Arrays.copyOfRange(content, offset, offset + length), in.readAllBytes(),
                    "bytes " + offset + "+" + length);
        }
    }

    @Test
    void zeroLengthIsEmptyWithoutAsking() throws IOException {
        // A stale tag and a missing key would both fail if a request were made.
        try (InputStream in = source().read("films/never-put.mp4", "\"stale\"", 10, 0)) {
            assertEquals(-1, in.read());
        }
    }

    @Test
    void staleEtagIsChanged() throws IOException {
        s3.put("library/films/s.mp4", random(1000, 31));
        ContentSource source = source();
        String old = source.stat("films/s.mp4").orElseThrow().etag();
        s3.put("library/films/s.mp4", random(1000, 32));

        SourceException e = assertThrows(SourceException.class, () -> source.read("films/s.mp4", old, 0, 100));

        assertEquals(Kind.CHANGED, e.kind());
        assertTrue(e.getMessage().contains("films/s.mp4"), e.getMessage());
    }

    @Test
    void rangePastTheEndIsChanged() throws IOException {
        s3.put("library/films/short.mp4", random(1000, 33));
        ContentSource source = source();
        String etag = source.stat("films/short.mp4").orElseThrow().etag();

        // The version is right, but shorter than the caller believes: it must look again, not get 10 bytes.
        SourceException e = assertThrows(SourceException.class,
                () -> source.read("films/short.mp4", etag, 990, 20).readAllBytes());

        assertEquals(Kind.CHANGED, e.kind());
    }

    @Test
    void missingKeyIsNoSuchFile() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> source().read("films/gone.mp4", "\"x\"", 0, 10));

        assertEquals("films/gone.mp4", e.getMessage());
    }

    @Test
    void closingEarlyLeavesTheSourceUsable() throws IOException {
        byte[] content = random(8 << 20, 34);
        s3.put("library/films/big.mp4", content);
        ContentSource source = source();
        String etag = source.stat("films/big.mp4").orElseThrow().etag();

        for (int i = 0; i < 3; i++) { // more early closes than a broken pool would survive unnoticed
            try (InputStream in = source.read("films/big.mp4", etag, 0, content.length)) {
                assertEquals(content[0] & 0xff, in.read());
            }
        }

        try (InputStream in = source.read("films/big.mp4", etag, 1 << 20, 100)) {
            assertArrayEquals(Arrays.copyOfRange(content, 1 << 20, (1 << 20) + 100), in.readAllBytes());
        }
    }

    // ---------------------------------------------------------------- keys

    @ParameterizedTest
    @ValueSource(strings = {"with space.mp4", "unicode/é ü 日本.mp4", "a+b.mp4", "100%.mp4", "x%20y.mp4",
            "q?uery&amp=1.mp4"})
    void unusualKeysRoundTrip(String key) throws IOException {
        byte[] content = random(100, key.hashCode());
        s3.put("library/keys/" + key, content);
        ContentSource source = source();

        ObjectInfo info = source.stat("keys/" + key).orElseThrow();
        assertEquals("keys/" + key, info.key());
        String folder = "keys/" + (key.contains("/") ? key.substring(0, key.lastIndexOf('/') + 1) : "");
        assertTrue(source.list(folder, 1000).objects().stream().anyMatch(o -> o.key().equals("keys/" + key)),
                "listed in " + folder);
        try (InputStream in = source.read("keys/" + key, info.etag(), 0, content.length)) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    // ---------------------------------------------------------------- check, describe, failures

    @Test
    void checkPassesAndDescribeNamesTheSource() throws IOException {
        ContentSource source = source();

        source.check();

        assertEquals("s3://media/library/", source.describe());
    }

    @Test
    void wrongSecretIsDeniedNamingTheBucket() {
        ContentSource source = open(S3ContentSource.create(s3.settings("library/"),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), "not-the-secret"))));

        for (IOCall call : List.<IOCall>of(() -> source.stat("films/a.mp4"), () -> source.list("", 10),
                () -> source.read("films/a.mp4", "\"x\"", 0, 10), source::check)) {
            SourceException e = assertThrows(SourceException.class, call::run);
            assertEquals(Kind.DENIED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().startsWith("s3://media/library/: access denied"), e.getMessage());
        }
    }

    @Test
    void closedPortIsUnavailable() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ContentSource source = open(ContentSource.s3(s3.settings("library/")
                .withEndpoint(URI.create("http://127.0.0.1:" + port))));

        SourceException stat = assertThrows(SourceException.class, () -> source.stat("films/a.mp4"));
        SourceException check = assertThrows(SourceException.class, source::check);

        assertEquals(Kind.UNAVAILABLE, stat.kind(), stat.getMessage());
        assertEquals(Kind.UNAVAILABLE, check.kind(), check.getMessage());
        assertTrue(stat.getMessage().contains("127.0.0.1:" + port), stat.getMessage());
    }

    @Test
    void silentServerTimesOutInAboutTheRequestTimeout() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            S3Settings settings = s3.settings("library/").withEndpoint(silent.uri())
                    .withRequestTimeout(Duration.ofMillis(1000));
            ContentSource source = open(ContentSource.s3(settings));

            for (IOCall call : List.<IOCall>of(() -> source.stat("films/a.mp4"),
                    () -> source.read("films/a.mp4", "\"x\"", 0, 10))) {
                long start = System.nanoTime();
                SourceException e = assertThrows(SourceException.class, call::run);
                long millis = (System.nanoTime() - start) / 1_000_000;

                assertEquals(Kind.TIMEOUT, e.kind(), e.getMessage());
                assertTrue(millis >= 900 && millis < 4000, "timed out after " + millis + " ms");
            }
            assertTrue(silent.accepted() >= 1, "the requests reached the server");
        }
    }

    /** A call that may throw an IOException, to run several calls through one assertion. */
    @FunctionalInterface
    interface IOCall {
        void run() throws IOException;
    }

    /** Accepts connections, reads nothing and answers nothing: a store that hangs. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread acceptor = new Thread(this::acceptAll, "silent-s3");

        SilentServer() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        int accepted() {
            return held.size();
        }

        private void acceptAll() {
            try {
                while (true) {
                    held.add(socket.accept());
                }
            } catch (IOException closed) {
                // close() ends the loop.
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
