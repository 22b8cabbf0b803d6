package dev.vod.internal.hls;

import dev.vod.internal.mp4.MediaTrack;
import dev.vod.internal.packager.Bandwidth;
import dev.vod.internal.packager.Numbers;
import dev.vod.internal.packager.Rendition;
import dev.vod.internal.packager.Selection;
import dev.vod.internal.packager.Title;

/**
 * HLS playlists (RFC 8216, version 7, fMP4 segments) of packaged titles: the multivariant playlist, each
 * rendition's media playlist (muxed audio + video), its I-frame playlist, and one-segment WebVTT subtitle
 * playlists. URIs are relative, so a title can be mounted or proxied under any prefix.
 */
public final class HlsPlaylists {
    /** The media type of every playlist. */
    public static final String CONTENT_TYPE = "application/vnd.apple.mpegurl";
    private static final String SUBTITLES_GROUP = "subs";

    private HlsPlaylists() {
    }

    /** The multivariant playlist: a variant (and an I-frame variant) per rendition, subtitles as a group. */
    public static String master(Title title) {
        StringBuilder m3u8 = new StringBuilder(512).append("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        if (!title.aligned()) {
            m3u8.append("## The renditions' key frames are not aligned: segment boundaries differ between them.\n");
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Title.Subtitle s : title.subtitles()) {
            // NAME must be unique in the group (§4.3.4.1.1): the language, or with the file's name when taken
            String name = names.add(s.language()) ? s.language() : s.language() + " (" + s.fileName() + ")";
            names.add(name);
            m3u8.append("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"").append(SUBTITLES_GROUP).append("\",NAME=\"")
                    .append(quoted(name)).append("\",LANGUAGE=\"").append(quoted(s.language()))
                    .append("\",AUTOSELECT=YES,DEFAULT=NO,URI=\"").append(quoted(s.url())).append("/index.m3u8\"\n");
        }
        for (Title.Entry e : title.renditions()) {
            Rendition r = e.rendition();
            Bandwidth bandwidth = Bandwidth.of(r, Selection.MUXED);
            m3u8.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(bandwidth.peak())
                    .append(",AVERAGE-BANDWIDTH=").append(bandwidth.average())
                    .append(",CODECS=\"").append(codecs(r)).append('"');
            appendPicture(m3u8, r.video(), true);
            if (!title.subtitles().isEmpty()) {
                m3u8.append(",SUBTITLES=\"").append(SUBTITLES_GROUP).append('"');
            }
            m3u8.append('\n').append(e.base()).append("index.m3u8\n");
        }
        for (Title.Entry e : title.renditions()) {
            Rendition r = e.rendition();
            m3u8.append("#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=").append(Bandwidth.ofKeyFrames(r).peak())
                    .append(",CODECS=\"").append(r.video().codecs()).append('"');
            appendPicture(m3u8, r.video(), false); // no FRAME-RATE on I-frame variants (§4.3.4.3)
            m3u8.append(",URI=\"").append(quoted(e.base())).append("iframes.m3u8\"\n");
        }
        return m3u8.toString();
    }

    private static void appendPicture(StringBuilder m3u8, MediaTrack video, boolean frameRate) {
        if (video.width() > 0 && video.height() > 0) {
            m3u8.append(",RESOLUTION=").append(video.width()).append('x').append(video.height());
        }
        if (frameRate && video.frameRate() > 0) {
            m3u8.append(",FRAME-RATE=").append(String.format(java.util.Locale.ROOT, "%.3f", video.frameRate()));
        }
    }

    /** The CODECS attribute of a muxed rendition, e.g. {@code avc1.4d401e,mp4a.40.2}. */
    public static String codecs(Rendition r) {
        return r.audio() == null ? r.video().codecs() : r.video().codecs() + "," + r.audio().codecs();
    }

    /** A rendition's media playlist: its muxed segments {@code seg-N.m4s} after {@code init.mp4}. */
    public static String media(Rendition r) {
        StringBuilder m3u8 = header(r, "");
        m3u8.append("#EXT-X-MAP:URI=\"init.mp4\"\n");
        for (int i = 0; i < r.segmentCount(); i++) {
            m3u8.append("#EXTINF:").append(duration(r, i)).append(",\nseg-").append(i + 1).append(".m4s\n");
        }
        return m3u8.append("#EXT-X-ENDLIST\n").toString();
    }

    /** A rendition's I-frame playlist: the key frame starting each segment, alone, as its own fragment. */
    public static String iframes(Rendition r) {
        StringBuilder m3u8 = header(r, "#EXT-X-I-FRAMES-ONLY\n");
        m3u8.append("#EXT-X-MAP:URI=\"video/init.mp4\"\n");
        for (int i = 0; i < r.segmentCount(); i++) {
            m3u8.append("#EXTINF:").append(duration(r, i)).append(",\nvideo/iframe-").append(i + 1).append(".m4s\n");
        }
        return m3u8.append("#EXT-X-ENDLIST\n").toString();
    }

    /** A subtitle playlist of one segment, the WebVTT file {@code vttUrl} (relative to the playlist). */
    public static String subtitles(String vttUrl, double seconds) {
        long target = Math.max(1, Math.round(Math.ceil(seconds)));
        return "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:" + target + "\n#EXT-X-PLAYLIST-TYPE:VOD\n"
                + "#EXTINF:" + Numbers.seconds(Math.round(seconds * 1000), 1000) + ",\n" + vttUrl
                + "\n#EXT-X-ENDLIST\n";
    }

    private static StringBuilder header(Rendition r, String extra) {
        long target = 1;
        for (int i = 0; i < r.segmentCount(); i++) {
            // §4.3.3.1: the EXTINF duration, rounded to the nearest integer, must not exceed the target duration
            target = Math.max(target, Math.round(r.durationSeconds(i)));
        }
        return new StringBuilder(64 + r.segmentCount() * 32).append("#EXTM3U\n#EXT-X-VERSION:7\n")
                .append("#EXT-X-TARGETDURATION:").append(target).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n")
                .append(extra);
    }

    private static String duration(Rendition r, int i) {
        return Numbers.seconds(r.boundaryTime(i + 1) - r.boundaryTime(i), r.video().timescale());
    }

    /** A quoted-string attribute value cannot hold {@code "} or line breaks (RFC 8216 §4.2). */
    private static String quoted(String value) {
        return value.replaceAll("[\"\\r\\n]", "");
    }
}
