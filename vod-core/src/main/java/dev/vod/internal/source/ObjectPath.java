package dev.vod.internal.source;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A path of the {@link ObjectStoreFileSystem}: {@code /} plus the segments of an object key. Absolute paths name
 * objects and folders ({@code /films/a.mp4} is the key {@code films/a.mp4}); relative ones exist only as the result
 * of {@link #relativize} and {@link #getFileName}, which the content resolver uses to check paths.
 *
 * <p>There are no links, so a normalized absolute path is already its real path.
 */
final class ObjectPath implements Path {
    private final ObjectStoreFileSystem fs;
    private final boolean absolute;
    private final String[] names;

    ObjectPath(ObjectStoreFileSystem fs, boolean absolute, String... names) {
        this.fs = fs;
        this.absolute = absolute;
        this.names = names;
    }

    /** Parses a {@code /}-separated path; empty segments are dropped. */
    static ObjectPath parse(ObjectStoreFileSystem fs, String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return new ObjectPath(fs, path.startsWith("/"), parts.toArray(String[]::new));
    }

    /** The object key this absolute path names: its segments joined by {@code /}, empty for the root. */
    String key() {
        return String.join("/", names);
    }

    static ObjectPath cast(Path path) {
        if (path instanceof ObjectPath p) {
            return p;
        }
        throw new ProviderMismatchException("not a path of an object store: " + path);
    }

    @Override
    public FileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return absolute;
    }

    @Override
    public Path getRoot() {
        return absolute ? new ObjectPath(fs, true) : null;
    }

    @Override
    public Path getFileName() {
        return names.length == 0 ? null : new ObjectPath(fs, false, names[names.length - 1]);
    }

    @Override
    public Path getParent() {
        if (names.length == 0 || (names.length == 1 && !absolute)) {
            return null;
        }
        return new ObjectPath(fs, absolute, Arrays.copyOf(names, names.length - 1));
    }

    @Override
    public int getNameCount() {
        return names.length;
    }

    @Override
    public Path getName(int index) {
        return new ObjectPath(fs, false, names[index]);
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return new ObjectPath(fs, false, Arrays.copyOfRange(names, beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        if (!(other instanceof ObjectPath o) || o.absolute != absolute || o.names.length > names.length) {
            return false;
        }
        for (int i = 0; i < o.names.length; i++) {
            if (!o.names[i].equals(names[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean endsWith(Path other) {
        if (!(other instanceof ObjectPath o) || o.names.length > names.length || (o.absolute && !startsWith(o))) {
            return false;
        }
        int shift = names.length - o.names.length;
        for (int i = 0; i < o.names.length; i++) {
            if (!o.names[i].equals(names[shift + i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                } else if (!absolute) {
                    out.add(name);
                }
                continue;
            }
            out.add(name);
        }
        return new ObjectPath(fs, absolute, out.toArray(String[]::new));
    }

    @Override
    public Path resolve(Path other) {
        ObjectPath o = cast(other);
        if (o.absolute) {
            return o;
        }
        String[] joined = Arrays.copyOf(names, names.length + o.names.length);
        System.arraycopy(o.names, 0, joined, names.length, o.names.length);
        return new ObjectPath(fs, absolute, joined);
    }

    @Override
    public Path resolve(String other) {
        return resolve(parse(fs, other));
    }

    @Override
    public Path relativize(Path other) {
        ObjectPath o = cast(other);
        if (o.absolute != absolute) {
            throw new IllegalArgumentException("cannot relativize " + other + " against " + this);
        }
        int common = 0;
        while (common < names.length && common < o.names.length && names[common].equals(o.names[common])) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < names.length; i++) {
            out.add("..");
        }
        out.addAll(Arrays.asList(o.names).subList(common, o.names.length));
        return new ObjectPath(fs, false, out.toArray(String[]::new));
    }

    @Override
    public URI toUri() {
        return URI.create(fs.provider().getScheme() + ":" + toAbsolutePath());
    }

    @Override
    public Path toAbsolutePath() {
        return absolute ? this : new ObjectPath(fs, true, names);
    }

    @Override
    public Path toRealPath(LinkOption... options) throws java.io.IOException {
        ObjectPath real = (ObjectPath) toAbsolutePath().normalize();
        fs.catalog().lookup(real.key()); // NoSuchFileException when neither object nor folder, else OriginFailure
        return real;
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("an object store cannot be watched");
    }

    @Override
    public Iterator<Path> iterator() {
        List<Path> out = new ArrayList<>(names.length);
        for (String name : names) {
            out.add(new ObjectPath(fs, false, name));
        }
        return out.iterator();
    }

    @Override
    public int compareTo(Path other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectPath p && p.fs == fs && p.absolute == absolute && Arrays.equals(p.names, names);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names) * 31 + (absolute ? 1 : 0);
    }

    @Override
    public String toString() {
        String joined = String.join("/", names);
        return absolute ? "/" + joined : joined;
    }

    String[] names() {
        return names;
    }

    static ObjectPath requireAbsolute(Path path) {
        ObjectPath p = cast(path);
        return Objects.requireNonNull((ObjectPath) p.toAbsolutePath().normalize());
    }
}
