package dev.vod.internal.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MimeTypesTest {
    private final MimeTypes mime = MimeTypes.defaults();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "a.mp4   | video/mp4",
        "a.m4v   | video/mp4",
        "a.m4a   | audio/mp4",
        "a.m4s   | video/iso.segment",
        "a.mov   | video/quicktime",
        "a.webm  | video/webm",
        "a.mkv   | video/x-matroska",
        "a.ogg   | audio/ogg",
        "a.ogv   | video/ogg",
        "a.oga   | audio/ogg",
        "a.mp3   | audio/mpeg",
        "a.aac   | audio/aac",
        "a.ts    | video/mp2t",
        "a.m3u8  | application/vnd.apple.mpegurl; charset=utf-8",
        "a.mpd   | application/dash+xml; charset=utf-8",
        "a.vtt   | text/vtt; charset=utf-8",
        "a.srt   | application/x-subrip",
        "a.jpg   | image/jpeg",
        "a.jpeg  | image/jpeg",
        "a.png   | image/png",
        "a.gif   | image/gif",
        "a.webp  | image/webp",
        "a.svg   | image/svg+xml; charset=utf-8",
        "a.ico   | image/x-icon",
        "a.html  | text/html; charset=utf-8",
        "a.htm   | text/html; charset=utf-8",
        "a.css   | text/css; charset=utf-8",
        "a.js    | text/javascript; charset=utf-8",
        "a.mjs   | text/javascript; charset=utf-8",
        "a.json  | application/json; charset=utf-8",
        "a.txt   | text/plain; charset=utf-8",
        "a.xml   | application/xml; charset=utf-8",
        "a.wasm  | application/wasm",
        "a.pdf   | application/pdf",
    })
    void builtInTable(String name, String type) {
        assertEquals(type, mime.forFileName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"A.MP4", "a.Mp4", "movie.final.MP4"})
    void extensionIsCaseInsensitive(String name) {
        assertEquals("video/mp4", mime.forFileName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"README", "a.unknownext", "a.", ".mp4", "archive.tar.gz", "", "dir.mp4/file"})
    void unknownOrMissingExtensionIsOctetStream(String name) {
        assertEquals("application/octet-stream", mime.forFileName(name));
    }

    @Test
    void onlyTheLastNameOfAPathCounts() {
        assertEquals("video/webm", mime.forFileName("videos.d/clip.webm"));
    }

    @Test
    void overridesWinAndAreUsedAsGiven() {
        MimeTypes custom = new MimeTypes(Map.of("mp4", "application/x-custom", "foo", "text/x-foo"));
        assertEquals("application/x-custom", custom.forFileName("a.mp4"));
        assertEquals("text/x-foo", custom.forFileName("a.FOO"));
        assertEquals("video/webm", custom.forFileName("a.webm"));
    }

    @Test
    void overrideKeysAreNormalised() {
        MimeTypes custom = new MimeTypes(Map.of(".MKV", "video/webm"));
        assertEquals("video/webm", custom.forFileName("a.mkv"));
    }

    @Test
    void mediaTypesAreAudioAndVideo() {
        assertTrue(MimeTypes.isMedia("video/mp4"));
        assertTrue(MimeTypes.isMedia("audio/mpeg"));
        assertTrue(MimeTypes.isMedia("Video/MP4"));
        assertFalse(MimeTypes.isMedia("application/vnd.apple.mpegurl; charset=utf-8"));
        assertFalse(MimeTypes.isMedia("image/png"));
        assertFalse(MimeTypes.isMedia(null));
    }
}
