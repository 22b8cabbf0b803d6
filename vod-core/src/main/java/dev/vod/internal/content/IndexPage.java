package dev.vod.internal.content;

import dev.vod.internal.HttpProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * The HTML listing of a directory: what {@code GET /} answers, so a visitor can click a video and watch it.
 *
 * <p>One self-contained UTF-8 page: a table of entries (directories first), a parent link below the root, and one
 * {@code <video id="player" controls>}. Audio and video entries get a "play" link; a few lines of inline script
 * make it load the file into the player. Without script every link is a plain link to the file.
 *
 * <p>A directory that is a <em>title</em> (renditions of one video, docs/packaging.md) is one row: its name and a
 * "▶ play" link open its HLS player page {@code <dir>/player.html} ({@link PlayerPage}), and a small "files" link
 * opens its listing. Whether a directory is a title needs the MP4 parser, so the caller decides, through the
 * predicate given to {@link #list(Path, RequestPath, AccessPolicy, MimeTypes, int, Predicate, Predicate)}.
 *
 * <p>Names are HTML-escaped where shown and percent-encoded (UTF-8) in hrefs, which are absolute paths, so a
 * name such as {@code <script>}, {@code a&b}, {@code "q"}, {@code x#y?z%}, {@code javascript:x} or
 * {@code vidéo} can neither break the markup nor turn into a different URL.
 */
public final class IndexPage {
    private static final DateTimeFormatter MODIFIED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Directories first, then by name ignoring case, then by exact name so the order is total. */
    static final Comparator<Entry> ORDER = Comparator.comparing((Entry e) -> !e.directory())
            .thenComparing(Entry::name, String.CASE_INSENSITIVE_ORDER)
            .thenComparing(Entry::name);

    private static final String STYLE = "body{font:15px/1.45 system-ui,sans-serif;margin:1.5em auto;"
            + "max-width:62em;padding:0 1em;color:#222}"
            + "video{display:block;width:100%;max-height:70vh;background:#000;margin:0 0 1em}"
            + "table{border-collapse:collapse;width:100%}"
            + "th,td{padding:.3em .6em;text-align:left;border-bottom:1px solid #eee}"
            + "td.size{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
            + "a{color:#0645ad;text-decoration:none}a:hover{text-decoration:underline}"
            + "a.files{font-size:.85em;color:#666;margin-left:.6em}";

    private static final String SCRIPT = "document.addEventListener('click',function(e){"
            + "var a=e.target.closest&&e.target.closest('a.play');if(!a)return;"
            + "e.preventDefault();var p=document.getElementById('player');"
            + "p.src=a.href;p.play();p.scrollIntoView({block:'nearest'});});";

    private IndexPage() {
    }

    /**
     * One child of a directory as shown in its listing.
     *
     * @param name         file name as on disk (decoded)
     * @param directory    whether it is a directory (symlinks followed)
     * @param size         size in bytes, 0 for directories
     * @param lastModified epoch milliseconds
     * @param contentType  MIME type for files, {@code null} for directories
     * @param title        whether it is a directory holding a title, shown as one row linking to its player
     * @throws IllegalArgumentException when {@code title} is set on a file
     */
    public record Entry(String name, boolean directory, long size, long lastModified, String contentType,
                        boolean title) {
        /** Checks that only directories are titles: a single MP4 keeps its ordinary row and play link. */
        public Entry {
            if (title && !directory) {
                throw new IllegalArgumentException("Only a directory can be listed as a title: " + name);
            }
        }

        /** An entry that is not a title. */
        public Entry(String name, boolean directory, long size, long lastModified, String contentType) {
            this(name, directory, size, lastModified, contentType, false);
        }

        /** This entry marked as a title. */
        Entry asTitle() {
            return new Entry(name, directory, size, lastModified, contentType, true);
        }
    }

    /**
     * The children of a directory that may be served, sorted (directories first, then by name) and capped.
     * Children the policy denies (dotfiles, confidential, deny globs), names no request path can carry (control
     * characters, backslash), broken symlinks and special files are left out. Only the first {@code limit} entries
     * in sort order are kept, without holding more than {@code limit} in memory. Children are judged by name
     * (their request path), not by where a symlink among them points: such a link is listed, and
     * {@link ContentResolver} answers 403 if it leads outside the root or to a denied place.
     *
     * @param realDir the directory's real path, from {@link Resolved.Directory#realDir()}
     * @param dirPath its request path, from {@link Resolved.Directory#path()}
     * @throws IOException              when the directory cannot be read
     * @throws IllegalArgumentException when {@code limit <= 0}
     */
    public static List<Entry> list(Path realDir, RequestPath dirPath, AccessPolicy policy, MimeTypes mime, int limit)
            throws IOException {
        return list(realDir, dirPath, policy, mime, limit, link -> true);
    }

    /**
     * As {@link #list(Path, RequestPath, AccessPolicy, MimeTypes, int)}, and a symlinked child is listed only when
     * {@code servableLink} accepts its request path: a link whose target is outside the root or denied would
     * only answer 403, so the page does not offer it.
     */
    public static List<Entry> list(Path realDir, RequestPath dirPath, AccessPolicy policy, MimeTypes mime, int limit,
                                   Predicate<RequestPath> servableLink) throws IOException {
        return list(realDir, dirPath, policy, mime, limit, servableLink, dir -> false);
    }

    /**
     * As {@link #list(Path, RequestPath, AccessPolicy, MimeTypes, int, Predicate)}, and each listed directory for
     * which {@code isTitle} holds is marked {@link Entry#title()}.
     *
     * <p>{@code isTitle} gets the child directory's real path (a symlink resolved) and is asked only about the
     * directories that made it into the capped list, since answering may mean parsing MP4 files. It should answer
     * {@code false} for a directory it cannot judge; an {@link UncheckedIOException} from it (say, the directory
     * vanished meanwhile) counts as {@code false}, so one odd folder does not break the whole listing.
     */
    public static List<Entry> list(Path realDir, RequestPath dirPath, AccessPolicy policy, MimeTypes mime, int limit,
                                   Predicate<RequestPath> servableLink, Predicate<Path> isTitle)
            throws IOException {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0: " + limit);
        }
        // Max-heap on the sort order: the head is the entry to drop once more than `limit` are held.
        PriorityQueue<Entry> kept = new PriorityQueue<>(Math.min(limit, 1024) + 1, ORDER.reversed());
        try (DirectoryStream<Path> children = Files.newDirectoryStream(realDir)) {
            for (Path child : children) {
                Entry entry = entryFor(child, dirPath, policy, mime, servableLink);
                if (entry != null) {
                    kept.add(entry);
                    if (kept.size() > limit) {
                        kept.poll();
                    }
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        List<Entry> entries = new ArrayList<>(kept);
        entries.sort(ORDER);
        for (int i = 0; i < entries.size() && entries.get(i).directory(); i++) {
            if (isTitle(realDir.resolve(entries.get(i).name()), isTitle)) {
                entries.set(i, entries.get(i).asTitle());
            }
        }
        return entries;
    }

    private static boolean isTitle(Path child, Predicate<Path> isTitle) {
        try {
            // Only a symlink needs resolving: realDir is real, so a plain child of it is too.
            Path real = Files.isSymbolicLink(child) ? child.toRealPath() : child;
            return isTitle.test(real);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static Entry entryFor(Path child, RequestPath dirPath, AccessPolicy policy, MimeTypes mime,
                                  Predicate<RequestPath> servableLink) {
        String name = child.getFileName().toString();
        RequestPath childPath;
        try {
            childPath = dirPath.child(name, false);
        } catch (IllegalArgumentException e) {
            return null; // a name no request could ask for, e.g. with a control character or backslash
        }
        if (!policy.allows(childPath) || (Files.isSymbolicLink(child) && !servableLink.test(childPath))) {
            return null;
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(child, BasicFileAttributes.class);
        } catch (IOException e) {
            return null; // broken symlink, or removed since listed
        }
        long modified = attributes.lastModifiedTime().toMillis();
        if (attributes.isDirectory()) {
            return new Entry(name, true, 0, modified, null);
        }
        if (!attributes.isRegularFile()) {
            return null;
        }
        return new Entry(name, false, attributes.size(), modified, mime.forFileName(name));
    }

    /**
     * The listing page.
     *
     * @param dirPath   the directory's request path, relative to the mount point
     * @param mountPath the URL prefix the root is served under, e.g. {@code /} or {@code /videos/}
     * @param entries   the children to show, usually from {@link #list}
     */
    public static String render(RequestPath dirPath, String mountPath, List<Entry> entries) {
        String base = encodedMountPrefix(mountPath);
        String dirUrl = base + dirPath.relativeEncoded() + (dirPath.isRoot() ? "" : "/");
        String shownPath = (mountPath.endsWith("/") ? mountPath : mountPath + "/")
                + dirPath.relative() + (dirPath.isRoot() ? "" : "/");
        String title = "Index of " + escape(shownPath);

        StringBuilder html = new StringBuilder(2048 + entries.size() * 256);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(title).append("</title>\n")
                .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<h1>").append(title).append("</h1>\n")
                .append("<video id=\"player\" controls preload=\"none\"></video>\n")
                .append("<table>\n<thead><tr><th>Name</th><th>Size</th><th>Modified (UTC)</th><th></th></tr>"
                        + "</thead>\n<tbody>\n");
        if (!dirPath.isRoot()) {
            RequestPath parent = dirPath.parent();
            String parentUrl = base + parent.relativeEncoded() + (parent.isRoot() ? "" : "/");
            html.append("<tr><td><a href=\"").append(escape(parentUrl))
                    .append("\">../</a></td><td></td><td></td><td></td></tr>\n");
        }
        for (Entry entry : entries) {
            appendRow(html, dirUrl, entry);
        }
        html.append("</tbody>\n</table>\n<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void appendRow(StringBuilder html, String dirUrl, Entry entry) {
        if (entry.title()) {
            appendTitleRow(html, dirUrl, entry);
            return;
        }
        String href = escape(dirUrl + RequestPath.encodeSegment(entry.name()) + (entry.directory() ? "/" : ""));
        String shownName = escape(entry.name()) + (entry.directory() ? "/" : "");
        html.append("<tr><td><a href=\"").append(href).append("\">").append(shownName).append("</a></td>");
        if (entry.directory()) {
            html.append("<td class=\"size\">-</td>");
        } else {
            html.append("<td class=\"size\" title=\"").append(entry.size()).append(" bytes\">")
                    .append(humanSize(entry.size())).append("</td>");
        }
        html.append("<td>").append(MODIFIED.format(Instant.ofEpochMilli(entry.lastModified()))).append("</td><td>");
        if (!entry.directory() && MimeTypes.isMedia(entry.contentType())) {
            html.append("<a class=\"play\" href=\"").append(href).append("\">play</a>");
        }
        html.append("</td></tr>\n");
    }

    /** A title: name and "▶ play" open its player page, "files" its listing. */
    private static void appendTitleRow(StringBuilder html, String dirUrl, Entry entry) {
        String folder = escape(dirUrl + RequestPath.encodeSegment(entry.name()) + "/");
        String player = folder + "player.html"; // escaping a suffix of plain ASCII changes nothing
        html.append("<tr class=\"title\"><td><a class=\"title\" href=\"").append(player).append("\">")
                .append(escape(entry.name())).append("/</a>")
                .append("<a class=\"files\" href=\"").append(folder).append("\">files</a></td>")
                .append("<td class=\"size\">-</td>")
                .append("<td>").append(MODIFIED.format(Instant.ofEpochMilli(entry.lastModified()))).append("</td>")
                // Not class "play": the script loads those into this page's <video>, and a player page is no video.
                .append("<td><a class=\"player\" href=\"").append(player).append("\">\u25B6 play</a></td></tr>\n");
    }

    /** Escapes text for HTML content and double- or single-quoted attribute values. */
    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** 1023 B, 1.5 KiB, 12.3 MiB, ... */
    static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String encodedMountPrefix(String mountPath) {
        try {
            RequestPath mount = RequestPath.parse(mountPath);
            return new RequestPath(mount.segments(), true).encoded();
        } catch (HttpProblem | IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid mount path '" + mountPath + "'", e);
        }
    }
}
