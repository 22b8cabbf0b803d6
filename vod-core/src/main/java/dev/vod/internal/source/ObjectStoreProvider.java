package dev.vod.internal.source;

import dev.vod.ContentSource;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The provider of one {@link ObjectStoreFileSystem}: reads and listings; every change is refused. */
final class ObjectStoreProvider extends FileSystemProvider {
    /** Most entries of one folder listed (an index page shows at most 10,000). */
    static final int LIST_LIMIT = 10_000;

    private final ObjectStoreFileSystem fs;

    ObjectStoreProvider(ObjectStoreFileSystem fs) {
        this.fs = fs;
    }

    @Override
    public String getScheme() {
        return "vod-objects";
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("object stores are opened by vod only");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        return fs;
    }

    @Override
    public Path getPath(URI uri) {
        return fs.getPath(uri.getPath());
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        for (OpenOption option : options) {
            if (option != StandardOpenOption.READ && option != LinkOption.NOFOLLOW_LINKS) {
                throw new ReadOnlyFileSystemException();
            }
        }
        ObjectPath p = ObjectPath.requireAbsolute(path);
        ObjectAttributes attributes = attributes(p);
        if (!attributes.isRegularFile()) {
            throw new IOException(p + " is a folder");
        }
        return new RemoteChannel(fs.cache(), attributes.version(), fs.catalog());
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
                                              FileAttribute<?>... attrs) throws IOException {
        return newFileChannel(path, options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        ObjectPath p = ObjectPath.requireAbsolute(dir);
        if (attributes(p).isRegularFile()) {
            throw new NotDirectoryException(p.toString());
        }
        ContentSource.Listing listing = translate(() -> fs.catalog().list(p.key(), LIST_LIMIT));
        List<Path> children = new ArrayList<>();
        for (String folder : listing.folders()) {
            children.add(p.resolve(new ObjectPath(fs, false, folder)));
        }
        for (ContentSource.ObjectInfo object : listing.objects()) {
            String key = object.key();
            String name = key.substring(key.lastIndexOf('/') + 1);
            if (!name.isEmpty()) {
                children.add(p.resolve(new ObjectPath(fs, false, name)));
            }
        }
        List<Path> accepted = new ArrayList<>(children.size());
        for (Path child : children) {
            if (filter.accept(child)) {
                accepted.add(child);
            }
        }
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                return accepted.iterator();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        if (!type.isAssignableFrom(ObjectAttributes.class)) {
            throw new UnsupportedOperationException("only basic attributes on an object store");
        }
        return (A) attributes(ObjectPath.requireAbsolute(path));
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        ObjectAttributes a = attributes(ObjectPath.requireAbsolute(path));
        return Map.of("size", a.size(), "lastModifiedTime", a.lastModifiedTime(), "isDirectory", a.isDirectory(),
                "isRegularFile", a.isRegularFile(), "isSymbolicLink", false, "isOther", false);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        if (type != BasicFileAttributeView.class) {
            return null;
        }
        return (V) new BasicFileAttributeView() {
            @Override
            public String name() {
                return "basic";
            }

            @Override
            public BasicFileAttributes readAttributes() throws IOException {
                return attributes(ObjectPath.requireAbsolute(path));
            }

            @Override
            public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
                throw new ReadOnlyFileSystemException();
            }
        };
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        for (AccessMode mode : modes) {
            if (mode != AccessMode.READ) {
                throw new ReadOnlyFileSystemException();
            }
        }
        attributes(ObjectPath.requireAbsolute(path));
    }

    /**
     * Looks the path up in the catalog. A store that cannot answer is an {@link OriginFailure} (unchecked): the
     * resolver would otherwise answer an {@link IOException} with 404, hiding an outage as a missing file.
     */
    private ObjectAttributes attributes(ObjectPath p) throws NoSuchFileException {
        return fs.catalog().lookup(p.key());
    }

    private interface Lookup<T> {
        T run() throws IOException;
    }

    private static <T> T translate(Lookup<T> lookup) throws NoSuchFileException {
        try {
            return lookup.run();
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw OriginFailure.of(e, "");
        }
    }

    @Override
    public boolean isSameFile(Path path, Path path2) {
        return path.toAbsolutePath().normalize().equals(path2.toAbsolutePath().normalize());
    }

    @Override
    public boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) {
        throw new UnsupportedOperationException("an object store has no file store");
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void delete(Path path) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }
}
