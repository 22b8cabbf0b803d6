package dev.vod.internal.content;

import dev.vod.internal.body.SourceFile;
import java.nio.file.Path;
import java.util.Objects;

/** What a request path resolved to under the served root: a file, a directory, or a redirect to add a slash. */
public sealed interface Resolved permits Resolved.File, Resolved.Directory, Resolved.Redirect {

    /** A regular file, stat'ed once at resolution time. */
    record File(SourceFile file) implements Resolved {
        public File {
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * A directory requested with its trailing slash.
     *
     * @param realDir real path of the directory (symlinks resolved), under the real root
     * @param path    the request path (relative to the mount point) that named it
     */
    record Directory(Path realDir, RequestPath path) implements Resolved {
        public Directory {
            Objects.requireNonNull(realDir, "realDir");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * A directory requested without its trailing slash: answer {@code 301} with this {@code Location}.
     *
     * @param location absolute path, percent-encoded, mount point included, ending in {@code /}, no query
     */
    record Redirect(String location) implements Resolved {
        public Redirect {
            Objects.requireNonNull(location, "location");
        }
    }
}
