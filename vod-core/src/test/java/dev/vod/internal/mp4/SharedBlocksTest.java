package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vod.internal.body.Segment;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shared table blocks in generated headers: bytes as a rewrite would write them, blocks not copied. */
class SharedBlocksTest {
    private static final int B = SharedBlocks.BLOCK;

    private static byte[] concat(List<Segment> segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Segment s : segments) {
            out.writeBytes(((Segment.Bytes) s).data());
        }
        return out.toByteArray();
    }

    private static byte[] table(int length) {
        byte[] table = new byte[length];
        for (int i = 0; i < length; i++) {
            table[i] = (byte) (i * 31 + i / 7);
        }
        return table;
    }

    @Test
    void aSliceSpanningBlocksIsCopiedEndsAndSharedMiddle() {
        byte[] source = table(3 * B + B / 2 + 100);
        SharedBlocks blocks = new SharedBlocks(ByteBuffer.wrap(source).asReadOnlyBuffer(), 100, 3 * B + B / 2);
        BoxWriter out = new BoxWriter(64);
        blocks.writeTo(out, 10, 3 * B + 20);
        List<Segment> segments = out.toSegments();
        assertEquals(4, segments.size(), "head, two shared blocks, tail");
        assertArrayEquals(Arrays.copyOfRange(source, 110, 100 + 3 * B + 20), concat(segments));
        BoxWriter again = new BoxWriter(64);
        blocks.writeTo(again, 0, 2 * B);
        assertSame(((Segment.Bytes) segments.get(1)).data(), ((Segment.Bytes) again.toSegments().get(1)).data(),
                "the same block array for every output");
    }

    @Test
    void aSliceInsideOneBlockIsJustCopied() {
        byte[] source = table(2 * B);
        SharedBlocks blocks = new SharedBlocks(ByteBuffer.wrap(source), 0, 2 * B);
        BoxWriter out = new BoxWriter(64);
        blocks.writeTo(out, 5, B - 5);
        assertEquals(1, out.toSegments().size());
        assertArrayEquals(Arrays.copyOfRange(source, 5, B - 5), out.toByteArray());
    }

    @Test
    void aSliceOutsideTheTableIsRefused() {
        SharedBlocks blocks = new SharedBlocks(ByteBuffer.wrap(new byte[100]), 0, 100);
        assertThrows(IndexOutOfBoundsException.class, () -> blocks.writeTo(new BoxWriter(64), 50, 101));
    }

    @Test
    void boxSizesAndPatchesCountSharedBlocks() {
        byte[] block = table(B);
        BoxWriter out = new BoxWriter(64);
        int box = out.begin(BoxTypes.STSZ);
        out.writeShared(block);
        int reserved = out.reserveInt();
        out.end(box);
        out.patchInt(reserved, 0x01020304);
        List<Segment> segments = out.toSegments();
        assertEquals(3, segments.size());
        assertSame(block, ((Segment.Bytes) segments.get(1)).data());
        ByteBuffer all = ByteBuffer.wrap(concat(segments));
        assertEquals(8 + B + 4, all.getInt(0), "box size includes the shared block");
        assertEquals(0x01020304, all.getInt(8 + B));
        assertEquals(8 + B + 4, out.length());
    }

    @Test
    void longWrittenRunsAreSplitIntoPieces() {
        BoxWriter out = new BoxWriter(64);
        byte[] written = table(2 * BoxWriter.MAX_PIECE + 10);
        out.write(written);
        List<Segment> segments = out.toSegments();
        assertEquals(3, segments.size());
        assertEquals(BoxWriter.MAX_PIECE, segments.get(0).length());
        assertArrayEquals(written, concat(segments));
    }

    @Test
    void aPatchInsideASharedBlockIsRefused() {
        BoxWriter out = new BoxWriter(64);
        out.writeInt(0);
        out.writeShared(table(B));
        out.writeInt(0);
        assertThrows(IndexOutOfBoundsException.class, () -> out.patchInt(4, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> out.patchInt(2, 1), "straddles the block");
        assertThrows(IllegalStateException.class, out::toByteArray);
    }
}
