package dev.vod.internal.content;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code Content-Type} by file extension: a built-in table for video, audio, streaming manifests, subtitles and the
 * usual web files, plus configured overrides.
 *
 * <p>Choices worth knowing:
 * <ul>
 *   <li>{@code .m4v} is {@code video/mp4}, not Apple's {@code video/x-m4v}: it is the same container, and every
 *       browser's {@code <video>} accepts {@code video/mp4} while some refuse the {@code x-} type.</li>
 *   <li>{@code .ogg} is {@code audio/ogg} (by far the common case; {@code .ogv} is {@code video/ogg}).</li>
 *   <li>{@code .srt} is {@code application/x-subrip} without a charset: SRT files in the wild are often not
 *       UTF-8, and browsers do not render SRT anyway (players that fetch it sniff the encoding).</li>
 *   <li>{@code ; charset=utf-8} is appended to {@code text/*} and to the textual application types JSON, XML,
 *       JavaScript, SVG, HLS ({@code m3u8}) and DASH ({@code mpd}), which are UTF-8 by specification or in
 *       practice.</li>
 *   <li>Overrides are used exactly as given (no charset added) and win over the table.</li>
 *   <li>Unknown or missing extension: {@code application/octet-stream}.</li>
 * </ul>
 */
public final class MimeTypes {
    /** The type for unknown extensions. */
    public static final String DEFAULT_TYPE = "application/octet-stream";

    private static final Set<String> UTF8_APPLICATION_TYPES = Set.of(
            "application/json", "application/xml", "application/javascript", "image/svg+xml",
            "application/vnd.apple.mpegurl", "application/dash+xml");

    private static final Map<String, String> BUILT_IN = withCharsets(Map.ofEntries(
            Map.entry("mp4", "video/mp4"),
            Map.entry("m4v", "video/mp4"),
            Map.entry("m4a", "audio/mp4"),
            Map.entry("m4s", "video/iso.segment"),
            Map.entry("mov", "video/quicktime"),
            Map.entry("webm", "video/webm"),
            Map.entry("mkv", "video/x-matroska"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("ogv", "video/ogg"),
            Map.entry("oga", "audio/ogg"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("aac", "audio/aac"),
            Map.entry("ts", "video/mp2t"),
            Map.entry("m3u8", "application/vnd.apple.mpegurl"),
            Map.entry("mpd", "application/dash+xml"),
            Map.entry("vtt", "text/vtt"),
            Map.entry("srt", "application/x-subrip"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("png", "image/png"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("html", "text/html"),
            Map.entry("htm", "text/html"),
            Map.entry("css", "text/css"),
            Map.entry("js", "text/javascript"),
            Map.entry("mjs", "text/javascript"),
            Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain"),
            Map.entry("xml", "application/xml"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("pdf", "application/pdf")));

    private final Map<String, String> byExtension;

    /**
     * The built-in table with these overrides.
     *
     * @param overrides lower-case extension without dot → full {@code Content-Type} value; keys are lower-cased
     *                  and a leading dot is dropped, to be forgiving
     */
    public MimeTypes(Map<String, String> overrides) {
        Map<String, String> table = new HashMap<>(BUILT_IN);
        overrides.forEach((extension, type) -> {
            String key = extension.toLowerCase(Locale.ROOT);
            table.put(key.startsWith(".") ? key.substring(1) : key, type);
        });
        this.byExtension = Map.copyOf(table);
    }

    /** The built-in table only. */
    public static MimeTypes defaults() {
        return new MimeTypes(Map.of());
    }

    /**
     * The {@code Content-Type} for a file name (or a path with {@code /} separators; only the last name counts).
     * The extension is what follows the last dot, compared case-insensitively; a name whose only dot is its first
     * character ({@code .mp4}) has no extension.
     */
    public String forFileName(String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        if (dot <= slash + 1 || dot == name.length() - 1) {
            return DEFAULT_TYPE;
        }
        String type = byExtension.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type == null ? DEFAULT_TYPE : type;
    }

    private static final List<String> MP4_EXTENSIONS = List.of(".mp4", ".m4v", ".m4a", ".mov", ".3gp");

    /** Whether a file name has an extension of the MP4 family ({@code .mp4 .m4v .m4a .mov .3gp}), any case. */
    public static boolean isMp4Name(String name) {
        for (String ext : MP4_EXTENSIONS) {
            if (name.regionMatches(true, name.length() - ext.length(), ext, 0, ext.length())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a {@code Content-Type} value is audio or video, i.e. worth a play button. */
    public static boolean isMedia(String contentType) {
        return contentType != null && (contentType.regionMatches(true, 0, "video/", 0, 6)
                || contentType.regionMatches(true, 0, "audio/", 0, 6));
    }

    private static Map<String, String> withCharsets(Map<String, String> types) {
        Map<String, String> out = new HashMap<>();
        types.forEach((extension, type) -> out.put(extension,
                type.startsWith("text/") || UTF8_APPLICATION_TYPES.contains(type) ? type + "; charset=utf-8" : type));
        return Map.copyOf(out);
    }
}
