package dev.vod.internal.content;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.source.ObjectVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Maps a decoded {@link RequestPath} to a file or directory under the real root, or to an error.
 *
 * <p>Order of checks, each with one answer:
 * <ol>
 *   <li>{@link AccessPolicy} on the request path, before any file system call: 403. A confidential path is 403
 *       whether or not it exists, so probing cannot tell which hidden names exist.</li>
 *   <li>{@code toRealPath()} (symlinks resolved): missing, unreadable directory on the way, or a file used as a
 *       directory: 404.</li>
 *   <li>The real path must lie under the real root (a symlink pointing outside escapes nothing): 403.</li>
 *   <li>{@link AccessPolicy} again on the real root-relative path (a harmless name symlinked to a confidential
 *       directory): 403.</li>
 *   <li>One {@code readAttributes}: a directory without trailing slash is a {@link Resolved.Redirect}; with it, a
 *       {@link Resolved.Directory}; a regular file is a {@link Resolved.File}; anything else (fifo, device,
 *       a file requested with a trailing slash) is 404.</li>
 * </ol>
 *
 * <p>That is two file system calls per request. Read permission on a file is not checked here (stat does not tell);
 * opening it may still fail with {@link java.nio.file.AccessDeniedException}, which the caller answers as 404.
 * The usual symlink race applies: someone who can write inside the root can swap a path between resolving and
 * opening; the root is assumed to be writable only by trusted people.
 */
public final class ContentResolver {
    /** One array for every call: the varargs form would allocate one per request. */
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path realRoot;
    private final AccessPolicy policy;
    private final String mountPrefix;
    private final RealPathCache realPaths = new RealPathCache();

    /** A resolver for content mounted at {@code /}. */
    public ContentResolver(Path root, AccessPolicy policy) throws IOException {
        this(root, policy, "/");
    }

    /**
     * A resolver for {@code root} served under the URL prefix {@code mountPath} (used only to build redirect
     * locations; request paths given to {@link #resolve} are already relative to the mount point).
     *
     * @throws IOException              when the root does not exist, is not a directory or cannot be read
     * @throws IllegalArgumentException when {@code mountPath} is not a valid absolute path
     */
    public ContentResolver(Path root, AccessPolicy policy, String mountPath) throws IOException {
        Objects.requireNonNull(root, "root");
        this.policy = Objects.requireNonNull(policy, "policy");
        try {
            this.realRoot = root.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IOException("Content root does not exist: " + root.toAbsolutePath(), e);
        } catch (IOException e) {
            throw new IOException("Content root cannot be read: " + root.toAbsolutePath() + " (" + e + ")", e);
        }
        if (!Files.isDirectory(realRoot)) {
            throw new IOException("Content root is not a directory: " + root.toAbsolutePath());
        }
        try {
            RequestPath mount = RequestPath.parse(Objects.requireNonNull(mountPath, "mountPath"));
            this.mountPrefix = new RequestPath(mount.segments(), true).encoded();
        } catch (HttpProblem e) {
            throw new IllegalArgumentException("Invalid mount path '" + mountPath + "': " + e.getMessage(), e);
        }
    }

    /** The served root with symlinks resolved. */
    public Path realRoot() {
        return realRoot;
    }

    /** The access policy both request and real paths are checked against. */
    public AccessPolicy policy() {
        return policy;
    }

    /**
     * Resolves a request path (relative to the mount point).
     *
     * @throws HttpProblem 403 or 404, see the class comment
     */
    public Resolved resolve(RequestPath path) {
        if (!policy.allows(path)) {
            throw HttpProblem.forbidden();
        }
        long now = System.nanoTime();
        // Keyed by the decoded request path: a hit needs no Path objects built, and hands back the same real Path
        // instance every time (its hash is then computed once, not per request, by the caches keyed on it).
        RealPathCache.Entry cached = realPaths.get(path, now);
        if (cached == null) {
            Path candidate = candidate(path);
            Path real;
            try {
                real = candidate.toRealPath();
            } catch (IOException e) {
                throw HttpProblem.notFound();
            }
            boolean allowed = real.startsWith(realRoot) && policy.allows(rootRelative(real));
            cached = realPaths.put(path, real, allowed, now);
        }
        Path real = cached.real();
        if (!cached.allowed()) {
            throw HttpProblem.forbidden();
        }
        BasicFileAttributes attributes;
        try {
            // The real path has no links; if its last component is one now, it changed since it was cached.
            attributes = Files.readAttributes(real, BasicFileAttributes.class, NO_FOLLOW);
        } catch (IOException e) {
            realPaths.remove(path);
            throw HttpProblem.notFound();
        }
        if (attributes.isSymbolicLink()) {
            realPaths.remove(path);
            return resolve(path);
        }
        if (attributes.isDirectory()) {
            if (!path.trailingSlash()) {
                return new Resolved.Redirect(mountPrefix + path.relativeEncoded() + (path.isRoot() ? "" : "/"));
            }
            return new Resolved.Directory(real, path);
        }
        if (!attributes.isRegularFile() || path.trailingSlash()) {
            throw HttpProblem.notFound();
        }
        // An object store's attributes carry its version as the file key: its ETag is the response's.
        String etag = attributes.fileKey() instanceof ObjectVersion version ? version.etag() : null;
        return new Resolved.File(cached.file(attributes.size(), attributes.lastModifiedTime().toMillis(), etag));
    }

    /** The request path under the root, not yet following links; 403 if it could leave the root. */
    private Path candidate(RequestPath path) {
        Path candidate = realRoot;
        try {
            for (String segment : path.segments()) {
                candidate = candidate.resolve(segment);
            }
        } catch (InvalidPathException e) {
            throw HttpProblem.notFound();
        }
        // On Unix a decoded segment cannot leave the root (no '/', no '..'); on Windows a segment such as "C:"
        // could make the path absolute. Cheap insurance before touching the disk.
        if (!candidate.normalize().startsWith(realRoot)) {
            throw HttpProblem.forbidden();
        }
        return candidate;
    }

    private String rootRelative(Path real) {
        StringBuilder out = new StringBuilder();
        for (Path name : realRoot.relativize(real)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(name);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "ContentResolver[" + realRoot + " at " + mountPrefix + ", " + policy + "]";
    }
}
