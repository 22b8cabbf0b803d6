package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.Fixtures;
import dev.vod.testing.Http;
import dev.vod.testing.M3u8;
import dev.vod.testing.Mpd;
import dev.vod.testing.ServerExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which derived URLs exist and who may see them (docs/packaging.md): 404 for what is no title or no segment,
 * 422 for MP4s that cannot be packaged, the access rules of the source applied to every derived URL, a real file
 * winning over a derived one, renditions whose key frames are not aligned, packaging switched off.
 */
class PackagedRoutingTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.deny("**/drafts/**").deny("sample.mp4")
            .deny("partly-denied/720p.mp4"));

    private static final String STATIC_MASTER = "#EXTM3U\n# a playlist written by hand, served as it is\n";
    /** Every kind of derived URL of a folder title, with the rendition 240p.mp4. */
    private static final List<String> DERIVED = List.of("master.m3u8", "manifest.mpd", "manifest.txt", "player.html",
            "hls.min.js", "240p.mp4/index.m3u8", "240p.mp4/iframes.m3u8", "240p.mp4/init.mp4", "240p.mp4/seg-1.m4s",
            "240p.mp4/fragmented.mp4", "240p.mp4/video/init.mp4", "240p.mp4/video/seg-2.m4s",
            "240p.mp4/video/iframe-1.m4s", "240p.mp4/audio/init.mp4", "240p.mp4/audio/seg-1.m4s",
            "sample.en.vtt/index.m3u8");
    /** An error answer: one line of text, "NNN Reason" and maybe a message. */
    private static final Pattern ERROR_LINE = Pattern.compile("\\d{3} [A-Za-z ]+(: [\\x20-\\x7e]+)?\n");

    @BeforeAll
    static void addTitles() throws IOException {
        Path root = Fixtures.createTitles(server.root());
        Path title = root.resolve("sample-title");
        for (String copy : List.of("static-title", "partly-denied")) {
            Files.createDirectories(root.resolve(copy));
            for (String name : List.of("240p.mp4", "360p.mp4", "720p.mp4")) {
                Files.copy(title.resolve(name), root.resolve(copy).resolve(name));
            }
        }
        Files.writeString(root.resolve("static-title/master.m3u8"), STATIC_MASTER);
        Files.createDirectories(root.resolve("audio-folder"));
        Files.copy(root.resolve("audio-only.m4a"), root.resolve("audio-folder/audio-only.m4a"));
        Files.createDirectories(root.resolve("audio-folder-2"));
        Files.copy(root.resolve("audio-only.m4a"), root.resolve("audio-folder-2/a.m4a"));
        Files.copy(root.resolve("audio-only.m4a"), root.resolve("audio-folder-2/b.m4a"));
        Files.createDirectories(root.resolve("mixed"));
        Files.copy(title.resolve("240p.mp4"), root.resolve("mixed/240p.mp4"));
        Files.copy(root.resolve("audio-only.m4a"), root.resolve("mixed/soundtrack.m4a"));
        // Cut inside the moov (it starts at byte 32 and is about 10 KB long).
        byte[] sample = Files.readAllBytes(root.resolve("sample.mp4"));
        Files.write(root.resolve("truncated.mp4"), Arrays.copyOf(sample, 3000));
        byte[] garbage = new byte[5000];
        new Random(42).nextBytes(garbage);
        System.arraycopy(Arrays.copyOf(sample, 32), 0, garbage, 0, 32); // a real ftyp box, then noise
        Files.write(root.resolve("garbage.mp4"), garbage);
        Files.write(root.resolve("empty.mp4"), new byte[0]);
        Files.copy(title.resolve("240p.mp4"), Files.readSymbolicLink(root.resolve("escape")).resolve("video.mp4"));
    }

    @AfterAll
    static void removeRoot() throws IOException {
        Files.deleteIfExists(Files.readSymbolicLink(server.root().resolve("escape")).resolve("video.mp4"));
        Fixtures.delete(server.root());
    }

    private static HttpResponse<byte[]> get(String path) {
        return Http.get(server.url(path));
    }

    private static void assertError(int status, String path) {
        HttpResponse<byte[]> r = get(path);
        assertEquals(status, r.statusCode(), path + ": " + Http.text(r));
        assertEquals("text/plain; charset=utf-8", Http.header(r, "Content-Type"), path);
        assertTrue(ERROR_LINE.matcher(Http.text(r)).matches(), path + ": " + Http.text(r));
    }

    @ParameterizedTest
    @ValueSource(strings = {"240p.mp4/seg-3.m4s", "240p.mp4/seg-99.m4s", "240p.mp4/seg-999999999.m4s",
        "240p.mp4/video/seg-3.m4s", "240p.mp4/audio/seg-99.m4s", "240p.mp4/video/iframe-3.m4s"})
    void aSegmentPastTheEndIs404(String name) {
        assertError(404, "/sample-title/" + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"seg-0.m4s", "seg-01.m4s", "seg--1.m4s", "seg-+1.m4s", "seg-1.5.m4s", "seg-.m4s",
        "seg-1.M4S", "seg-1", "seg-10000000000.m4s", "video/iframe-01.m4s"})
    void segmentNumbersAreCanonicalDecimalFromOne(String name) {
        assertError(404, "/sample-title/240p.mp4/" + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sample-title/240p.mp4/foo.m3u8", "/sample-title/240p.mp4/index.mpd",
        "/sample-title/240p.mp4/video/index.m3u8", "/sample-title/240p.mp4/audio/iframe-1.m4s",
        "/sample-title/240p.mp4/video/video/init.mp4", "/sample-title/MASTER.M3U8", "/sample-title/master.m3u8/",
        "/sample-title/sample.en.vtt/master.m3u8", "/sample-title/nothing.mp4/index.m3u8"})
    void unknownDerivedNamesAre404(String path) {
        assertError(404, path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dir/master.m3u8", "/dir/manifest.mpd", "/dir/manifest.txt", "/dir/player.html",
        "/dir/sub/master.m3u8", "/sample.webm/master.m3u8", "/sample.webm/seg-1.m4s", "/hello.txt/master.m3u8",
        "/data.bin/index.m3u8"})
    void whatHoldsNoMp4IsNoTitle(String path) {
        assertError(404, path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"master.m3u8", "manifest.mpd", "manifest.txt", "index.m3u8", "init.mp4", "seg-1.m4s",
        "fragmented.mp4"})
    void anMp4WithoutVideoIs422WithAMessage(String name) {
        HttpResponse<byte[]> r = get("/audio-only.m4a/" + name);
        assertEquals(422, r.statusCode(), Http.text(r));
        assertEquals("text/plain; charset=utf-8", Http.header(r, "Content-Type"));
        assertTrue(Http.text(r).contains("no video"), Http.text(r));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/audio-folder/master.m3u8", "/audio-folder-2/master.m3u8"})
    void aFolderOfAudioOnlyFilesIsNoTitle(String path) {
        // docs/packaging.md: 404 for "not a title (no MP4 with video)", however many audio files the folder holds.
        assertError(404, path);
    }

    @Test
    void audioOnlyFilesInAFolderAreLeftOutOfItsTitle() {
        String master = Http.text(server.url("/mixed/master.m3u8"));
        List<M3u8.Tag> variants = M3u8.parse(master).tags("#EXT-X-STREAM-INF");
        assertEquals(1, variants.size(), master);
        assertEquals("240p.mp4/index.m3u8", variants.get(0).uri());
        assertFalse(master.contains("soundtrack"), master);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/truncated.mp4/master.m3u8", "/truncated.mp4/seg-1.m4s", "/truncated.mp4/manifest.txt",
        "/garbage.mp4/master.m3u8", "/garbage.mp4/manifest.mpd", "/garbage.mp4/init.mp4"})
    void aCorruptMp4IsAnsweredAt422InPlainText(String path) {
        assertError(422, path); // within Http's timeout: never a hang
        assertEquals(200, get("/hello.txt").statusCode(), "the server still answers");
    }

    @Test
    void anEmptyMp4IsAClientErrorInPlainText() {
        HttpResponse<byte[]> r = get("/empty.mp4/master.m3u8");
        assertTrue(r.statusCode() == 404 || r.statusCode() == 422, r.statusCode() + " " + Http.text(r));
        assertTrue(ERROR_LINE.matcher(Http.text(r)).matches(), Http.text(r));
    }

    @ParameterizedTest
    @ValueSource(strings = {"confidential/title", "drafts/title", ".private/title"})
    void everyDerivedUrlOfADeniedTitleIs403(String title) {
        for (String name : DERIVED) {
            assertEquals(200, get("/sample-title/" + name).statusCode(), "the same title elsewhere: " + name);
            String path = "/" + title + "/" + name;
            assertError(403, path);
            assertEquals(403, Http.head(server.url(path)).statusCode(), "HEAD " + path);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "master.m3u8", "manifest.mpd", "manifest.txt", "player.html", "index.m3u8",
        "iframes.m3u8", "init.mp4", "seg-1.m4s", "fragmented.mp4", "video/iframe-1.m4s", "audio/seg-2.m4s"})
    void aDeniedFileIsDeniedThroughEveryDerivedUrl(String name) {
        String suffix = name.isEmpty() ? "" : "/" + name;
        assertError(403, "/sample.mp4" + suffix);
        assertEquals(200, get("/sample-moov-at-end.mp4" + suffix).statusCode(), "the same URL of an allowed file");
    }

    @Test
    void aDeniedRenditionIsLeftOutOfItsTitle() {
        String master = Http.text(server.url("/partly-denied/master.m3u8"));
        List<M3u8.Tag> variants = M3u8.parse(master).tags("#EXT-X-STREAM-INF");
        assertEquals(List.of("240p.mp4/index.m3u8", "360p.mp4/index.m3u8"),
                variants.stream().map(M3u8.Tag::uri).toList());
        assertFalse(master.contains("720p"), master);
        assertFalse(Http.text(server.url("/partly-denied/manifest.mpd")).contains("720p"));
        String txt = Http.text(server.url("/partly-denied/manifest.txt"));
        assertEquals("2", txt.lines().toList().get(1), txt);
        assertFalse(txt.contains("720p"), txt);
        assertError(403, "/partly-denied/720p.mp4/index.m3u8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/to-confidential/title/master.m3u8", "/to-confidential/title/240p.mp4/seg-1.m4s",
        "/to-confidential/title/manifest.txt", "/escape/video.mp4/master.m3u8", "/escape/video.mp4/seg-1.m4s"})
    void symlinksDoNotLeadAroundTheRules(String path) {
        HttpResponse<byte[]> r = get(path);
        assertTrue(r.statusCode() == 403 || r.statusCode() == 404, path + ": " + r.statusCode());
        assertFalse(Http.text(r).contains("#EXTM3U") || Http.text(r).contains("video/mp4"), Http.text(r));
    }

    @Test
    void aRealFileWinsOverTheDerivedOne() {
        HttpResponse<byte[]> master = get("/static-title/master.m3u8");
        assertEquals(200, master.statusCode());
        assertEquals(STATIC_MASTER, new String(master.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> mpd = get("/static-title/manifest.mpd");
        assertEquals(200, mpd.statusCode(), "the other manifests are still generated");
        assertEquals("application/dash+xml", Http.header(mpd, "Content-Type"));
        assertEquals(3, Mpd.parse(Http.text(mpd), server.url("/static-title/manifest.mpd"))
                .representations("video").size());
        assertEquals(200, get("/static-title/240p.mp4/index.m3u8").statusCode());
    }

    @Test
    void misalignedRenditionsAreStillOfferedWithoutClaimingAlignment() {
        String text = Http.text(server.url("/misaligned-title/master.m3u8"));
        M3u8 master = M3u8.parse(text);
        assertEquals("#EXTM3U", master.lines().get(0));
        List<M3u8.Tag> variants = master.tags("#EXT-X-STREAM-INF");
        assertEquals(List.of("128x72", "160x90"), variants.stream().map(v -> v.attribute("RESOLUTION")).toList());
        assertEquals(List.of("72p-g37.mp4/index.m3u8", "90p-g50.mp4/index.m3u8"),
                variants.stream().map(M3u8.Tag::uri).toList());
        assertTrue(master.lines().stream().anyMatch(l -> l.startsWith("##") && l.contains("not aligned")), text);
        assertFalse(Http.text(server.url("/sample-title/master.m3u8")).contains("##"), "aligned title: no note");
        // The 6 s target: first key frame at or after 6 s is 7.4 s with -g 37, 6 s with -g 50.
        List<Double> g37 = M3u8.parse(Http.text(server.url("/misaligned-title/72p-g37.mp4/index.m3u8"))).durations();
        List<Double> g50 = M3u8.parse(Http.text(server.url("/misaligned-title/90p-g50.mp4/index.m3u8"))).durations();
        assertEquals(7.4, g37.get(0), 0.001);
        assertEquals(6.0, g50.get(0), 0.001);
        assertEquals(8.0, g37.stream().mapToDouble(Double::doubleValue).sum(), 0.04);
        assertEquals(8.0, g50.stream().mapToDouble(Double::doubleValue).sum(), 0.04);
        Mpd mpd = Mpd.parse(Http.text(server.url("/misaligned-title/manifest.mpd")),
                server.url("/misaligned-title/manifest.mpd"));
        assertEquals("false", mpd.adaptationSets("video").get(0).getAttribute("segmentAlignment"));
        assertEquals(2, mpd.representations("video").size());
    }

    @Test
    void withPackagingOffDerivedUrlsAreMissingFiles() throws IOException {
        try (VodServer off = VodConfig.builder().root(server.root()).host("127.0.0.1").port(0)
                .shutdownGrace(java.time.Duration.ZERO).packaging(PackagingSettings.OFF).buildServer()) {
            InetSocketAddress address = off.start();
            String base = "http://127.0.0.1:" + address.getPort();
            for (String path : List.of("/sample.mp4/master.m3u8", "/sample.mp4/seg-1.m4s", "/sample.mp4/manifest.txt",
                    "/sample-title/master.m3u8", "/sample-title/manifest.mpd", "/sample-title/240p.mp4/init.mp4")) {
                assertEquals(404, Http.get(base + path).statusCode(), path);
            }
            assertEquals(200, Http.get(base + "/sample.mp4").statusCode(), "the file itself is still served");
        }
    }

    @Test
    void aMoovLargerThanTheLimitIs500() throws IOException {
        try (VodServer small = VodConfig.builder().root(server.root()).host("127.0.0.1").port(0)
                .shutdownGrace(java.time.Duration.ZERO).mp4MaxMoov(1000).buildServer()) {
            String base = "http://127.0.0.1:" + small.start().getPort();
            for (String path : List.of("/sample-title/master.m3u8", "/sample-title/240p.mp4/seg-1.m4s",
                    "/sample-moov-at-end.mp4/manifest.mpd", "/sample-fragmented.mp4/index.m3u8")) {
                HttpResponse<byte[]> r = Http.get(base + path);
                assertEquals(500, r.statusCode(), path);
                assertTrue(ERROR_LINE.matcher(Http.text(r)).matches(), Http.text(r));
            }
        }
    }

    @Test
    void titlesWorkUnderAMountPath() throws IOException {
        try (VodServer mounted = VodConfig.builder().root(server.root()).host("127.0.0.1").port(0)
                .shutdownGrace(java.time.Duration.ZERO).mountPath("/videos/").buildServer()) {
            String base = "http://127.0.0.1:" + mounted.start().getPort();
            M3u8 master = M3u8.parse(Http.text(base + "/videos/sample-title/master.m3u8"));
            String media = base + "/videos/sample-title/" + master.tags("#EXT-X-STREAM-INF").get(0).uri();
            for (String uri : M3u8.parse(Http.text(media)).uris()) {
                assertEquals(200, Http.get(java.net.URI.create(media).resolve(uri).toString()).statusCode(), uri);
            }
            assertEquals(404, Http.get(base + "/sample-title/master.m3u8").statusCode(), "outside the mount");
        }
    }
}
