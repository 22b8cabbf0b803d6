package dev.vod.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The repository's adaptive-streaming sample title ({@code content/sample-title/}, see content/README.md) copied
 * into a test root: three MP4 renditions with aligned 2-second GOPs and one WebVTT file. A folder title, so vod
 * serves it as {@code sample-title/master.m3u8}, {@code sample-title/manifest.mpd} and
 * {@code sample-title/player.html} (docs/packaging.md).
 */
public final class TitleFixture {
    /** The title's folder name under the root. */
    public static final String TITLE = "sample-title";
    /** Its renditions' file names without {@code .mp4}, lowest bitrate first (the order vod lists them in). */
    public static final List<String> RENDITIONS = List.of("240p", "360p", "720p");
    /** Length of every rendition, in seconds. */
    public static final double DURATION_SECONDS = 12;

    private TitleFixture() {
    }

    /** Copies {@code content/sample-title/} to {@code root/sample-title/}; returns that folder. */
    public static Path copyInto(Path root) {
        Path source = Fixtures.repoContent().resolve(TITLE);
        Path target = root.resolve(TITLE);
        try {
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(source)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, target.resolve(file.getFileName().toString()));
                }
            }
            for (String rendition : RENDITIONS) {
                if (!Files.isRegularFile(target.resolve(rendition + ".mp4"))) {
                    throw new IllegalStateException("sample title incomplete, no " + rendition + ".mp4 in " + source);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
