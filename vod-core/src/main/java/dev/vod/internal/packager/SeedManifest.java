package dev.vod.internal.packager;

/**
 * The seed format {@code manifest.txt}: the title, the number of tracks, then per track (lowest bitrate first)
 * its file name relative to the title folder, MIME type with codecs, average bit rate, segment duration in
 * milliseconds, the number of segments N and N lines {@code "<offset> <length>"} — the init segment, then each
 * fragment, contiguous, so fetching them in order with Range requests and concatenating gives a fragmented MP4
 * that ffmpeg plays from a pipe. Plain integers, {@code \n} line ends. A track is the rendition's virtual
 * fragmented MP4, or, for a fragmented source whose own fragments begin at the segment boundaries, the source
 * file itself.
 */
public final class SeedManifest {
    /** The file name a rendition's virtual fragmented MP4 has under its folder. */
    public static final String VIRTUAL_FILE = "fragmented.mp4";

    private SeedManifest() {
    }

    public static String write(Title title, long segmentMillis) {
        StringBuilder txt = new StringBuilder(256);
        txt.append(singleLine(title.name())).append('\n').append(title.renditions().size()).append('\n');
        for (Title.Entry e : title.renditions()) {
            Rendition r = e.rendition();
            long[] source = r.sourceLayout();
            long[] ends = source != null ? java.util.Arrays.copyOfRange(source, 1, source.length) : r.virtualOffsets();
            // A fragmented source whose own fragments are the segments is listed itself, not repackaged.
            String file = source == null ? e.base() + VIRTUAL_FILE
                    : e.base().isEmpty() ? "../" + dev.vod.internal.content.RequestPath.encodeSegment(e.fileName())
                    : e.base().substring(0, e.base().length() - 1);
            double seconds = r.durationSeconds();
            long bitrate = seconds > 0 ? Math.round(ends[ends.length - 1] * 8 / seconds) : 0;
            String codecs = r.audio() == null ? r.video().codecs() : r.video().codecs() + ", " + r.audio().codecs();
            txt.append(file).append('\n')
                    .append("video/mp4; codecs=\"").append(codecs).append("\"\n")
                    .append(bitrate).append('\n')
                    .append(segmentMillis).append('\n')
                    .append(ends.length).append('\n');
            long start = 0;
            for (long end : ends) {
                txt.append(start).append(' ').append(end - start).append('\n');
                start = end;
            }
        }
        return txt.toString();
    }

    private static String singleLine(String text) {
        return text.replaceAll("[\\r\\n]", " ");
    }
}
