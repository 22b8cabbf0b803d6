package dev.vod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.Fixtures;
import dev.vod.testing.Http;
import dev.vod.testing.Mp4Boxes;
import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Derived URLs (docs/packaging.md) as HTTP resources: their media types, Range, HEAD and conditional requests on
 * generated media (a body of generated box headers and slices of the source file), validators, and the box
 * structure of init segments, media segments and the virtual fragmented file. The manifests themselves are
 * {@link PackagedManifestsTest}'s.
 */
class PackagedHttpTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static final String TITLE = "/sample-title/";

    @BeforeAll
    static void addTitles() {
        Fixtures.createTitles(server.root());
    }

    @AfterAll
    static void removeRoot() {
        Fixtures.delete(server.root());
    }

    private static HttpResponse<byte[]> get(String path, String... headers) {
        return Http.get(server.url(path), headers);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /sample-title/master.m3u8                 | application/vnd.apple.mpegurl
            /sample-title/240p.mp4/index.m3u8         | application/vnd.apple.mpegurl
            /sample-title/240p.mp4/iframes.m3u8       | application/vnd.apple.mpegurl
            /sample-title/sample.en.vtt/index.m3u8    | application/vnd.apple.mpegurl
            /sample.mp4/master.m3u8                   | application/vnd.apple.mpegurl
            /sample.mp4/index.m3u8                    | application/vnd.apple.mpegurl
            /sample-title/manifest.mpd                | application/dash+xml
            /sample-fragmented.mp4/manifest.mpd       | application/dash+xml
            /sample-title/manifest.txt                | text/plain; charset=utf-8
            /sample.mp4/manifest.txt                  | text/plain; charset=utf-8
            /sample-title/240p.mp4/init.mp4           | video/mp4
            /sample-title/240p.mp4/seg-1.m4s          | video/mp4
            /sample-title/240p.mp4/fragmented.mp4     | video/mp4
            /sample-title/240p.mp4/video/init.mp4     | video/mp4
            /sample-title/240p.mp4/video/seg-2.m4s    | video/mp4
            /sample-title/240p.mp4/video/iframe-1.m4s | video/mp4
            /sample-moov-at-end.mp4/seg-2.m4s         | video/mp4
            /sample-title/240p.mp4/audio/init.mp4     | audio/mp4
            /sample-title/240p.mp4/audio/seg-2.m4s    | audio/mp4
            /sample-fragmented.mp4/audio/seg-1.m4s    | audio/mp4
            """)
    void everyDerivedUrlHasItsMediaType(String path, String type) {
        HttpResponse<byte[]> r = get(path);
        assertEquals(200, r.statusCode(), Http.text(r));
        assertEquals(type, Http.header(r, "Content-Type"));
        assertEquals(type, Http.header(Http.head(server.url(path)), "Content-Type"), "HEAD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sample-title/360p.mp4/seg-2.m4s", "/sample-title/360p.mp4/fragmented.mp4",
        "/sample-moov-at-end.mp4/seg-1.m4s"})
    void headAnswersLikeGetWithoutABody(String path) throws Exception {
        HttpResponse<byte[]> full = get(path);
        assertEquals(200, full.statusCode());
        try (RawHttp http = new RawHttp(server.address())) {
            // HEAD then GET on one connection: a body after the HEAD would be read as the second response.
            http.send("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\n" + RawHttp.get("/hello.txt"));
            RawHttp.Response head = http.read(true);
            assertEquals(200, head.status());
            assertEquals(String.valueOf(full.body().length), head.header("Content-Length"));
            assertEquals(Http.header(full, "ETag"), head.header("ETag"));
            RawHttp.Response next = http.read();
            assertEquals(200, next.status(), next.statusLine());
            assertEquals(Fixtures.HELLO, next.bodyText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sample-title/360p.mp4/seg-2.m4s", "/sample-title/360p.mp4/fragmented.mp4",
        "/sample-moov-at-end.mp4/seg-1.m4s"})
    void rangesGiveExactlyThoseBytesOfTheFullAnswer(String path) {
        byte[] full = get(path).body();
        int n = full.length;
        HttpResponse<byte[]> first = get(path, "Range", "bytes=0-99");
        assertEquals(206, first.statusCode());
        assertEquals("bytes 0-99/" + n, Http.header(first, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(full, 0, 100), first.body());
        HttpResponse<byte[]> last = get(path, "Range", "bytes=-100");
        assertEquals("bytes " + (n - 100) + "-" + (n - 1) + "/" + n, Http.header(last, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(full, n - 100, n), last.body());
        // Across each box boundary: generated header bytes on one side, bytes of the source file on the other.
        for (Mp4Boxes.Box box : Mp4Boxes.read(full)) {
            int from = (int) Math.max(0, box.offset() - 10);
            int to = (int) Math.min(n - 1, box.offset() + 9);
            HttpResponse<byte[]> r = get(path, "Range", "bytes=" + from + "-" + to);
            assertEquals(206, r.statusCode());
            assertArrayEquals(Arrays.copyOfRange(full, from, to + 1), r.body(), "bytes " + from + "-" + to);
        }
        HttpResponse<byte[]> past = get(path, "Range", "bytes=" + n + "-");
        assertEquals(416, past.statusCode());
        assertEquals("bytes */" + n, Http.header(past, "Content-Range"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sample-title/360p.mp4/seg-2.m4s", "/sample-title/360p.mp4/fragmented.mp4",
        "/sample-title/master.m3u8"})
    void conditionalRequestsUseTheStrongEtag(String path) {
        HttpResponse<byte[]> full = get(path);
        String etag = Http.header(full, "ETag");
        assertTrue(etag != null && etag.startsWith("\"") && etag.endsWith("\""), "strong ETag: " + etag);
        HttpResponse<byte[]> notModified = get(path, "If-None-Match", etag);
        assertEquals(304, notModified.statusCode());
        assertEquals(etag, Http.header(notModified, "ETag"));
        assertEquals(0, notModified.body().length);
        assertEquals(200, get(path, "If-None-Match", "\"something-else\"").statusCode());
        HttpResponse<byte[]> same = get(path, "If-Range", etag, "Range", "bytes=0-99");
        assertEquals(206, same.statusCode());
        assertArrayEquals(Arrays.copyOfRange(full.body(), 0, 100), same.body());
        for (String other : List.of("W/" + etag, "\"something-else\"")) {
            HttpResponse<byte[]> changed = get(path, "If-Range", other, "Range", "bytes=0-99");
            assertEquals(200, changed.statusCode(), "If-Range: " + other);
            assertArrayEquals(full.body(), changed.body(), "If-Range: " + other);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sample-title/360p.mp4/seg-2.m4s", "/sample-title/360p.mp4/fragmented.mp4",
        "/sample-fragmented.mp4/audio/seg-2.m4s", "/sample-title/manifest.mpd"})
    void theSameUrlGivesTheSameBytesAndValidators(String path) {
        HttpResponse<byte[]> a = get(path);
        HttpResponse<byte[]> b = get(path);
        assertArrayEquals(a.body(), b.body());
        assertEquals(Http.header(a, "ETag"), Http.header(b, "ETag"));
        assertEquals(Http.header(a, "Last-Modified"), Http.header(b, "Last-Modified"));
    }

    @Test
    void aChangedSourceFileGivesNewBytesAndNewValidators() throws Exception {
        Path dir = Files.createDirectories(server.root().resolve("changing"));
        Path file = dir.resolve("movie.mp4");
        Files.copy(server.root().resolve("sample-title/240p.mp4"), file);
        HttpResponse<byte[]> before = get("/changing/movie.mp4/seg-1.m4s");
        String masterBefore = Http.header(get("/changing/master.m3u8"), "ETag");
        assertTrue(Http.text(get("/changing/master.m3u8")).contains("RESOLUTION=426x240"));
        Files.copy(server.root().resolve("sample-title/360p.mp4"), file, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        HttpResponse<byte[]> after = get("/changing/movie.mp4/seg-1.m4s");
        assertArrayEquals(get("/sample-title/360p.mp4/seg-1.m4s").body(), after.body(), "the new file's segment");
        assertNotEquals(Http.header(before, "ETag"), Http.header(after, "ETag"));
        assertEquals(200, get("/changing/movie.mp4/seg-1.m4s", "If-None-Match", Http.header(before, "ETag"))
                .statusCode(), "the old tag no longer matches");
        assertNotEquals(masterBefore, Http.header(get("/changing/master.m3u8"), "ETag"));
        assertTrue(Http.text(get("/changing/master.m3u8")).contains("RESOLUTION=640x360"));
    }

    @Test
    void manyClientsAskingAColdTitleAtOnceAllGetTheSameBytes() throws Exception {
        Path dir = Files.createDirectories(server.root().resolve("cold"));
        for (String name : List.of("240p.mp4", "360p.mp4", "720p.mp4")) {
            Files.copy(server.root().resolve("sample-title/" + name), dir.resolve(name));
        }
        List<String> paths = List.of("/cold/master.m3u8", "/cold/720p.mp4/seg-2.m4s", "/cold/360p.mp4/init.mp4",
                "/cold/manifest.txt", "/cold/240p.mp4/fragmented.mp4", "/cold/manifest.mpd");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> answers = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String path = paths.get(i % paths.size());
                answers.add(pool.submit(() -> {
                    HttpResponse<byte[]> r = get(path);
                    assertEquals(200, r.statusCode(), path + ": " + Http.text(r));
                    return r.body();
                }));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertArrayEquals(get(paths.get(i % paths.size())).body(), answers.get(i).get(30, TimeUnit.SECONDS),
                        paths.get(i % paths.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void differentResourcesOfATitleHaveDifferentEtags() {
        // (Across files only as far as the files' own tags differ: they are "mtime-size", so two copies of one
        // file made in the same second share theirs, and so do their segments. Tags are per URL, so that is fine.)
        List<String> paths = new ArrayList<>();
        for (String name : List.of("init.mp4", "seg-1.m4s", "seg-2.m4s", "video/init.mp4", "video/seg-1.m4s",
                "video/iframe-1.m4s", "audio/init.mp4", "audio/seg-1.m4s", "fragmented.mp4", "index.m3u8",
                "iframes.m3u8")) {
            paths.add(TITLE + "240p.mp4/" + name);
        }
        paths.addAll(List.of(TITLE + "360p.mp4/seg-1.m4s", TITLE + "master.m3u8", TITLE + "manifest.mpd",
                TITLE + "manifest.txt", "/sample.mp4/seg-1.m4s"));
        Set<String> tags = new HashSet<>();
        for (String path : paths) {
            String etag = Http.header(Http.head(server.url(path)), "ETag");
            assertNotNull(etag, path);
            assertTrue(tags.add(etag), "ETag " + etag + " of " + path + " is also another resource's");
        }
    }

    @Test
    void aMediaSegmentIsOneMoofFollowedByItsMdat() {
        for (int n = 1; n <= 2; n++) {
            byte[] seg = get(TITLE + "240p.mp4/seg-" + n + ".m4s").body();
            List<Mp4Boxes.Box> boxes = Mp4Boxes.read(seg);
            assertEquals(List.of("moof", "mdat"), boxes.stream().map(Mp4Boxes.Box::type).toList());
            assertEquals(seg.length, boxes.get(0).size() + boxes.get(1).size(), "mdat size vs body length");
            assertEquals(n, Mp4Boxes.sequenceNumber(seg, boxes.get(0).find("mfhd")), "mfhd sequence number");
            assertEquals(2, boxes.get(0).all("traf").size(), "muxed: a video and an audio traf");
        }
        for (String alone : List.of("video/seg-1.m4s", "audio/seg-2.m4s", "video/iframe-2.m4s")) {
            List<Mp4Boxes.Box> boxes = Mp4Boxes.read(get(TITLE + "240p.mp4/" + alone).body());
            assertEquals(List.of("moof", "mdat"), boxes.stream().map(Mp4Boxes.Box::type).toList(), alone);
            assertEquals(1, boxes.get(0).all("traf").size(), alone);
        }
    }

    @Test
    void anInitSegmentIsFtypThenMoovWithMvex() {
        for (String[] c : new String[][] {{"init.mp4", "2"}, {"video/init.mp4", "1"}, {"audio/init.mp4", "1"}}) {
            List<Mp4Boxes.Box> boxes = Mp4Boxes.read(get(TITLE + "240p.mp4/" + c[0]).body());
            assertEquals(List.of("ftyp", "moov"), boxes.stream().map(Mp4Boxes.Box::type).toList(), c[0]);
            assertNotNull(boxes.get(1).find("mvex"), c[0] + " has no mvex");
            assertEquals(Integer.parseInt(c[1]), boxes.get(1).all("trak").size(), c[0]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sample-title/240p.mp4/", "/sample.mp4/", "/sample-moov-at-end.mp4/",
        "/sample-fragmented.mp4/"})
    void theVirtualFileIsTheInitSegmentFollowedByEveryMediaSegment(String base) {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(get(base + "init.mp4").body());
        expected.writeBytes(get(base + "seg-1.m4s").body());
        expected.writeBytes(get(base + "seg-2.m4s").body());
        assertEquals(404, get(base + "seg-3.m4s").statusCode());
        assertArrayEquals(expected.toByteArray(), get(base + "fragmented.mp4").body());
    }
}
