package dev.vod.testing;

import dev.vod.ContentSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The S3 source of a test server whose bucket is kept equal to a local folder: before each lookup it puts the files
 * of that folder that changed since into the {@link S3Fixture} (and removes those deleted), then asks the real S3
 * source. So the behaviour suites, which create and change files under their root, run unchanged against a store:
 * every answer still comes over S3 (the SDK, SigV4, S3Proxy), the mirroring only decides what the bucket holds.
 * Symbolic links, and files reached through them, are not mirrored: a store has none.
 */
final class MirroredStore implements ContentSource {
    private final S3Fixture store;
    private final String prefix;
    private final Path root;
    private final Path realRoot;
    private final ContentSource s3;
    /** What was last put for each key: size and modification time of the local file. */
    private final Map<String, String> put = new ConcurrentHashMap<>();

    MirroredStore(S3Fixture store, String prefix, Path root) throws IOException {
        this.store = store;
        this.prefix = prefix;
        this.root = root;
        this.realRoot = root.toRealPath();
        this.s3 = ContentSource.s3(store.settings(prefix));
        try (var files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    sync(root.relativize(file).toString().replace('\\', '/'));
                }
            }
        }
    }

    /** Makes the object {@code key} what the local file is now (or absent). */
    private synchronized void sync(String key) throws IOException {
        Path file = root.resolve(key);
        if (key.isEmpty() || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || throughLink(file)) {
            if (put.remove(key) != null) {
                store.delete(prefix + key);
            }
            return;
        }
        String version = Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
        if (!version.equals(put.get(key))) {
            store.put(prefix + key, file);
            put.put(key, version);
        }
    }

    /** Whether a folder on the way to {@code file} is a link: the object would not exist in a store. */
    private boolean throughLink(Path file) throws IOException {
        return !file.getParent().toRealPath().equals(realRoot.resolve(root.relativize(file.getParent())).normalize());
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        sync(key);
        return s3.stat(key);
    }

    @Override
    public Listing list(String folder, int limit) throws IOException {
        Path dir = root.resolve(folder.isEmpty() ? "." : folder);
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                for (Path child : children) {
                    if (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
                        sync(folder + child.getFileName());
                    }
                }
            }
        }
        for (String key : put.keySet()) {
            if (key.startsWith(folder) && key.indexOf('/', folder.length()) < 0) {
                sync(key); // deleted locally since
            }
        }
        return s3.list(folder, limit);
    }

    @Override
    public InputStream read(String key, String etag, long offset, long length) throws IOException {
        return s3.read(key, etag, offset, length);
    }

    @Override
    public void check() throws IOException {
        s3.check();
    }

    @Override
    public String describe() {
        return s3.describe() + " (mirroring " + root + ")";
    }

    @Override
    public void close() {
        s3.close();
    }
}
