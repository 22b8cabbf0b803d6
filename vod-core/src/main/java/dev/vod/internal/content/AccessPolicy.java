package dev.vod.internal.content;

import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.PatternSyntaxException;

/**
 * The one place that decides whether a root-relative path may be served. Files, directories, index listings, GET
 * and HEAD all ask this class, both for the path as requested and for its real path after symlinks.
 *
 * <p>A path is denied when any of its segments
 * <ul>
 *   <li>equals {@code confidential}, ignoring case ({@link Locale#ROOT}), or</li>
 *   <li>starts with {@code .} (dotfiles and dot-directories such as {@code .git}), or</li>
 *   <li>— or the path up to that segment — matches a deny glob.</li>
 * </ul>
 *
 * <p>Deny globs use {@link FileSystem#getPathMatcher} {@code glob:} syntax against root-relative paths. Each glob is
 * tried against every prefix of the path ({@code a}, {@code a/b}, {@code a/b/c.key}) and against every single
 * segment name ({@code a}, {@code b}, {@code c.key}). So:
 * <ul>
 *   <li>{@code *.key} denies {@code x.key} in any directory (matched against the file name);</li>
 *   <li>{@code private} or {@code private/**} deny the directory {@code private} and everything beneath it
 *       (a denied directory hides its whole subtree);</li>
 *   <li>a leading {@code /} anchors nothing extra (paths are already root-relative) and is dropped;</li>
 *   <li>{@code **}{@code /x} also matches {@code x} at the top level, which a plain Java glob would not.</li>
 * </ul>
 * Glob matching is case-sensitive; the {@code confidential} rule is not. {@link ContentResolver} asks again with
 * the real path (symlinks resolved, spelled as the file system returns it), so a symlink cannot lead around a
 * rule.
 */
public final class AccessPolicy {
    private static final String CONFIDENTIAL = "confidential";

    private final List<String> denyGlobs;
    private final List<PathMatcher> matchers;
    private final FileSystem fileSystem = FileSystems.getDefault();

    /**
     * A policy with these extra deny globs.
     *
     * @throws IllegalArgumentException when a glob is blank or has invalid syntax (the message names it)
     */
    public AccessPolicy(List<String> denyGlobs) {
        this.denyGlobs = List.copyOf(denyGlobs);
        List<PathMatcher> compiled = new ArrayList<>();
        for (String glob : this.denyGlobs) {
            String pattern = glob.startsWith("/") ? glob.substring(1) : glob;
            if (pattern.isBlank()) {
                throw new IllegalArgumentException("Invalid deny glob '" + glob + "': empty pattern");
            }
            compiled.add(compile(glob, pattern));
            if (pattern.startsWith("**/") && pattern.length() > 3) {
                compiled.add(compile(glob, pattern.substring(3)));
            }
        }
        this.matchers = List.copyOf(compiled);
    }

    /** The built-in rules only (confidential and dot segments), no deny globs. */
    public static AccessPolicy defaults() {
        return new AccessPolicy(List.of());
    }

    /** The deny globs as configured. */
    public List<String> denyGlobs() {
        return denyGlobs;
    }

    /** Whether a decoded request path may be served. */
    public boolean allows(RequestPath path) {
        return allowsSegments(path.segments());
    }

    /**
     * Whether a root-relative path with forward slashes ({@code a/b.mp4}; "" is the root) may be served. Empty
     * segments are ignored; {@code .} and {@code ..} segments are denied like any dot segment.
     */
    public boolean allows(String rootRelativePath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rootRelativePath.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return allowsSegments(segments);
    }

    private boolean allowsSegments(List<String> segments) {
        for (String segment : segments) {
            if (segment.startsWith(".") || segment.toLowerCase(Locale.ROOT).equals(CONFIDENTIAL)) {
                return false;
            }
        }
        if (matchers.isEmpty()) {
            return true;
        }
        try {
            Path prefix = null;
            for (String segment : segments) {
                Path name = fileSystem.getPath(segment);
                prefix = prefix == null ? name : prefix.resolve(name);
                for (PathMatcher matcher : matchers) {
                    if (matcher.matches(prefix) || matcher.matches(name)) {
                        return false;
                    }
                }
            }
        } catch (InvalidPathException e) {
            return false; // a name this file system cannot even represent is never served
        }
        return true;
    }

    private PathMatcher compile(String glob, String pattern) {
        try {
            return fileSystem.getPathMatcher("glob:" + pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "Invalid deny glob '" + glob + "': " + e.getDescription() + " near index " + e.getIndex(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid deny glob '" + glob + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "AccessPolicy[deny=" + denyGlobs + "]";
    }
}
