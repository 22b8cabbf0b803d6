package dev.vod.internal.packager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vod.internal.content.RequestPath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The grammar of derived URLs: one name after a source path, canonical segment numbers only. */
class PackagedPathTest {
    @ParameterizedTest
    @CsvSource({
        "/T/master.m3u8, /T, MASTER, MUXED, -1",
        "/T/manifest.mpd, /T, MPD, MUXED, -1",
        "/T/manifest.txt, /T, SEED, MUXED, -1",
        "/T/player.html, /T, PLAYER, MUXED, -1",
        "/T/hls.min.js, /T, HLS_JS, MUXED, -1",
        "/master.m3u8, /, MASTER, MUXED, -1",
        "/x.mp4/master.m3u8, /x.mp4, MASTER, MUXED, -1",
        "/T/720p.mp4/index.m3u8, /T/720p.mp4, MEDIA_PLAYLIST, MUXED, -1",
        "/T/720p.mp4/iframes.m3u8, /T/720p.mp4, IFRAME_PLAYLIST, VIDEO, -1",
        "/T/720p.mp4/init.mp4, /T/720p.mp4, INIT, MUXED, -1",
        "/T/720p.mp4/seg-1.m4s, /T/720p.mp4, SEGMENT, MUXED, 0",
        "/T/720p.mp4/seg-1200.m4s, /T/720p.mp4, SEGMENT, MUXED, 1199",
        "/T/720p.mp4/fragmented.mp4, /T/720p.mp4, VIRTUAL_FILE, MUXED, -1",
        "/T/720p.mp4/video/init.mp4, /T/720p.mp4, INIT, VIDEO, -1",
        "/T/720p.mp4/video/seg-3.m4s, /T/720p.mp4, SEGMENT, VIDEO, 2",
        "/T/720p.mp4/video/iframe-3.m4s, /T/720p.mp4, IFRAME, VIDEO, 2",
        "/T/720p.mp4/audio/init.mp4, /T/720p.mp4, INIT, AUDIO, -1",
        "/T/720p.mp4/audio/seg-2.m4s, /T/720p.mp4, SEGMENT, AUDIO, 1",
        "/x.mp4/seg-2.m4s, /x.mp4, SEGMENT, MUXED, 1",
        "/T/sub.en.vtt/index.m3u8, /T/sub.en.vtt, MEDIA_PLAYLIST, MUXED, -1",
    })
    void derivedNames(String url, String source, PackagedPath.Kind kind, Selection selection, int segment) {
        PackagedPath p = PackagedPath.parse(RequestPath.parse(url));
        assertEquals(source, p.source().toString());
        assertEquals(kind, p.kind());
        assertEquals(selection, p.selection());
        assertEquals(segment, p.segment());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/T/", "/T/master.m3u8/", "/x.mp4", "/index.m3u8", "/T/x.mp4/seg-0.m4s",
        "/T/x.mp4/seg-01.m4s", "/T/x.mp4/seg--1.m4s", "/T/x.mp4/seg-1x.m4s", "/T/x.mp4/seg-.m4s",
        "/T/x.mp4/seg-1234567890.m4s", "/T/x.mp4/audio/iframe-1.m4s", "/T/x.mp4/foo.m3u8", "/T/x.mp4/seg-1.mp4",
        "/T/x.mp4/video/index.m3u8x", "/T/x.mp4/SEG-1.m4s"})
    void otherPathsAreNotDerived(String url) {
        assertNull(PackagedPath.parse(RequestPath.parse(url)), url);
    }
}
