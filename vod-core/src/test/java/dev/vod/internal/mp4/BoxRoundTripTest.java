package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading box structure from the samples, and writing it back byte for byte. */
class BoxRoundTripTest {

    private static List<String> topLevelNames(String sample) {
        return Mp4TestSupport.parse(Mp4TestSupport.sample(sample)).topLevel().stream().map(BoxHeader::name).toList();
    }

    @Test
    void topLevelBoxesOfTheSamples() {
        assertEquals(List.of("ftyp", "moov", "free", "mdat"), topLevelNames("sample.mp4"));
        assertEquals(List.of("ftyp", "free", "mdat", "moov"), topLevelNames("sample-moov-at-end.mp4"));
        List<String> fragmented = topLevelNames("sample-fragmented.mp4");
        assertEquals(List.of("ftyp", "moov"), fragmented.subList(0, 2));
        assertEquals("mfra", fragmented.get(fragmented.size() - 1));
        assertEquals(6, fragmented.stream().filter("moof"::equals).count());
    }

    @Test
    void moovOfTheSampleParsesIntoTwoTracks() {
        Movie movie = Mp4TestSupport.parse(Mp4TestSupport.sample("sample.mp4")).movie();
        assertEquals(1000, movie.timescale());
        assertEquals(2, movie.tracks().size());
        Track video = movie.tracks().get(0);
        Track audio = movie.tracks().get(1);
        assertTrue(video.isVideo());
        assertEquals(BoxTypes.SOUN, audio.handler);
        assertEquals(12800, video.timescale);
        assertEquals(44100, audio.timescale);
        assertEquals(300, video.sampleCount());
        assertEquals(518, audio.sampleCount());
        assertEquals(6, video.syncSamples.count());
        assertEquals(1024, video.edits.mediaStart(), "B-frame delay hidden by the edit list");
        assertEquals(1024, audio.edits.mediaStart(), "AAC priming hidden by the edit list");
        assertEquals(12_000, movie.presentationEnd());
        assertTrue(video.compositionOffsets != null);
    }

    @Test
    void relocatingWithUnchangedOffsetsWritesTheSameMoovByteForByte() {
        Mp4Index.Parsed p = Mp4TestSupport.parse(Mp4TestSupport.sample("sample.mp4"));
        long ftyp = p.ftyp().size();
        long moovSize = p.moovBox().size();
        byte[] rewritten = MoovRewriter.relocate(p.movie(), x -> x - ftyp - moovSize, ftyp);
        byte[] original = Mp4TestSupport.read(Mp4TestSupport.sample("sample.mp4"), p.moovBox().offset(), moovSize);
        assertArrayEquals(original, rewritten);
    }

    @Test
    void everyMoovBoxIsReadWithinItsParent() {
        Movie movie = Mp4TestSupport.parse(Mp4TestSupport.sample("sample.mp4")).movie();
        ByteBuffer b = movie.buffer();
        long total = 0;
        for (BoxHeader child : movie.children()) {
            total += child.size();
            assertTrue(child.end() <= movie.moov().end());
        }
        assertEquals(movie.moov().payloadSize(), total, "children tile the moov exactly");
        for (Track t : movie.tracks()) {
            long stbl = 0;
            for (BoxHeader c : BoxReader.children(b, t.stbl)) {
                stbl += c.size();
            }
            assertEquals(t.stbl.payloadSize(), stbl);
        }
    }

    @Test
    void writerFillsInNestedSizes() {
        BoxWriter w = new BoxWriter(8);
        int outer = w.begin(BoxTypes.MOOV);
        int inner = w.beginFull(BoxTypes.STCO, 1, 0x000203);
        w.writeInt(1);
        w.writeLong(Long.MAX_VALUE);
        w.end(inner);
        w.end(outer);
        byte[] bytes = w.toByteArray();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertEquals(8 + 24, b.getInt(0));
        assertEquals(BoxTypes.MOOV, b.getInt(4));
        assertEquals(24, b.getInt(8));
        assertEquals(0x01000203, b.getInt(16));
        List<BoxHeader> top = BoxReader.children(b, 0, bytes.length, "test");
        assertEquals(1, top.size());
        assertEquals(List.of(new BoxHeader(BoxTypes.STCO, 8, 8, 24)), BoxReader.children(b, top.get(0)));
        assertThrows(IllegalArgumentException.class, () -> w.writeUnsignedInt(1L << 32));
    }

    @Test
    void copyingBoxesVerbatimPreservesBytes() {
        Movie movie = Mp4TestSupport.parse(Mp4TestSupport.sample("sample.mp4")).movie();
        BoxWriter w = new BoxWriter(16);
        w.copy(movie.buffer(), movie.moov());
        byte[] copy = w.toByteArray();
        byte[] original = new byte[(int) movie.size()];
        movie.buffer().get(0, original);
        assertTrue(Arrays.equals(original, copy));
    }

    @Test
    void fourccNamesAreEscapedWhenNotPrintable() {
        assertEquals("moov", BoxTypes.name(BoxTypes.MOOV));
        assertEquals("\\x00\\x01ab", BoxTypes.name(0x00016162));
        assertNull(BoxReader.find(List.of(), BoxTypes.MOOV));
    }
}
