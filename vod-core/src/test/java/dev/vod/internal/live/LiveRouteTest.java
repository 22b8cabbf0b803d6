package dev.vod.internal.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vod.internal.HttpProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LiveRouteTest {
    @Test
    void publishingTheMainRendition() {
        assertEquals(new LiveRoute(LiveRoute.Kind.PUBLISH, "cam", "main", -1, -1), LiveRoute.parse("/live/cam"));
    }

    @Test
    void publishingARendition() {
        assertEquals(new LiveRoute(LiveRoute.Kind.PUBLISH, "cam", "720p", -1, -1), LiveRoute.parse("/live/cam/720p"));
    }

    @Test
    void theContinuousStream() {
        assertEquals(LiveRoute.Kind.STREAM, LiveRoute.parse("/live/cam.mp4").kind());
        assertEquals("cam", LiveRoute.parse("/live/cam.mp4").channel());
    }

    @Test
    void playlists() {
        assertEquals(LiveRoute.Kind.MASTER, LiveRoute.parse("/live/cam/master.m3u8").kind());
        assertEquals(new LiveRoute(LiveRoute.Kind.MEDIA, "cam", "720p", -1, -1),
                LiveRoute.parse("/live/cam/720p/index.m3u8"));
        assertEquals(new LiveRoute(LiveRoute.Kind.MEDIA, "cam", "main", -1, -1),
                LiveRoute.parse("/live/cam/index.m3u8"));
    }

    @Test
    void segmentsPartsAndInits() {
        assertEquals(new LiveRoute(LiveRoute.Kind.SEGMENT, "cam", "main", 41, -1),
                LiveRoute.parse("/live/cam/main/seg-41.m4s"));
        assertEquals(new LiveRoute(LiveRoute.Kind.SEGMENT, "cam", "main", 41, 3),
                LiveRoute.parse("/live/cam/main/seg-41.3.m4s"));
        assertEquals(new LiveRoute(LiveRoute.Kind.INIT, "cam", "360p", 2, -1),
                LiveRoute.parse("/live/cam/360p/init-2.mp4"));
    }

    @Test
    void pageStatsChatAndPlayerScript() {
        assertEquals(LiveRoute.Kind.PLAYER, LiveRoute.parse("/live/cam/").kind());
        assertEquals(LiveRoute.Kind.STATS, LiveRoute.parse("/live/cam/stats.json").kind());
        assertEquals(LiveRoute.Kind.CHAT, LiveRoute.parse("/live/cam/chat").kind());
        assertEquals(LiveRoute.Kind.HLS_JS, LiveRoute.parse("/live/cam/hls.min.js").kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/live/", "/live/a b", "/live/../x", "/live/cam/main/seg-x.m4s", "/live/cam/main/seg--1.m4s",
        "/live/cam/main/init-.mp4", "/live/cam/main/other.txt", "/live/cam/a/b/c", "/live/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "/live/cam/ma.in/index.m3u8", "/video/cam", "/live/cam/main/seg-99999999999999999999.m4s"})
    void anythingElseIs404(String path) {
        assertEquals(404, assertThrows(HttpProblem.class, () -> LiveRoute.parse(path)).status());
    }
}
