package dev.vod.internal.dash;

import dev.vod.internal.mp4.MediaTrack;
import dev.vod.internal.packager.Bandwidth;
import dev.vod.internal.packager.Numbers;
import dev.vod.internal.packager.Rendition;
import dev.vod.internal.packager.Selection;
import dev.vod.internal.packager.Title;

/**
 * The static DASH MPD of a packaged title (ISO/IEC 23009-1, isoff-live profile as in the DASH-IF interoperability
 * points): one Period; a video AdaptationSet with a Representation per rendition, an audio AdaptationSet (the
 * first rendition's audio; renditions share their soundtrack), and a text AdaptationSet per WebVTT file. Each
 * Representation has its {@code BaseURL} (the rendition's folder) and a {@code SegmentTemplate} with a
 * {@code SegmentTimeline} over the same segments as HLS. {@code segmentAlignment} is claimed only when the
 * renditions' boundaries coincide.
 */
public final class DashManifest {
    /** The media type of an MPD. */
    public static final String CONTENT_TYPE = "application/dash+xml";

    private DashManifest() {
    }

    public static String mpd(Title title) {
        StringBuilder xml = new StringBuilder(2048);
        double seconds = title.durationSeconds();
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" ")
                .append("profiles=\"urn:mpeg:dash:profile:isoff-live:2011\" type=\"static\" ")
                .append("mediaPresentationDuration=\"").append(duration(seconds)).append("\" ")
                .append("minBufferTime=\"PT2S\">\n")
                .append("  <Period id=\"0\" start=\"PT0S\">\n");
        MediaTrack tallest = null;
        for (Title.Entry e : title.renditions()) {
            MediaTrack v = e.rendition().video();
            tallest = tallest == null || v.height() > tallest.height() ? v : tallest;
        }
        xml.append("    <AdaptationSet id=\"1\" contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"")
                .append(title.aligned()).append("\" startWithSAP=\"1\"");
        if (tallest.width() > 0) {
            xml.append(" maxWidth=\"").append(tallest.width()).append("\" maxHeight=\"").append(tallest.height())
                    .append('"');
        }
        xml.append(">\n");
        int n = 0;
        for (Title.Entry e : title.renditions()) {
            Rendition r = e.rendition();
            MediaTrack v = r.video();
            xml.append("      <Representation id=\"v").append(++n).append("\" bandwidth=\"")
                    .append(Bandwidth.of(r, Selection.VIDEO).peak()).append("\" codecs=\"").append(v.codecs())
                    .append('"');
            if (v.width() > 0) {
                xml.append(" width=\"").append(v.width()).append("\" height=\"").append(v.height()).append('"');
            }
            if (v.frameRate() > 0) {
                xml.append(" frameRate=\"").append(Numbers.decimal(v.frameRate())).append('"');
            }
            xml.append(">\n");
            baseUrl(xml, e.base());
            template(xml, r, Selection.VIDEO);
            xml.append("      </Representation>\n");
        }
        xml.append("    </AdaptationSet>\n");
        Title.Entry withAudio = null;
        for (Title.Entry e : title.renditions()) {
            if (withAudio == null && e.rendition().audio() != null) {
                withAudio = e;
            }
        }
        if (withAudio != null) {
            MediaTrack a = withAudio.rendition().audio();
            xml.append("    <AdaptationSet id=\"2\" contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"")
                    .append(a.language()).append("\" segmentAlignment=\"true\" startWithSAP=\"1\">\n")
                    .append("      <Representation id=\"a1\" bandwidth=\"")
                    .append(Bandwidth.of(withAudio.rendition(), Selection.AUDIO).peak()).append("\" codecs=\"")
                    .append(a.codecs()).append('"');
            if (a.sampleRate() > 0) {
                xml.append(" audioSamplingRate=\"").append(a.sampleRate()).append('"');
            }
            xml.append(">\n");
            if (a.channels() > 0) {
                xml.append("        <AudioChannelConfiguration ")
                        .append("schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"")
                        .append(a.channels()).append("\"/>\n");
            }
            baseUrl(xml, withAudio.base());
            template(xml, withAudio.rendition(), Selection.AUDIO);
            xml.append("      </Representation>\n    </AdaptationSet>\n");
        }
        int id = 3;
        for (Title.Subtitle s : title.subtitles()) {
            xml.append("    <AdaptationSet id=\"").append(id).append("\" contentType=\"text\" mimeType=\"text/vtt\" lang=\"")
                    .append(escape(s.language())).append("\">\n")
                    .append("      <Representation id=\"t").append(id - 2).append("\" bandwidth=\"256\">\n");
            baseUrl(xml, s.url());
            xml.append("      </Representation>\n    </AdaptationSet>\n");
            id++;
        }
        return xml.append("  </Period>\n</MPD>\n").toString();
    }

    private static void baseUrl(StringBuilder xml, String url) {
        if (!url.isEmpty()) {
            xml.append("        <BaseURL>").append(escape(url)).append("</BaseURL>\n");
        }
    }

    /** SegmentTemplate with a timeline of the selection's segment start times, runs of equal durations merged. */
    private static void template(StringBuilder xml, Rendition r, Selection selection) {
        MediaTrack track = r.timelineTrack(selection);
        xml.append("        <SegmentTemplate timescale=\"").append(track.timescale())
                .append("\" initialization=\"").append(selection.folder()).append("init.mp4\" media=\"")
                .append(selection.folder()).append("seg-$Number$.m4s\" startNumber=\"1\">\n")
                .append("          <SegmentTimeline>\n");
        int segments = r.segmentCount();
        long[] starts = new long[segments + 1];
        for (int i = 0; i <= segments; i++) {
            starts[i] = selection == Selection.AUDIO
                    ? (i == segments ? r.media().endTime(track) : r.media().presentationTime(track, r.audioStart(i)))
                    : r.boundaryTime(i);
        }
        // S@t is unsigned: audio whose encoder delay an edit list hides starts a little before 0 (-1024 ticks
        // for AAC); the timeline starts at 0 and the first segment is that much shorter.
        starts[0] = Math.max(0, starts[0]);
        for (int k = 1; k <= segments; k++) {
            starts[k] = Math.max(starts[k], starts[k - 1]);
        }
        int i = 0;
        while (i < segments) {
            long d = starts[i + 1] - starts[i];
            int repeat = 0;
            while (i + repeat + 1 < segments && starts[i + repeat + 2] - starts[i + repeat + 1] == d) {
                repeat++;
            }
            xml.append("            <S t=\"").append(starts[i]).append("\" d=\"").append(d).append('"');
            if (repeat > 0) {
                xml.append(" r=\"").append(repeat).append('"');
            }
            xml.append("/>\n");
            i += repeat + 1;
        }
        xml.append("          </SegmentTimeline>\n        </SegmentTemplate>\n");
    }

    /** An xs:duration with millisecond precision, e.g. {@code PT12.000S}. */
    static String duration(double seconds) {
        return "PT" + Numbers.seconds(Math.round(seconds * 1000), 1000) + "S";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
