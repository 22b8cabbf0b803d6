package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vod.PackagingSettings;
import dev.vod.internal.HttpProblem;
import dev.vod.internal.body.SourceFile;
import dev.vod.internal.packager.Packager;
import dev.vod.internal.packager.Rendition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A title's files are parsed once however many manifests and segments are asked for; a changed file again. */
class PackagerCacheTest {
    @TempDir
    Path temp;

    @Test
    void aColdTitleParsesEachMoovOnce() {
        Mp4Service mp4 = new Mp4Service(64 << 20, 16);
        Packager packager = new Packager(mp4, PackagingSettings.DEFAULTS);
        List<Packager.Candidate> files = List.of(
                new Packager.Candidate(Mp4TestSupport.sourceFile(Mp4TestSupport.sample("sample-title/240p.mp4")), "240p.mp4/"),
                new Packager.Candidate(Mp4TestSupport.sourceFile(Mp4TestSupport.sample("sample-title/360p.mp4")), "360p.mp4/"),
                new Packager.Candidate(Mp4TestSupport.sourceFile(Mp4TestSupport.sample("sample-title/720p.mp4")), "720p.mp4/"));
        for (int i = 0; i < 3; i++) {
            packager.title("t", files, List.of(), true);
            for (Packager.Candidate c : files) {
                Rendition r = packager.rendition(c.file());
                r.segment(r.segmentCount() - 1, dev.vod.internal.packager.Selection.MUXED);
            }
        }
        assertEquals(3, mp4.parseCount(), "one parse per file");
    }

    @Test
    void aChangedFileIsPlannedAfresh() throws Exception {
        Path file = Files.copy(Mp4TestSupport.sample("sample.mp4"), temp.resolve("a.mp4"));
        Mp4Service mp4 = new Mp4Service(64 << 20, 16);
        Packager packager = new Packager(mp4, PackagingSettings.DEFAULTS.withSegmentSeconds(2));
        SourceFile before = Mp4TestSupport.sourceFile(file);
        Rendition first = packager.rendition(before);
        assertSame(first, packager.rendition(Mp4TestSupport.sourceFile(file)), "same snapshot, same plan");
        Files.copy(Mp4TestSupport.sample("sample-title/240p.mp4"), file, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.lastModified() + 5000));
        Rendition second = packager.rendition(Mp4TestSupport.sourceFile(file));
        assertNotSame(first, second);
        assertEquals(426, second.video().width(), "the new file's picture");
        assertEquals(2, mp4.parseCount());
    }

    @Test
    void aFileThatIsNotAnMp4IsNotFound() throws Exception {
        Packager packager = new Packager(new Mp4Service(64 << 20, 16), PackagingSettings.DEFAULTS);
        HttpProblem p = assertThrows(HttpProblem.class,
                () -> packager.rendition(Mp4TestSupport.sourceFile(Mp4TestSupport.sample("README.md"))));
        assertEquals(404, p.status(), "not an MP4 at all");
    }
}
