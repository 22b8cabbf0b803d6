package dev.vod.internal.packager;

import dev.vod.internal.content.RequestPath;
import java.util.List;

/**
 * The grammar of derived URLs (docs/packaging.md): a source path (a title folder, an MP4 file or a WebVTT file)
 * followed by one derived name, e.g. {@code T/master.m3u8}, {@code T/720p.mp4/seg-3.m4s},
 * {@code x.mp4/video/init.mp4}. Pure parsing: whether the source exists and what it is, is the caller's to find.
 * Segment numbers are canonical decimal from 1 (no sign, no leading zero), so one segment has one URL.
 *
 * @param source    the path of the folder or file the name is derived from (no trailing slash)
 * @param kind      what is asked for
 * @param selection which tracks, for init and media segments
 * @param segment   the 0-based segment, for {@link Kind#SEGMENT} and {@link Kind#IFRAME}; else -1
 */
public record PackagedPath(RequestPath source, Kind kind, Selection selection, int segment) {

    /** What a derived name names. Title-level kinds apply to folders and single files alike. */
    public enum Kind {
        MASTER(true), MPD(true), SEED(true), PLAYER(true), HLS_JS(true),
        MEDIA_PLAYLIST(false), IFRAME_PLAYLIST(false), INIT(false), SEGMENT(false), IFRAME(false),
        VIRTUAL_FILE(false);

        private final boolean titleLevel;

        Kind(boolean titleLevel) {
            this.titleLevel = titleLevel;
        }

        public boolean titleLevel() {
            return titleLevel;
        }
    }

    /** The derived name's parts, or null when {@code path} is no derived URL. */
    public static PackagedPath parse(RequestPath path) {
        List<String> s = path.segments();
        int n = s.size();
        if (path.trailingSlash() || n == 0) {
            return null;
        }
        String last = s.get(n - 1);
        Kind titleKind = switch (last) {
            case "master.m3u8" -> Kind.MASTER;
            case "manifest.mpd" -> Kind.MPD;
            case "manifest.txt" -> Kind.SEED;
            case "player.html" -> Kind.PLAYER;
            case "hls.min.js" -> Kind.HLS_JS;
            default -> null;
        };
        if (titleKind != null) {
            return new PackagedPath(prefix(s, n - 1), titleKind, Selection.MUXED, -1);
        }
        if (n < 2) {
            return null;
        }
        String folder = n >= 3 ? s.get(n - 2) : "";
        Selection selection = folder.equals("video") ? Selection.VIDEO
                : folder.equals("audio") ? Selection.AUDIO : Selection.MUXED;
        if (selection != Selection.MUXED) {
            RequestPath source = prefix(s, n - 2);
            if (last.equals("init.mp4")) {
                return new PackagedPath(source, Kind.INIT, selection, -1);
            }
            int seg = number(last, "seg-", ".m4s");
            if (seg >= 0) {
                return new PackagedPath(source, Kind.SEGMENT, selection, seg);
            }
            int iframe = selection == Selection.VIDEO ? number(last, "iframe-", ".m4s") : -1;
            if (iframe >= 0) {
                return new PackagedPath(source, Kind.IFRAME, selection, iframe);
            }
        }
        RequestPath source = prefix(s, n - 1);
        return switch (last) {
            case "index.m3u8" -> new PackagedPath(source, Kind.MEDIA_PLAYLIST, Selection.MUXED, -1);
            case "iframes.m3u8" -> new PackagedPath(source, Kind.IFRAME_PLAYLIST, Selection.VIDEO, -1);
            case "init.mp4" -> new PackagedPath(source, Kind.INIT, Selection.MUXED, -1);
            case SeedManifest.VIRTUAL_FILE -> new PackagedPath(source, Kind.VIRTUAL_FILE, Selection.MUXED, -1);
            default -> {
                int seg = number(last, "seg-", ".m4s");
                yield seg >= 0 ? new PackagedPath(source, Kind.SEGMENT, Selection.MUXED, seg) : null;
            }
        };
    }

    private static RequestPath prefix(List<String> segments, int count) {
        return count == 0 ? RequestPath.ROOT : new RequestPath(segments.subList(0, count), false);
    }

    /** The 0-based segment of {@code prefix + N + suffix} with N canonical from 1, or -1. */
    private static int number(String name, String prefix, String suffix) {
        if (!name.startsWith(prefix) || !name.endsWith(suffix)) {
            return -1;
        }
        String digits = name.substring(prefix.length(), name.length() - suffix.length());
        if (digits.isEmpty() || digits.length() > 9 || digits.charAt(0) == '0') {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(digits) - 1;
    }
}
