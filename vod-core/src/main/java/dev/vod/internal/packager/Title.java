package dev.vod.internal.packager;

import java.util.List;

/**
 * A title as its manifests describe it: renditions lowest bitrate first, subtitle files, and whether the
 * renditions' segment boundaries coincide (players switch quality at boundaries; a DASH
 * {@code segmentAlignment} or an HLS note must not claim it when they do not).
 *
 * @param name       shown name (the folder's or the file's)
 * @param renditions the renditions, by average bitrate
 * @param subtitles  WebVTT subtitle files
 * @param aligned    whether every rendition has the same segment boundaries
 */
public record Title(String name, List<Entry> renditions, List<Subtitle> subtitles, boolean aligned) {

    /**
     * One rendition of a title.
     *
     * @param fileName  the MP4's file name
     * @param base      the URL folder of its derived resources relative to the title's manifests, percent-encoded:
     *                  {@code 720p.mp4/} in a folder title, {@code ""} for a single-file title
     * @param rendition its segments
     */
    public record Entry(String fileName, String base, Rendition rendition) {
    }

    /**
     * A WebVTT file of the title.
     *
     * @param fileName file name, e.g. {@code movie.en.vtt}
     * @param language the language tag from the name, e.g. {@code en}
     * @param url      its URL relative to the title's manifests, percent-encoded
     */
    public record Subtitle(String fileName, String language, String url) {
    }

    /** Duration of the longest rendition, in seconds. */
    public double durationSeconds() {
        double d = 0;
        for (Entry e : renditions) {
            d = Math.max(d, e.rendition().durationSeconds());
        }
        return d;
    }
}
