package dev.vod.internal.source;

import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The objects of a content source seen as a read-only file system: keys are paths, key prefixes ending in
 * {@code /} are folders, and {@code FileChannel.open} reads through the slice cache.
 *
 * <p>Why a file system rather than a second code path: everything vod does with content — the resolver and its
 * access policy, index pages, title folders, the MP4 index, packaging, RTSP — is written against
 * {@link java.nio.file.Path}, and a store that looks like one gets all of it with the same rules and the same
 * tests. Only two places know the difference: the HTTP layer answers such requests off the event loop (lookups
 * block on the store), and its body writer sends cached slices instead of the channel.
 *
 * <p>Not registered with {@link java.nio.file.FileSystems}: it is reached only through {@link #root()}.
 */
final class ObjectStoreFileSystem extends FileSystem {
    private final ObjectStoreProvider provider;
    private final ObjectCatalog catalog;
    private final SliceCache cache;
    private final ObjectPath root;
    private volatile boolean open = true;

    ObjectStoreFileSystem(ObjectCatalog catalog, SliceCache cache) {
        this.provider = new ObjectStoreProvider(this);
        this.catalog = catalog;
        this.cache = cache;
        this.root = new ObjectPath(this, true);
    }

    Path root() {
        return root;
    }

    ObjectCatalog catalog() {
        return catalog;
    }

    SliceCache cache() {
        return cache;
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(root);
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic");
    }

    @Override
    public Path getPath(String first, String... more) {
        StringBuilder joined = new StringBuilder(first);
        for (String part : more) {
            joined.append('/').append(part);
        }
        return ObjectPath.parse(this, joined.toString());
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        // Deny globs are matched on request paths with the default file system's matcher; this is for others.
        if (!syntaxAndPattern.startsWith("regex:")) {
            throw new UnsupportedOperationException("only regex: matchers on an object store");
        }
        Pattern pattern = Pattern.compile(syntaxAndPattern.substring(6));
        return path -> pattern.matcher(path.toString()).matches();
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("an object store has no users");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("an object store cannot be watched");
    }
}
