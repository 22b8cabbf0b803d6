package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.Fixtures;
import dev.vod.testing.Http;
import dev.vod.testing.M3u8;
import dev.vod.testing.Mp4Boxes;
import dev.vod.testing.Mpd;
import dev.vod.testing.ServerExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The manifests of packaged titles read as a client reads them: the HLS playlists against RFC 8216 (every URI
 * followed), and the DASH MPD parsed with the JDK's XML parser and expanded from SegmentTemplate, SegmentTimeline
 * and BaseURL. The sample title has three renditions of 12 s with key frames every 2 s, so the default 6 s
 * target gives two segments each.
 */
class PackagedManifestsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static final String TITLE = "/sample-title/";
    private static final List<String> RENDITIONS = List.of("240p.mp4", "360p.mp4", "720p.mp4");
    private static final List<String> RESOLUTIONS = List.of("426x240", "640x360", "1280x720");
    private static final Pattern AVC = Pattern.compile("avc1\\.[0-9a-f]{6}");
    private static final Pattern MUXED_CODECS = Pattern.compile("avc1\\.[0-9a-f]{6},mp4a\\.40\\.2");

    @BeforeAll
    static void addTitles() throws IOException {
        Path root = Fixtures.createTitles(server.root());
        Path dir = Files.createDirectories(root.resolve("two-subtitles"));
        Files.copy(root.resolve("sample-title/240p.mp4"), dir.resolve("movie.mp4"));
        Files.copy(root.resolve("sample-title/sample.en.vtt"), dir.resolve("movie.en.vtt"));
        Files.copy(root.resolve("sample-title/sample.en.vtt"), dir.resolve("commentary.en.vtt"));
    }

    @AfterAll
    static void removeRoot() {
        Fixtures.delete(server.root());
    }

    private static HttpResponse<byte[]> get(String path) {
        return Http.get(server.url(path));
    }

    private static M3u8 playlist(String path) {
        return M3u8.parse(Http.text(server.url(path)));
    }

    @Test
    void theMasterPlaylistOffersEveryRenditionLowestBandwidthFirst() {
        M3u8 master = playlist(TITLE + "master.m3u8");
        assertEquals("#EXTM3U", master.lines().get(0));
        assertEquals("7", master.tag("#EXT-X-VERSION").value());
        assertNotNull(master.tag("#EXT-X-INDEPENDENT-SEGMENTS"));
        List<M3u8.Tag> variants = master.tags("#EXT-X-STREAM-INF");
        assertEquals(3, variants.size(), "variants: " + variants);
        long previous = 0;
        for (int i = 0; i < 3; i++) {
            M3u8.Tag v = variants.get(i);
            long bandwidth = Long.parseLong(v.attribute("BANDWIDTH"));
            long average = Long.parseLong(v.attribute("AVERAGE-BANDWIDTH"));
            assertTrue(average > 0 && bandwidth >= average, v.toString());
            assertTrue(bandwidth > previous, "not ordered by bandwidth: " + variants);
            previous = bandwidth;
            assertTrue(MUXED_CODECS.matcher(v.attribute("CODECS")).matches(), v.toString());
            assertEquals(RESOLUTIONS.get(i), v.attribute("RESOLUTION"));
            assertEquals(25.0, Double.parseDouble(v.attribute("FRAME-RATE")), 0.001);
            assertEquals(RENDITIONS.get(i) + "/index.m3u8", v.uri());
        }
    }

    @Test
    void bandwidthIsThePeakSegmentBitrateAndAverageBandwidthTheMean() {
        // RFC 8216 §4.3.4.2: BANDWIDTH is the peak segment bit rate, AVERAGE-BANDWIDTH the average one.
        for (M3u8.Tag v : playlist(TITLE + "master.m3u8").tags("#EXT-X-STREAM-INF")) {
            String media = TITLE + v.uri();
            M3u8 playlist = playlist(media);
            List<Double> durations = playlist.durations();
            List<M3u8.Tag> segments = playlist.tags("#EXTINF");
            double peak = 0;
            double bits = 0;
            for (int i = 0; i < segments.size(); i++) {
                long length = get(URI.create(media).resolve(segments.get(i).uri()).toString()).body().length;
                peak = Math.max(peak, length * 8 / durations.get(i));
                bits += length * 8;
            }
            double average = bits / durations.stream().mapToDouble(Double::doubleValue).sum();
            assertTrue(peak <= Long.parseLong(v.attribute("BANDWIDTH")) + 1, "peak " + peak + " > " + v);
            assertEquals(average, Long.parseLong(v.attribute("AVERAGE-BANDWIDTH")), average * 0.01, v.toString());
        }
    }

    @Test
    void theMasterPlaylistOffersAnIFramePlaylistPerRendition() {
        List<M3u8.Tag> iframes = playlist(TITLE + "master.m3u8").tags("#EXT-X-I-FRAME-STREAM-INF");
        assertEquals(3, iframes.size(), "I-frame variants: " + iframes);
        for (int i = 0; i < 3; i++) {
            M3u8.Tag v = iframes.get(i);
            assertTrue(Long.parseLong(v.attribute("BANDWIDTH")) > 0, v.toString());
            assertTrue(AVC.matcher(v.attribute("CODECS")).matches(), "video codec alone: " + v);
            assertEquals(RESOLUTIONS.get(i), v.attribute("RESOLUTION"));
            assertEquals(RENDITIONS.get(i) + "/iframes.m3u8", v.attribute("URI"));
            assertNotNull(playlist(TITLE + v.attribute("URI")).tag("#EXT-X-I-FRAMES-ONLY"), v.toString());
        }
    }

    @Test
    void iFrameVariantsCarryNoAttributeRfc8216ExcludesForThem() {
        // RFC 8216 §4.3.4.3: every EXT-X-STREAM-INF attribute applies "except for the FRAME-RATE, AUDIO,
        // SUBTITLES, and CLOSED-CAPTIONS attributes".
        for (String master : List.of(TITLE + "master.m3u8", "/sample.mp4/master.m3u8")) {
            for (M3u8.Tag v : playlist(master).tags("#EXT-X-I-FRAME-STREAM-INF")) {
                for (String excluded : List.of("FRAME-RATE", "AUDIO", "SUBTITLES", "CLOSED-CAPTIONS")) {
                    assertNull(v.attribute(excluded), excluded + " on an I-frame variant in " + master + ": " + v);
                }
            }
        }
    }

    @Test
    void subtitlesAreARenditionGroupThatEveryVariantNames() {
        M3u8 master = playlist(TITLE + "master.m3u8");
        M3u8.Tag media = master.tag("#EXT-X-MEDIA");
        assertNotNull(media, "no EXT-X-MEDIA for sample.en.vtt");
        assertEquals("SUBTITLES", media.attribute("TYPE"));
        assertEquals("en", media.attribute("LANGUAGE"));
        assertFalse(media.attribute("NAME").isEmpty());
        assertEquals("sample.en.vtt/index.m3u8", media.attribute("URI"));
        String group = media.attribute("GROUP-ID");
        assertFalse(group.isEmpty());
        for (M3u8.Tag v : master.tags("#EXT-X-STREAM-INF")) {
            assertEquals(group, v.attribute("SUBTITLES"), v.toString());
        }
        M3u8 subtitles = playlist(TITLE + media.attribute("URI"));
        assertEquals(List.of("../sample.en.vtt"), subtitles.uris());
        assertEquals(12.0, subtitles.durations().stream().mapToDouble(Double::doubleValue).sum(), 0.04);
        assertTrue(Long.parseLong(subtitles.tag("#EXT-X-TARGETDURATION").value()) >= 12);
        assertEquals("#EXT-X-ENDLIST", subtitles.lines().get(subtitles.lines().size() - 1));
    }

    @Test
    void twoSubtitleFilesInOneLanguageHaveDistinctNames() {
        // RFC 8216 §4.3.4.1.1: "All EXT-X-MEDIA tags in the same Group MUST have different NAME attributes."
        List<M3u8.Tag> media = playlist("/two-subtitles/master.m3u8").tags("#EXT-X-MEDIA");
        assertEquals(2, media.size(), media.toString());
        Set<String> names = new HashSet<>();
        for (M3u8.Tag m : media) {
            assertEquals("en", m.attribute("LANGUAGE"));
            assertTrue(names.add(m.attribute("GROUP-ID") + "/" + m.attribute("NAME")),
                    "NAME " + m.attribute("NAME") + " twice in group " + m.attribute("GROUP-ID") + ": " + media);
        }
    }

    @Test
    void aSingleFileIsAOneVariantTitleWithoutSubtitles() {
        M3u8 master = playlist("/sample.mp4/master.m3u8");
        List<M3u8.Tag> variants = master.tags("#EXT-X-STREAM-INF");
        assertEquals(1, variants.size());
        assertEquals("640x360", variants.get(0).attribute("RESOLUTION"));
        assertEquals("index.m3u8", variants.get(0).uri());
        assertNull(variants.get(0).attribute("SUBTITLES"));
        assertTrue(master.tags("#EXT-X-MEDIA").isEmpty());
        assertEquals("iframes.m3u8", master.tag("#EXT-X-I-FRAME-STREAM-INF").attribute("URI"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sample-title/240p.mp4/index.m3u8", "/sample-title/360p.mp4/index.m3u8",
        "/sample-title/720p.mp4/index.m3u8", "/sample-title/720p.mp4/iframes.m3u8", "/sample.mp4/index.m3u8",
        "/sample-moov-at-end.mp4/index.m3u8", "/sample-fragmented.mp4/index.m3u8",
        "/sample-fragmented.mp4/iframes.m3u8"})
    void mediaPlaylistsAreCompleteVideoOnDemandPlaylists(String path) {
        String text = Http.text(server.url(path));
        // RFC 8216 §4.1: UTF-8 without BOM and without control characters other than CR and LF.
        assertTrue(text.chars().allMatch(c -> c == '\n' || c == '\r'
                || (c >= 0x20 && !(c >= 0x7f && c <= 0x9f) && c != 0xfeff)), "control character or BOM in " + path);
        M3u8 m = M3u8.parse(text);
        assertEquals("#EXTM3U", m.lines().get(0));
        assertEquals("7", m.tag("#EXT-X-VERSION").value());
        assertEquals("VOD", m.tag("#EXT-X-PLAYLIST-TYPE").value());
        assertNotNull(m.tag("#EXT-X-MAP").attribute("URI"), "EXT-X-MAP without URI");
        assertEquals(path.endsWith("iframes.m3u8"), m.tag("#EXT-X-I-FRAMES-ONLY") != null);
        long target = Long.parseLong(m.tag("#EXT-X-TARGETDURATION").value());
        List<Double> durations = m.durations();
        assertEquals(2, durations.size(), "segments: " + durations);
        for (double d : durations) {
            assertTrue(Math.round(d) <= target, "EXTINF " + d + " rounds above EXT-X-TARGETDURATION " + target);
        }
        assertEquals(12.0, durations.stream().mapToDouble(Double::doubleValue).sum(), 0.04, "sum of EXTINF");
        assertEquals("#EXT-X-ENDLIST", m.lines().get(m.lines().size() - 1));
        assertEquals(1, m.tags("#EXT-X-ENDLIST").size());
    }

    @ParameterizedTest
    @CsvSource({"/sample-title/master.m3u8, 3, 1", "/sample.mp4/master.m3u8, 1, 0",
        "/sample-moov-at-end.mp4/master.m3u8, 1, 0", "/sample-fragmented.mp4/master.m3u8, 1, 0"})
    void everyUriInEveryPlaylistResolvesToA200(String master, int renditions, int subtitles) {
        Queue<String> playlists = new ArrayDeque<>(List.of(server.url(master)));
        Set<String> seenPlaylists = new HashSet<>(playlists);
        Set<String> resources = new LinkedHashSet<>();
        while (!playlists.isEmpty()) {
            String playlistUrl = playlists.remove();
            for (String uri : M3u8.parse(Http.text(playlistUrl)).uris()) {
                String resolved = URI.create(playlistUrl).resolve(uri).toString();
                if (resolved.endsWith(".m3u8")) {
                    if (seenPlaylists.add(resolved)) {
                        playlists.add(resolved);
                    }
                } else if (resources.add(resolved)) {
                    HttpResponse<byte[]> r = Http.get(resolved);
                    assertEquals(200, r.statusCode(), resolved + " (from " + playlistUrl + ")");
                    assertTrue(r.body().length > 0, resolved);
                }
            }
        }
        // master + per rendition (media + I-frame playlist) + per subtitle file
        assertEquals(1 + 2 * renditions + subtitles, seenPlaylists.size(), "playlists: " + seenPlaylists);
        // per rendition: init + 2 segments, video/init + 2 I-frames; per subtitle file: the file
        assertEquals(6 * renditions + subtitles, resources.size(), "resources: " + resources);
    }

    @Test
    void theMpdIsOneStaticPeriodWithVideoAndAudioAdaptationSets() {
        Mpd mpd = Mpd.parse(Http.text(server.url(TITLE + "manifest.mpd")), server.url(TITLE + "manifest.mpd"));
        assertEquals("static", mpd.root().getAttribute("type"));
        assertTrue(mpd.root().getAttribute("profiles").contains("urn:mpeg:dash:profile:isoff-live:2011"));
        double seconds = Duration.parse(mpd.root().getAttribute("mediaPresentationDuration")).toMillis() / 1000.0;
        assertEquals(12.0, seconds, 0.04);
        assertEquals(1, mpd.periods().size());
        assertEquals(1, mpd.adaptationSets("video").size());
        assertEquals("video/mp4", mpd.adaptationSets("video").get(0).getAttribute("mimeType"));
        assertEquals("true", mpd.adaptationSets("video").get(0).getAttribute("segmentAlignment"));
        List<Mpd.Representation> video = mpd.representations("video");
        assertEquals(3, video.size());
        long previous = 0;
        for (int i = 0; i < 3; i++) {
            Mpd.Representation r = video.get(i);
            long bandwidth = Long.parseLong(r.attribute("bandwidth"));
            assertTrue(bandwidth > previous, "not ordered by bandwidth");
            previous = bandwidth;
            assertEquals(RESOLUTIONS.get(i), r.attribute("width") + "x" + r.attribute("height"));
            assertTrue(AVC.matcher(r.attribute("codecs")).matches(), r.attribute("codecs"));
            assertEquals(25.0, Double.parseDouble(r.attribute("frameRate")), 0.001);
            assertEquals(server.url(TITLE + RENDITIONS.get(i) + "/"), r.base().toString());
        }
        assertEquals(1, mpd.adaptationSets("audio").size());
        assertEquals("audio/mp4", mpd.adaptationSets("audio").get(0).getAttribute("mimeType"));
        List<Mpd.Representation> audio = mpd.representations("audio");
        assertEquals(1, audio.size());
        assertEquals("mp4a.40.2", audio.get(0).attribute("codecs"));
        assertEquals("44100", audio.get(0).attribute("audioSamplingRate"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sample-title/manifest.mpd", "/sample.mp4/manifest.mpd",
        "/sample-moov-at-end.mp4/manifest.mpd", "/sample-fragmented.mp4/manifest.mpd"})
    void everySegmentTheMpdDescribesExistsAndMatchesTheHlsSegments(String path) {
        Mpd mpd = Mpd.parse(Http.text(server.url(path)), server.url(path));
        List<Mpd.Representation> reps = new ArrayList<>(mpd.representations("video"));
        reps.addAll(mpd.representations("audio"));
        for (Mpd.Representation r : reps) {
            String type = r.contentType() + "/mp4";
            HttpResponse<byte[]> init = Http.get(r.init().toString());
            assertEquals(200, init.statusCode(), r.init().toString());
            assertEquals(type, Http.header(init, "Content-Type"));
            assertEquals(List.of("ftyp", "moov"), Mp4Boxes.types(init.body()), r.init().toString());
            int hlsSegments = M3u8.parse(Http.text(r.base().resolve("index.m3u8").toString())).durations().size();
            assertEquals(hlsSegments, r.timelineSegments(), "S entries (with @r) of " + r.base());
            assertEquals(hlsSegments, r.media().size());
            for (URI segment : r.media()) {
                HttpResponse<byte[]> s = Http.get(segment.toString());
                assertEquals(200, s.statusCode(), segment.toString());
                assertEquals(type, Http.header(s, "Content-Type"));
                assertEquals(List.of("moof", "mdat"), Mp4Boxes.types(s.body()), segment.toString());
            }
            Long end = null;
            for (Mpd.S s : r.timeline()) {
                assertTrue(end == null || s.t() == null || s.t().equals(end), "gap or overlap in " + r.timeline());
                end = (s.t() == null ? end : s.t()) + s.d() * (1 + s.r());
            }
            assertEquals(12.0, r.timelineSeconds(), r.contentType().equals("video") ? 0.04 : 0.1, r.base() + " "
                    + r.contentType());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sample-title/manifest.mpd", "/sample.mp4/manifest.mpd",
        "/sample-moov-at-end.mp4/manifest.mpd", "/sample-fragmented.mp4/manifest.mpd"})
    void segmentTimelineStartsAreUnsigned(String path) {
        // ISO/IEC 23009-1 schema: S@t is xs:unsignedLong; a presentation that starts before 0 needs
        // presentationTimeOffset rather than a negative time.
        Mpd mpd = Mpd.parse(Http.text(server.url(path)), server.url(path));
        for (String type : List.of("video", "audio")) {
            for (Mpd.Representation r : mpd.representations(type)) {
                for (Mpd.S s : r.timeline()) {
                    assertTrue(s.t() == null || s.t() >= 0, type + " S@t=" + s.t() + " in " + path);
                }
            }
        }
    }
}
