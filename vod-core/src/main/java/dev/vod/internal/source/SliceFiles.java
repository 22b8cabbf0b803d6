package dev.vod.internal.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where slices live in the cache folder, and what a folder left by an earlier run holds.
 *
 * <p>A slice is {@code <dir>/<2 hex>/<version>-<slice size>-<index>}, {@code <version>} being the hex SHA-256 of
 * {@code key + "\n" + etag}. So the name alone says which object version a file belongs to (an entry is
 * "validated by ETag" by being found at all), a changed slice size never reuses a file cut at another size, and
 * the two-hex level keeps folders small. A slice still arriving has {@code .part} appended: only complete files
 * ever carry the final name, so whatever has it after a crash is whole.
 */
final class SliceFiles {
    private static final Logger log = LoggerFactory.getLogger("vod.source");
    private static final String PART = ".part";
    private static final Pattern SUBDIR = Pattern.compile("[0-9a-f]{2}");
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{64})-(\\d{1,9})-(\\d{1,18})");

    private final Path dir;
    private final int sliceBytes;

    SliceFiles(Path dir, int sliceBytes) {
        this.dir = dir;
        this.sliceBytes = sliceBytes;
    }

    /** The name of one object version in the folder: the same in every run, different for every ETag. */
    static String versionHash(String key, String etag) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest((key + "\n" + etag).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The file name (no folder) of slice {@code index} of a version. */
    String name(String versionHash, long index) {
        return versionHash + "-" + sliceBytes + "-" + index;
    }

    Path file(String name) {
        return dir.resolve(name.substring(0, 2)).resolve(name);
    }

    Path part(String name) {
        return dir.resolve(name.substring(0, 2)).resolve(name + PART);
    }

    /** Creates (or empties) a part file for writing, and its folder when missing. */
    static FileChannel createPart(Path part) throws IOException {
        try {
            return FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (NoSuchFileException noFolder) {
            Files.createDirectories(part.getParent());
            return FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }
    }

    /** A complete slice file left by an earlier run. */
    record Found(String name, String versionHash, long index, int length, long modifiedMillis) {
    }

    /**
     * The complete slices in the folder, least recently written first. Deletes what cannot be used: {@code .part}
     * leftovers (their fetch died with the process) and slices of another slice size or a length no slice of
     * this size can have. Other files are left alone.
     */
    List<Found> scan() throws IOException {
        List<Found> found = new ArrayList<>();
        try (DirectoryStream<Path> subdirs = Files.newDirectoryStream(dir, p -> Files.isDirectory(p)
                && SUBDIR.matcher(p.getFileName().toString()).matches())) {
            for (Path subdir : subdirs) {
                scan(subdir, found);
            }
        }
        found.sort(Comparator.comparingLong(Found::modifiedMillis));
        return found;
    }

    private void scan(Path subdir, List<Found> found) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(subdir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(PART)) {
                    log.debug("deleting {}, a slice an earlier run did not finish", file);
                    deleteQuietly(file);
                    continue;
                }
                Matcher m = NAME.matcher(name);
                if (!m.matches() || !name.startsWith(subdir.getFileName().toString())) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(file, BasicFileAttributes.class);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                long length = attributes.size();
                // Deleted rather than kept to age out: the index then only ever holds slices of this size, and
                // the space is free at once. A file longer than a slice, or empty, was not written by us.
                if (!m.group(2).equals(Integer.toString(sliceBytes)) || length == 0 || length > sliceBytes
                        || !attributes.isRegularFile()) {
                    log.debug("deleting {}: not a slice of {} bytes", file, sliceBytes);
                    deleteQuietly(file);
                    continue;
                }
                found.add(new Found(name, m.group(1), Long.parseLong(m.group(3)), (int) length,
                        attributes.lastModifiedTime().toMillis()));
            }
        }
    }

    /** Deletes {@code file} if it is there; a failure is logged, not thrown: a stray file costs only space. */
    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", file, e.toString());
        }
    }
}
