package dev.vod.internal.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LivePlaylistsTest {
    private static final long T0 = 1_764_633_600_000L; // 2025-12-02T00:00:00Z

    private static LivePlaylists.SegmentView whole(long seq, int init, boolean discontinuity) {
        return new LivePlaylists.SegmentView(seq, T0 + seq * 2000, 2.0, discontinuity, init, true,
                new double[] {2.0}, new boolean[] {true});
    }

    @Test
    void aSlidingWindowOfWholeSegments() {
        String m3u8 = LivePlaylists.media(new LivePlaylists.Media(List.of(whole(7, 1, false), whole(8, 1, false)),
                0, 2.0, 0, false));
        assertEquals(String.join("\n", "#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:2",
                "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES", "#EXT-X-MEDIA-SEQUENCE:7", "#EXT-X-DISCONTINUITY-SEQUENCE:0", "#EXT-X-MAP:URI=\"init-1.mp4\"",
                "#EXT-X-PROGRAM-DATE-TIME:2025-12-02T00:00:14Z", "#EXTINF:2.000,", "seg-7.m4s",
                "#EXT-X-PROGRAM-DATE-TIME:2025-12-02T00:00:16Z", "#EXTINF:2.000,", "seg-8.m4s", ""), m3u8);
    }

    @Test
    void anEndedChannelHasEndList() {
        String m3u8 = LivePlaylists.media(new LivePlaylists.Media(List.of(whole(0, 1, false)), 0, 2.0, 0, true));
        assertTrue(m3u8.endsWith("seg-0.m4s\n#EXT-X-ENDLIST\n"), m3u8);
    }

    @Test
    void aTakeoverIsADiscontinuityWithItsOwnInit() {
        String m3u8 = LivePlaylists.media(new LivePlaylists.Media(List.of(whole(3, 1, false), whole(4, 2, true)),
                1, 2.0, 0, false));
        assertTrue(m3u8.contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n"), m3u8);
        assertTrue(m3u8.contains("seg-3.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-2.mp4\"\n"), m3u8);
    }

    @Test
    void theFirstSegmentsDiscontinuityIsCountedNotTagged() {
        String m3u8 = LivePlaylists.media(new LivePlaylists.Media(List.of(whole(4, 2, true)), 1, 2.0, 0, false));
        assertFalse(m3u8.contains("#EXT-X-DISCONTINUITY\n"), m3u8);
    }

    @Test
    void partsMakeALowLatencyPlaylist() {
        LivePlaylists.SegmentView done = new LivePlaylists.SegmentView(10, T0, 1.0, false, 1, true,
                new double[] {0.5, 0.5}, new boolean[] {true, false});
        LivePlaylists.SegmentView growing = new LivePlaylists.SegmentView(11, T0 + 1000, 0.5, false, 1, false,
                new double[] {0.5}, new boolean[] {true});
        String m3u8 = LivePlaylists.media(new LivePlaylists.Media(List.of(done, growing), 0, 1.0, 0.5, false));
        assertTrue(m3u8.contains("#EXT-X-VERSION:9\n"), m3u8);
        assertTrue(m3u8.contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500\n"), m3u8);
        assertTrue(m3u8.contains("#EXT-X-PART-INF:PART-TARGET=0.500\n"), m3u8);
        assertTrue(m3u8.contains("#EXT-X-PART:DURATION=0.500,URI=\"seg-10.0.m4s\",INDEPENDENT=YES\n"
                + "#EXT-X-PART:DURATION=0.500,URI=\"seg-10.1.m4s\"\n#EXTINF:1.000,\nseg-10.m4s\n"), m3u8);
        assertTrue(m3u8.endsWith("#EXT-X-PART:DURATION=0.500,URI=\"seg-11.0.m4s\",INDEPENDENT=YES\n"),
                "the growing segment lists its parts, not itself: " + m3u8);
        assertEquals(12, new LivePlaylists.Media(List.of(done, growing), 0, 1.0, 0.5, false).nextSequence());
    }

    @Test
    void theTargetDurationRoundsUp() {
        LivePlaylists.SegmentView s = new LivePlaylists.SegmentView(0, T0, 2.04, false, 1, true,
                new double[] {2.04}, new boolean[] {true});
        assertTrue(LivePlaylists.media(new LivePlaylists.Media(List.of(s), 0, 2.04, 0, false))
                .contains("#EXT-X-TARGETDURATION:3\n"));
    }
}
