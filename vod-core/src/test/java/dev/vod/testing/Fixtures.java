package dev.vod.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A content root for server tests: small text, a binary file with known bytes, the sample MP4s, and the
 * awkward cases (confidential paths, dotfiles, a directory, a symlink that escapes the root).
 */
public final class Fixtures {
    /** Size of {@code data.bin}; byte i has value {@link #dataByte(long)}. */
    public static final int DATA_SIZE = 100_000;
    public static final String HELLO = "hello, vod\n";

    private Fixtures() {
    }

    /** The value of byte {@code i} of {@code data.bin}: not periodic at any power of two, so offsets show. */
    public static byte dataByte(long i) {
        return (byte) ((i * 31 + i / 251) & 0xff);
    }

    public static byte[] dataBytes(long from, long toExclusive) {
        byte[] out = new byte[(int) (toExclusive - from)];
        for (long i = from; i < toExclusive; i++) {
            out[(int) (i - from)] = dataByte(i);
        }
        return out;
    }

    /** Fills {@code root} with the fixture tree; returns {@code root}. */
    public static Path create(Path root) {
        try {
            Files.writeString(root.resolve("hello.txt"), HELLO, StandardCharsets.UTF_8);
            Files.write(root.resolve("data.bin"), dataBytes(0, DATA_SIZE));
            Files.write(root.resolve("empty.bin"), new byte[0]);
            Path media = repoContent();
            for (String name : new String[] {"sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4",
                "sample.webm"}) {
                Files.copy(media.resolve(name), root.resolve(name));
            }
            Files.createDirectories(root.resolve("dir/sub"));
            Files.writeString(root.resolve("dir/inner.txt"), "inner\n");
            Files.createDirectories(root.resolve("confidential"));
            Files.writeString(root.resolve("confidential/secret.txt"), "SECRET-A\n");
            Files.createDirectories(root.resolve("dir/Confidential"));
            Files.writeString(root.resolve("dir/Confidential/secret.txt"), "SECRET-B\n");
            Files.writeString(root.resolve(".hidden"), "SECRET-C\n");
            Files.createDirectories(root.resolve(".git"));
            Files.writeString(root.resolve(".git/config"), "SECRET-D\n");
            Path outside = Files.createTempDirectory("vod-outside");
            Files.writeString(outside.resolve("passwd"), "SECRET-E\n");
            Files.createSymbolicLink(root.resolve("escape"), outside);
            Files.createSymbolicLink(root.resolve("escape.txt"), outside.resolve("passwd"));
            Files.createSymbolicLink(root.resolve("inside-link.txt"), root.resolve("hello.txt"));
            Files.createSymbolicLink(root.resolve("to-confidential"), root.resolve("confidential"));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the test-resource media under {@code /dev/vod/media/} that {@link #createTitles} copies. */
    private static final String[] MEDIA_RESOURCES = {"misaligned-title/72p-g37.mp4", "misaligned-title/90p-g50.mp4",
        "audio-only.m4a"};

    /**
     * Adds packaging titles to {@code root} (with or without {@link #create}): {@code sample-title/} (a copy of
     * the repository's three-rendition title with its subtitles), the same title as {@code confidential/title/},
     * {@code drafts/title/} (for a {@code **}{@code /drafts/**} deny glob) and {@code .private/title/} (under a
     * dot-directory), {@code misaligned-title/} (two renditions with key frames at different times) and
     * {@code audio-only.m4a} (an MP4 without video); see {@code src/test/resources/dev/vod/media/README.md}.
     * Returns {@code root}.
     */
    public static Path createTitles(Path root) {
        try {
            Path title = repoContent().resolve("sample-title");
            for (String copy : new String[] {"sample-title", "confidential/title", "drafts/title", ".private/title"}) {
                Path dir = Files.createDirectories(root.resolve(copy));
                try (var files = Files.list(title)) {
                    for (Path f : files.toList()) {
                        Files.copy(f, dir.resolve(f.getFileName().toString()));
                    }
                }
            }
            for (String name : MEDIA_RESOURCES) {
                Path target = root.resolve(name);
                Files.createDirectories(target.getParent());
                try (var in = Fixtures.class.getResourceAsStream("/dev/vod/media/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("missing test resource /dev/vod/media/" + name);
                    }
                    Files.copy(in, target);
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes {@code root} and everything under it, not following symbolic links (a link is deleted, not what
     * it points to); for test classes that put megabytes of media into a {@link ServerExtension} root.
     */
    public static void delete(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's {@code content/} folder with the sample media. */
    public static Path repoContent() {
        Path p = Path.of("../content").toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            p = Path.of("content").toAbsolutePath();
        }
        return p;
    }
}
