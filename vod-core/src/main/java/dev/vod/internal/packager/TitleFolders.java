package dev.vod.internal.packager;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.body.SourceFile;
import dev.vod.internal.content.ContentResolver;
import dev.vod.internal.content.MimeTypes;
import dev.vod.internal.content.RequestPath;
import dev.vod.internal.content.Resolved;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the files of a title on disk: the MP4s directly in a folder (or one file), and the WebVTT files named
 * {@code NAME.LANG.vtt} beside them. Every file is looked up through the {@link ContentResolver}, so the access
 * policy (confidential, dotfiles, deny globs) and the root's symlink rules apply to each exactly as to a
 * request for it.
 *
 * <p>A folder with more than {@link #MAX_RENDITIONS} MP4 files is not a title (a library folder, not the
 * renditions of one video): asking for its manifest must not make the server parse every file in it.
 */
public final class TitleFolders {
    /** More MP4 files than this in one folder: not a title. */
    public static final int MAX_RENDITIONS = 32;
    private static final Pattern SUBTITLE = Pattern.compile("(.+)\\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\\.vtt",
            Pattern.CASE_INSENSITIVE);

    private final ContentResolver resolver;
    private final Packager packager;

    public TitleFolders(ContentResolver resolver, Packager packager) {
        this.resolver = resolver;
        this.packager = packager;
    }

    /**
     * A title and its validators.
     *
     * @param title        the title
     * @param tag          a hash of its files' names and tags: changes when any file does
     * @param lastModified the latest modification time of its files
     */
    public record Found(Title title, String tag, long lastModified) {
    }

    /**
     * Whether a folder looks like a title, judged by names alone (for index pages, which must not parse every
     * file of a library): it holds at least one MP4 file and at most {@link #MAX_RENDITIONS}.
     */
    public static boolean looksLikeTitle(Path realDir) {
        int mp4s = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(realDir)) {
            for (Path child : stream) {
                if (MimeTypes.isMp4Name(child.getFileName().toString()) && Files.isRegularFile(child)) {
                    if (++mp4s > MAX_RENDITIONS) {
                        return false;
                    }
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            return false;
        }
        return mp4s > 0;
    }

    /** Whether {@code name} is a subtitle file a title picks up ({@code NAME.LANG.vtt}). */
    public static boolean isSubtitle(String name) {
        return SUBTITLE.matcher(name).matches();
    }

    /**
     * The title of a folder.
     *
     * @throws HttpProblem 404 when it holds no MP4 with video (or more than {@link #MAX_RENDITIONS} MP4s)
     */
    public Found title(Resolved.Directory dir) {
        List<Packager.Candidate> mp4s = new ArrayList<>();
        List<Title.Subtitle> subtitles = new ArrayList<>();
        List<SourceFile> files = new ArrayList<>();
        for (Child child : children(dir.realDir(), dir.path())) {
            if (MimeTypes.isMp4Name(child.name)) {
                if (mp4s.size() == MAX_RENDITIONS) {
                    throw new HttpProblem(404, "not a title: more than " + MAX_RENDITIONS + " MP4 files in "
                            + dir.path());
                }
                mp4s.add(new Packager.Candidate(child.file, RequestPath.encodeSegment(child.name) + "/"));
                files.add(child.file);
            } else {
                Matcher m = SUBTITLE.matcher(child.name);
                if (m.matches()) {
                    subtitles.add(new Title.Subtitle(child.name, m.group(2), RequestPath.encodeSegment(child.name)));
                    files.add(child.file);
                }
            }
        }
        String name = dir.path().isRoot() ? "/" : dir.path().fileName();
        if (mp4s.isEmpty()) {
            throw new HttpProblem(404, "not a title: no MP4 file in " + dir.path());
        }
        return found(packager.title(name, mp4s, subtitles, true), files);
    }

    /** The one-rendition title of an MP4 file, with the {@code BASENAME.LANG.vtt} files beside it. */
    public Found singleFileTitle(RequestPath filePath, SourceFile file) {
        List<Title.Subtitle> subtitles = new ArrayList<>();
        List<SourceFile> files = new ArrayList<>(List.of(file));
        String name = file.fileName();
        int dot = name.lastIndexOf('.');
        String base = (dot > 0 ? name.substring(0, dot) : name) + ".";
        Path parent = file.path().getParent();
        if (parent != null) {
            for (Child child : children(parent, filePath.parent())) {
                Matcher m = SUBTITLE.matcher(child.name);
                if (m.matches() && child.name.regionMatches(true, 0, base, 0, base.length())
                        && m.group(1).length() + 1 == base.length()) {
                    subtitles.add(new Title.Subtitle(child.name, m.group(2),
                            "../" + RequestPath.encodeSegment(child.name)));
                    files.add(child.file);
                }
            }
        }
        Title title = packager.title(name, List.of(new Packager.Candidate(file, "")), subtitles, false);
        return found(title, files);
    }

    private static Found found(Title title, List<SourceFile> files) {
        long hash = 0xcbf29ce484222325L;
        long modified = 0;
        for (SourceFile f : files) {
            String part = f.fileName() + "\0" + f.etag() + "\0";
            for (int i = 0; i < part.length(); i++) {
                hash = (hash ^ part.charAt(i)) * 0x100000001b3L;
            }
            modified = Math.max(modified, f.lastModified());
        }
        return new Found(title, "t" + Long.toHexString(hash), modified);
    }

    private record Child(String name, SourceFile file) {
    }

    /** Regular files in a folder that a request may read, by name (so the order is stable). */
    private List<Child> children(Path realDir, RequestPath dirPath) {
        List<Child> out = new ArrayList<>();
        RequestPath dir = new RequestPath(dirPath.segments(), true);
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(realDir)) {
            int seen = 0;
            for (Path child : stream) {
                if (++seen > 10_000) {
                    break; // a huge folder: what is listed so far is enough to judge it
                }
                String name = child.getFileName().toString();
                String lower = name.toLowerCase(Locale.ROOT);
                if (!MimeTypes.isMp4Name(name) && !lower.endsWith(".vtt")) {
                    continue;
                }
                try {
                    if (resolver.resolve(dir.child(name, false)) instanceof Resolved.File f) {
                        out.add(new Child(name, f.file()));
                    }
                } catch (HttpProblem | IllegalArgumentException e) {
                    // denied, vanished, or a name no request can carry: not part of the title
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            throw HttpProblem.notFound();
        }
        out.sort(Comparator.comparing(Child::name));
        return out;
    }
}
