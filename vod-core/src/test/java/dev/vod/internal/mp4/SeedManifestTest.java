package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vod.PackagingSettings;
import dev.vod.internal.packager.Packager;
import dev.vod.internal.packager.Rendition;
import dev.vod.internal.packager.SeedManifest;
import dev.vod.internal.packager.Title;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * manifest.txt names a fragmented source itself when its own fragments are the segments (one moof + mdat each,
 * at every boundary), and the rendition's virtual fragmented MP4 otherwise. The sample's fragments are 2 s long.
 */
class SeedManifestTest {
    private static Title title(double seconds, String file) {
        Packager packager = new Packager(new Mp4Service(64 << 20, 16),
                PackagingSettings.DEFAULTS.withSegmentSeconds(seconds));
        return packager.title(file, List.of(new Packager.Candidate(
                Mp4TestSupport.sourceFile(Mp4TestSupport.sample(file)), "")), List.of(), false);
    }

    @Test
    void twoSecondSegmentsOfTwoSecondFragmentsListTheSourceItself() {
        Title t = title(2, "sample-fragmented.mp4");
        Rendition r = t.renditions().get(0).rendition();
        long[] layout = r.sourceLayout();
        assertNotNull(layout, "the fragments are the segments");
        String[] lines = SeedManifest.write(t, 2000).split("\n");
        assertEquals("../sample-fragmented.mp4", lines[2]);
        assertEquals(String.valueOf(r.segmentCount() + 1), lines[6]);
        assertEquals("0 " + layout[1], lines[7], "the init part: ftyp + moov of the source");
        long fileSize = Mp4TestSupport.sourceFile(Mp4TestSupport.sample("sample-fragmented.mp4")).size();
        String last = lines[lines.length - 1];
        long end = Long.parseLong(last.split(" ")[0]) + Long.parseLong(last.split(" ")[1]);
        assertEquals(fileSize - 300, end, "the fragments end where the source's mfra (300 bytes) begins");
    }

    @Test
    void sixSecondSegmentsOfTwoSecondFragmentsAreRepackaged() {
        Title t = title(6, "sample-fragmented.mp4");
        assertNull(t.renditions().get(0).rendition().sourceLayout(), "three fragments per segment do not fit");
        assertEquals("fragmented.mp4", SeedManifest.write(t, 6000).split("\n")[2]);
    }

    @Test
    void aProgressiveFileIsAlwaysRepackaged() {
        Title t = title(2, "sample.mp4");
        assertNull(t.renditions().get(0).rendition().sourceLayout());
        assertEquals("fragmented.mp4", SeedManifest.write(t, 2000).split("\n")[2]);
    }
}
