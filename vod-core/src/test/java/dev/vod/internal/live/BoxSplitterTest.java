package dev.vod.internal.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.HttpProblem;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BoxSplitterTest {
    private final List<byte[]> boxes = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();

    private BoxSplitter splitter(long max) {
        return new BoxSplitter(ByteBufAllocator.DEFAULT, max, (type, box) -> {
            byte[] b = new byte[box.readableBytes()];
            box.readBytes(b);
            box.release();
            types.add(type);
            boxes.add(b);
        });
    }

    private static byte[] box(String type, int payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload);
        b.putInt(8 + payload).put(type.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < payload; i++) {
            b.put((byte) i);
        }
        return b.array();
    }

    private static byte[] largeBox(String type, int payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + payload);
        b.putInt(1).put(type.getBytes(StandardCharsets.US_ASCII)).putLong(16 + payload);
        return b.array();
    }

    private static void feed(BoxSplitter s, byte[] bytes) {
        ByteBuf chunk = Unpooled.wrappedBuffer(bytes);
        try {
            s.feed(chunk);
        } finally {
            chunk.release();
        }
    }

    @Test
    void boxesSplitAtEveryChunkBoundary() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        byte[][] expected = {box("ftyp", 16), box("moov", 300), box("moof", 100), box("mdat", 5000),
            largeBox("mdat", 40), box("free", 0)};
        for (byte[] b : expected) {
            stream.writeBytes(b);
        }
        byte[] all = stream.toByteArray();
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            boxes.clear();
            BoxSplitter s = splitter(1 << 20);
            int at = 0;
            while (at < all.length) {
                int n = Math.min(all.length - at, 1 + random.nextInt(round < 10 ? 3 : 700));
                byte[] chunk = new byte[n];
                System.arraycopy(all, at, chunk, 0, n);
                feed(s, chunk);
                at += n;
            }
            assertEquals(expected.length, boxes.size(), "round " + round);
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i], boxes.get(i), "box " + i + " of round " + round);
            }
            assertFalse(s.midBox());
        }
    }

    @Test
    void aBoxOverTheLimitIsRefusedFromItsHeader() {
        BoxSplitter s = splitter(1000);
        feed(s, box("ftyp", 8));
        HttpProblem p = assertThrows(HttpProblem.class, () -> feed(s, new byte[] {0, 0, 0x10, 0, 'm', 'd', 'a', 't'}));
        assertEquals(413, p.status());
    }

    @Test
    void aStreamMustStartWithAnInitBox() {
        BoxSplitter s = splitter(1000);
        assertEquals(415, assertThrows(HttpProblem.class, () -> feed(s, box("mdat", 8))).status());
    }

    @Test
    void bytesThatAreNotBoxesAre415() {
        BoxSplitter s = splitter(1000);
        assertEquals(415, assertThrows(HttpProblem.class,
                () -> feed(s, "garbage!garbage!".getBytes(StandardCharsets.US_ASCII))).status());
    }

    @Test
    void aSizeToTheEndOfTheStreamIsRefused() {
        BoxSplitter s = splitter(1000);
        feed(s, box("ftyp", 8));
        assertEquals(415, assertThrows(HttpProblem.class,
                () -> feed(s, new byte[] {0, 0, 0, 0, 'm', 'd', 'a', 't'})).status());
    }

    @Test
    void aSizeSmallerThanTheHeaderIsRefused() {
        BoxSplitter s = splitter(1000);
        assertEquals(415, assertThrows(HttpProblem.class,
                () -> feed(s, new byte[] {0, 0, 0, 4, 'f', 'r', 'e', 'e'})).status());
    }

    @Test
    void aCutBoxIsReported() {
        BoxSplitter s = splitter(1000);
        feed(s, box("ftyp", 8));
        byte[] b = box("moof", 50);
        feed(s, java.util.Arrays.copyOf(b, 30));
        assertTrue(s.midBox());
        s.release();
    }
}
