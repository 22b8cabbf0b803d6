package dev.vod.internal.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vod.internal.mp4.LiveInit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments spooled to files ({@link SpoolFile}) as a publisher leaves them in a rendition: what a viewer gets from
 * the file is what was published, parts included, and every file is closed once the window and the responses are
 * done with it. The directory is a plain temporary one here; the server uses {@code /dev/shm}.
 */
class LiveSpoolTest {
    @TempDir
    Path dir;

    private final Object publisher = new Object();

    private LiveRendition rendition(double windowSeconds) {
        LiveRendition r = new LiveRendition("main", windowSeconds);
        r.claim(publisher);
        r.init(new byte[] {1, 2, 3}, null);
        return r;
    }

    /**
     * Puts the rendition in parts mode: the first key-frame fragment opens segment 0 and a fragment without a key
     * frame shows the publisher sends parts; the next key frame starts segment 1.
     */
    private static void startParts(LiveRendition r, Object owner) throws IOException {
        append(r, owner, null, "[first key]", true);
        append(r, owner, null, "[first part]", false);
    }

    private static ByteBuf fragment(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    /** Appends like {@link Publish}: the bytes to the spool first, then the buffer to the rendition. */
    private static void append(LiveRendition r, Object owner, SpoolFile spool, String text, boolean key)
            throws IOException {
        ByteBuf data = fragment(text);
        long offset = spool == null ? -1 : spool.append(data);
        r.append(owner, data, new LiveInit.Fragment(key, key ? 2.0 : 0.5, 0, 1), System.currentTimeMillis(),
                spool, offset);
    }

    private static String read(Object body) throws IOException {
        try {
            if (body instanceof ByteBuf b) {
                return b.toString(StandardCharsets.US_ASCII);
            }
            FileRegion region = (FileRegion) body;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            WritableByteChannel sink = Channels.newChannel(out);
            while (region.transferred() < region.count()) {
                region.transferTo(sink, region.transferred());
            }
            return out.toString(StandardCharsets.US_ASCII);
        } finally {
            ReferenceCountUtil.release(body);
        }
    }

    @Test
    void aWholeSegmentComesFromItsFileWithTheBytesPublished() throws IOException {
        LiveRendition r = rendition(30);
        SpoolFile spool = SpoolFile.create(dir);
        append(r, publisher, spool, "moof-mdat-of-segment-0", true);
        append(r, publisher, null, "segment 1", true); // the second key frame: one fragment a GOP, complete

        Object zeroCopy = r.segment(0, -1, true);
        assertInstanceOf(FileRegion.class, zeroCopy);
        assertEquals("moof-mdat-of-segment-0", read(zeroCopy));
        Object buffered = r.segment(0, -1, false);
        assertInstanceOf(ByteBuf.class, buffered, "without file regions (TLS) the buffers answer");
        assertEquals("moof-mdat-of-segment-0", read(buffered));
        spool.release();
        r.clear();
        assertEquals(0, spool.refCnt());
    }

    @Test
    void partsAreRangesOfTheirSegmentsFile() throws IOException {
        LiveRendition r = rendition(30);
        startParts(r, publisher);
        SpoolFile spool = SpoolFile.create(dir);
        append(r, publisher, spool, "[key part]", true);
        append(r, publisher, spool, "[part 1]", false);
        append(r, publisher, spool, "[part 2]", false);

        assertNull(r.segment(1, -1, true), "the segment is still open: only its parts exist");
        assertInstanceOf(FileRegion.class, r.segment(1, 0, true));
        assertEquals("[part 1]", read(r.segment(1, 1, true)));
        assertEquals("[part 2]", read(r.segment(1, 2, false)));
        assertNull(r.segment(1, 3, true));

        SpoolFile next = SpoolFile.create(dir);
        append(r, publisher, next, "[next key]", true); // completes segment 1
        assertEquals("[key part][part 1][part 2]", read(r.segment(1, -1, true)));
        assertEquals("[next key]", read(r.segment(2, 0, true)));
        spool.release();
        next.release();
        r.clear();
    }

    @Test
    void aSegmentWithPartsOutsideItsFileIsServedFromMemory() throws IOException {
        LiveRendition r = rendition(30);
        startParts(r, publisher);
        SpoolFile spool = SpoolFile.create(dir);
        append(r, publisher, spool, "[key]", true);
        append(r, publisher, null, "[not spooled]", false); // e.g. the file system was full
        SpoolFile second = SpoolFile.create(dir);
        append(r, publisher, second, "[key 2]", true);

        Object body = r.segment(1, -1, true);
        assertInstanceOf(ByteBuf.class, body);
        assertEquals("[key][not spooled]", read(body));
        assertEquals(1, spool.refCnt(), "the segment let go of the file it could not use");
        spool.release();
        second.release();
        r.clear();
        assertEquals(0, second.refCnt());
    }

    @Test
    void filesAreClosedWhenEvictedAndNoResponseHoldsThem() throws IOException {
        LiveRendition r = rendition(4); // 4 s window: 2 s segments go once more than 3 and 4 s are there
        SpoolFile first = SpoolFile.create(dir);
        append(r, publisher, first, "segment 0", true);
        first.release(); // the publisher moves on to the next segment's file
        SpoolFile second = SpoolFile.create(dir);
        append(r, publisher, second, "segment 1", true); // completes segment 0
        second.release();
        Object inFlight = r.segment(0, -1, true);
        assertEquals(2, first.refCnt(), "the segment and the response in flight");

        for (int i = 2; i <= 5; i++) {
            SpoolFile s = SpoolFile.create(dir);
            append(r, publisher, s, "segment " + i, true);
            s.release();
        }
        assertNull(r.segment(0, -1, true), "segment 0 left the window");
        assertEquals(1, first.refCnt(), "only the response holds it now");
        assertEquals("segment 0", read(inFlight), "an evicted segment's response still completes");
        assertEquals(0, first.refCnt());
        r.clear();
    }

    @Test
    void spoolFilesLeaveNothingInTheDirectory() throws IOException {
        SpoolFile spool = SpoolFile.create(dir);
        assertEquals(0, spool.append(Unpooled.wrappedBuffer(ByteBuffer.wrap(new byte[100]))));
        assertEquals(100, spool.append(fragment("more")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "unlinked as soon as open");
        }
        spool.release();
    }

    @Test
    void theSpoolDirectoryIsDevShmAnotherDirectoryOrOff() throws IOException {
        assertNull(LiveChannels.spoolDir("off"));
        assertNull(LiveChannels.spoolDir(dir.resolve("missing").toString()));
        Path file = Files.createFile(dir.resolve("a-file"));
        assertNull(LiveChannels.spoolDir(file.toString()));
        assertEquals(dir, LiveChannels.spoolDir(dir.toString()));
        Path shm = Path.of("/dev/shm");
        assertEquals(Files.isDirectory(shm) && Files.isWritable(shm) ? shm : null, LiveChannels.spoolDir(null));
    }
}
