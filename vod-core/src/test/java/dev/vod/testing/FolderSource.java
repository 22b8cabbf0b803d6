package dev.vod.testing;

import dev.vod.ContentSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ContentSource} over a local folder, read as a store would be (stat, list, ranged reads of one
 * version), counting its calls: for tests of the content-store path that need no S3 server. The ETag is the
 * file's size and modification time, so rewriting a file is a new version.
 */
public final class FolderSource implements ContentSource {
    private final Path root;
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger stats = new AtomicInteger();

    public FolderSource(Path root) {
        this.root = root;
    }

    /** Ranged reads so far. */
    public int reads() {
        return reads.get();
    }

    /** Stats so far. */
    public int stats() {
        return stats.get();
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        stats.incrementAndGet();
        Path file = root.resolve(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(info(key, file));
    }

    private static ObjectInfo info(String key, Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        long modified = a.lastModifiedTime().toMillis();
        return new ObjectInfo(key, a.size(), modified, "\"f" + Long.toHexString(modified) + "-"
                + Long.toHexString(a.size()) + "\"");
    }

    @Override
    public Listing list(String folder, int limit) throws IOException {
        Path dir = root.resolve(folder.isEmpty() ? "." : folder);
        List<ObjectInfo> objects = new ArrayList<>();
        List<String> folders = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new Listing(objects, folders, false);
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (Files.isDirectory(child)) {
                    folders.add(name);
                } else {
                    objects.add(info(folder + name, child));
                }
            }
        }
        return new Listing(objects, folders, false);
    }

    @Override
    public InputStream read(String key, String etag, long offset, long length) throws IOException {
        reads.incrementAndGet();
        Path file = root.resolve(key);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(key);
        }
        if (!info(key, file).etag().equals(etag)) {
            throw new SourceException(SourceException.Kind.CHANGED, key + " is no longer " + etag);
        }
        FileChannel channel = FileChannel.open(file);
        channel.position(offset);
        return com.google.common.io.ByteStreams.limit(Channels.newInputStream(channel), length);
    }

    @Override
    public void check() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new SourceException(SourceException.Kind.UNAVAILABLE, root + " is gone");
        }
    }

    @Override
    public String describe() {
        return "folder:" + root;
    }
}
