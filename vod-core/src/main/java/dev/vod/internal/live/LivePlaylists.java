package dev.vod.internal.live;

import dev.vod.internal.mp4.LiveInit;
import dev.vod.internal.mp4.MediaTrack;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes live HLS playlists (RFC 8216, with the Low-Latency extensions of its second edition): a master playlist
 * of the channel's renditions, and a sliding-window media playlist per rendition. Pure text from snapshots.
 *
 * <pre>
 * #EXTM3U
 * #EXT-X-VERSION:9
 * #EXT-X-TARGETDURATION:2
 * #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500
 * #EXT-X-PART-INF:PART-TARGET=0.500
 * #EXT-X-MEDIA-SEQUENCE:41
 * #EXT-X-DISCONTINUITY-SEQUENCE:0
 * #EXT-X-MAP:URI="init-1.mp4"
 * #EXT-X-PROGRAM-DATE-TIME:2026-12-02T02:30:00.000Z
 * #EXTINF:2.000,
 * seg-41.m4s
 * #EXT-X-PROGRAM-DATE-TIME:2026-12-02T02:30:02.000Z
 * #EXT-X-PART:DURATION=0.500,URI="seg-42.0.m4s",INDEPENDENT=YES
 * #EXT-X-PART:DURATION=0.500,URI="seg-42.1.m4s"
 * </pre>
 */
final class LivePlaylists {
    private LivePlaylists() {
    }

    /**
     * One segment as a playlist lists it.
     *
     * @param parts       durations of its parts (fragments)
     * @param independent whether each part starts with a key frame
     */
    record SegmentView(long sequence, long programDateTime, double seconds, boolean discontinuity, int init,
                       boolean complete, double[] parts, boolean[] independent) {
    }

    /**
     * A rendition's state for its media playlist.
     *
     * @param partTarget longest part so far, 0 when the publisher sends whole-GOP fragments (no parts listed)
     * @param ended      the publisher left: {@code EXT-X-ENDLIST}
     */
    record Media(List<SegmentView> segments, long discontinuitySequence, double targetSeconds, double partTarget,
                 boolean ended) {
        /** The sequence number the next complete segment will have, and its next part, for blocking reloads. */
        long nextSequence() {
            return segments.isEmpty() ? 0 : segments.get(segments.size() - 1).sequence + 1;
        }
    }

    /** A rendition as the master playlist lists it. */
    record Variant(String name, long bandwidth, LiveInit init) {
    }

    static String media(Media m) {
        StringBuilder out = new StringBuilder(1024);
        boolean parts = m.partTarget() > 0;
        line(out, "#EXTM3U");
        line(out, "#EXT-X-VERSION:" + (parts ? 9 : 7));
        line(out, "#EXT-X-TARGETDURATION:" + (long) Math.ceil(m.targetSeconds() - 1e-6));
        if (parts) {
            line(out, "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=" + fixed(3 * partTarget(m)));
            line(out, "#EXT-X-PART-INF:PART-TARGET=" + fixed(partTarget(m)));
        } else {
            // Blocking reload without parts: a player asks for the next segment's playlist (_HLS_msn) and gets it
            // the moment that segment exists, one request per segment instead of polling (and sooner).
            line(out, "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES");
        }
        long first = m.segments().isEmpty() ? 0 : m.segments().get(0).sequence();
        line(out, "#EXT-X-MEDIA-SEQUENCE:" + first);
        line(out, "#EXT-X-DISCONTINUITY-SEQUENCE:" + m.discontinuitySequence());
        int init = -1;
        // Parts are listed for the last segments only (RFC 8216bis §4.4.4.9: those within three target durations
        // of the end), which is all a low-latency player needs.
        double partsFrom = total(m) - 3 * m.targetSeconds();
        double at = 0;
        for (SegmentView s : m.segments()) {
            if (s.discontinuity() && s != m.segments().get(0)) {
                line(out, "#EXT-X-DISCONTINUITY");
            }
            if (s.init() != init) {
                line(out, "#EXT-X-MAP:URI=\"init-" + s.init() + ".mp4\"");
                init = s.init();
            }
            line(out, "#EXT-X-PROGRAM-DATE-TIME:" + Instant.ofEpochMilli(s.programDateTime())
                    .truncatedTo(ChronoUnit.MILLIS));
            if (parts && (at + s.seconds() >= partsFrom || !s.complete())) {
                for (int i = 0; i < s.parts().length; i++) {
                    line(out, "#EXT-X-PART:DURATION=" + fixed(s.parts()[i]) + ",URI=\"seg-" + s.sequence() + "." + i
                            + ".m4s\"" + (s.independent()[i] ? ",INDEPENDENT=YES" : ""));
                }
            }
            if (s.complete()) {
                line(out, "#EXTINF:" + fixed(s.seconds()) + ",");
                line(out, "seg-" + s.sequence() + ".m4s");
            }
            at += s.seconds();
        }
        if (m.ended()) {
            line(out, "#EXT-X-ENDLIST");
        }
        return out.toString();
    }

    private static double partTarget(Media m) {
        return Math.ceil(m.partTarget() * 1000) / 1000;
    }

    private static double total(Media m) {
        double t = 0;
        for (SegmentView s : m.segments()) {
            t += s.seconds();
        }
        return t;
    }

    static String master(List<Variant> variants) {
        List<Variant> sorted = new ArrayList<>(variants);
        sorted.sort((a, b) -> Long.compare(a.bandwidth(), b.bandwidth()));
        StringBuilder out = new StringBuilder(512);
        line(out, "#EXTM3U");
        line(out, "#EXT-X-VERSION:7");
        line(out, "#EXT-X-INDEPENDENT-SEGMENTS");
        for (Variant v : sorted) {
            StringBuilder inf = new StringBuilder("#EXT-X-STREAM-INF:BANDWIDTH=")
                    .append(Math.max(1, Math.round(v.bandwidth() * 1.1)));
            List<String> codecs = new ArrayList<>();
            String resolution = null;
            for (LiveInit.TrackInfo t : v.init().tracks()) {
                if (t.codecs() != null && t.kind() != MediaTrack.Kind.OTHER) {
                    codecs.add(t.codecs());
                }
                if (t.kind() == MediaTrack.Kind.VIDEO && t.width() > 0 && resolution == null) {
                    resolution = t.width() + "x" + t.height();
                }
            }
            if (!codecs.isEmpty()) {
                inf.append(",CODECS=\"").append(String.join(",", codecs)).append('"');
            }
            if (resolution != null) {
                inf.append(",RESOLUTION=").append(resolution);
            }
            line(out, inf.toString());
            line(out, v.name() + "/index.m3u8");
        }
        return out.toString();
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static void line(StringBuilder out, String line) {
        out.append(line).append('\n');
    }
}
