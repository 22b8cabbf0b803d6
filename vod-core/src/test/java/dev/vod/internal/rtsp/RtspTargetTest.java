package dev.vod.internal.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vod.internal.HttpProblem;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RtspTargetTest {
    @Test
    void anAbsoluteUrl() {
        RtspTarget t = RtspTarget.parse("rtsp://host:8554/films/a.mp4");
        assertEquals(List.of("films", "a.mp4"), t.path().segments());
        assertEquals(-1, t.track());
    }

    @Test
    void aTrackControlUrl() {
        RtspTarget t = RtspTarget.parse("rtsp://host/films/a.mp4/trackID=2");
        assertEquals(List.of("films", "a.mp4"), t.path().segments());
        assertEquals(2, t.track());
        assertEquals(-1, t.aggregate().track());
    }

    @Test
    void theContentBaseWithItsTrailingSlash() {
        assertEquals(List.of("a.mp4"), RtspTarget.parse("rtsp://host/a.mp4/").path().segments());
    }

    @Test
    void theSeedsRelativeName() {
        assertEquals(List.of("movie.Mjpeg"), RtspTarget.parse("movie.Mjpeg").path().segments());
    }

    @Test
    void percentEncodingIsDecodedOnce() {
        assertEquals(List.of("My Film.mp4"), RtspTarget.parse("rtsp://h/My%20Film.mp4").path().segments());
        assertEquals(List.of("%41.mp4"), RtspTarget.parse("rtsp://h/%2541.mp4").path().segments());
    }

    @Test
    void aQueryIsIgnored() {
        assertEquals(List.of("a.mp4"), RtspTarget.parse("rtsp://h/a.mp4?token=1").path().segments());
    }

    @Test
    void aTrackNumberOutOfRangeIs404() {
        assertEquals(404, assertThrows(HttpProblem.class, () -> RtspTarget.parse("rtsp://h/a.mp4/trackID=0"))
                .status());
        assertEquals(404, assertThrows(HttpProblem.class, () -> RtspTarget.parse("rtsp://h/a.mp4/trackID=99"))
                .status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "", "http://h/a.mp4", "rtsp://h/a%zz.mp4", "rtsp://h/../etc/passwd",
        "rtsp://h/a.mp4/trackID=x", "rtsp://h/a%00.mp4", "rtsp://h/a%2Fb.mp4"})
    void malformedUrisAre400(String uri) {
        assertEquals(400, assertThrows(HttpProblem.class, () -> RtspTarget.parse(uri)).status());
    }
}
