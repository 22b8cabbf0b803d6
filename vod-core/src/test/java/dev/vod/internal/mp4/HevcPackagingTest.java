package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.PackagingSettings;
import dev.vod.internal.hls.HlsPlaylists;
import dev.vod.internal.packager.Packager;
import dev.vod.internal.packager.Rendition;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** H.265 renditions: the RFC 6381 / ISO 14496-15 codec string from hvcC, and a virtual file ffmpeg decodes. */
class HevcPackagingTest {
    @TempDir
    Path temp;

    private static Rendition rendition() throws Exception {
        Path file = Path.of(HevcPackagingTest.class.getResource("/dev/vod/media/hevc.mp4").toURI());
        return new Packager(new Mp4Service(64 << 20, 4), PackagingSettings.DEFAULTS.withSegmentSeconds(2))
                .rendition(Mp4TestSupport.sourceFile(file));
    }

    @Test
    void theCodecStringComesFromHvcC() throws Exception {
        Rendition r = rendition();
        // Main profile (1); compatibility flags 0x60000000 bit-reversed = 6; Main tier, general_level_idc 30 (level 1,
        // what x265 picks for 160x90; ffprobe reports level=30); constraint byte 0x90 (progressive source, frame
        // only), trailing zero bytes omitted
        assertEquals("hvc1.1.6.L30.90", r.video().codecs());
        assertEquals("hvc1.1.6.L30.90,mp4a.40.2", HlsPlaylists.codecs(r));
        assertEquals(2, r.segmentCount());
    }

    @Test
    void ffmpegDecodesThePackagedFile() throws Exception {
        assumeTrue(Mp4TestSupport.hasFfmpeg(), "ffmpeg is not installed");
        Path out = Mp4TestSupport.materialize(rendition().virtualFile(), temp.resolve("hevc-fragmented.mp4"));
        Mp4TestSupport.assertDecodesCleanly(out);
        Mp4TestSupport.Run probe = Mp4TestSupport.run(List.of("ffprobe", "-v", "error", "-select_streams", "v",
                "-show_entries", "stream=codec_name,codec_tag_string", "-of", "csv=p=0", out.toString()));
        assertTrue(probe.output().contains("hevc,hvc1"), probe.output());
    }
}
