package dev.vod.internal.http;

import static dev.vod.internal.http.WriterFixtures.context;
import static dev.vod.internal.http.WriterFixtures.head;
import static dev.vod.internal.http.WriterFixtures.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.body.Body;
import dev.vod.internal.body.Segment;
import dev.vod.internal.body.SourceFile;
import dev.vod.internal.throttle.GlobalBandwidth;
import dev.vod.internal.throttle.NanoClock;
import dev.vod.internal.throttle.ResponseRate;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paced writer on an embedded channel: what it hands to the pipeline, and what it releases. */
class PacedBodyWriterTest {
    private static final int FILE_SIZE = 300 * 1000;

    @TempDir
    Path dir;

    private SourceFile file() throws Exception {
        Path p = dir.resolve("f.bin");
        Files.write(p, new byte[FILE_SIZE]);
        return new SourceFile(p, FILE_SIZE, Files.getLastModifiedTime(p).toMillis());
    }

    private static List<Object> drain(EmbeddedChannel channel) {
        List<Object> out = new ArrayList<>();
        for (Object m; (m = channel.readOutbound()) != null; ) {
            out.add(m);
        }
        return out;
    }

    @Test
    void fileBytesLeaveAsFileRegionSlicesNotBuffers() throws Exception {
        SourceFile file = file();
        Body body = Body.ofFile(file);
        EmbeddedChannel channel = new EmbeddedChannel();
        BodyWriter.OpenFiles files = BodyWriter.open(body);
        TransferStats stats = stats();
        // A free part as long as the file: no waiting, but still the paced writer's slicing.
        ChannelFuture done = PacedBodyWriter.write(context(channel), head(), body, files, stats,
                new ResponseRate(2_000_000, FILE_SIZE, NanoClock.SYSTEM), null);
        channel.runPendingTasks();
        assertTrue(done.isSuccess());

        List<Object> out = drain(channel);
        assertInstanceOf(HttpResponse.class, out.get(0));
        assertEquals(LastHttpContent.EMPTY_LAST_CONTENT, out.get(out.size() - 1));
        long regionBytes = 0;
        int regions = 0;
        for (Object m : out.subList(1, out.size() - 1)) {
            assertInstanceOf(FileRegion.class, m, "file bytes must stay zero-copy");
            FileRegion region = (FileRegion) m;
            assertTrue(region.count() <= 100_000, "slices are a twentieth of a second of the rate");
            regionBytes += region.count();
            regions++;
            ReferenceCountUtil.release(m);
        }
        assertEquals(FILE_SIZE, regionBytes);
        assertEquals(3, regions, "300 000 bytes in slices of 100 000");
        assertEquals(FILE_SIZE, stats.bytesSent);
        channel.finishAndReleaseAll();
    }

    @Test
    void generatedSegmentsLeaveAsBuffers() throws Exception {
        SourceFile file = file();
        Body body = Body.of(new Segment.Bytes(new byte[] {1, 2, 3}), new Segment.FileSlice(file, 0, 1000));
        EmbeddedChannel channel = new EmbeddedChannel();
        ChannelFuture done = PacedBodyWriter.write(context(channel), head(), body, BodyWriter.open(body), stats(),
                null, new GlobalBandwidth(100_000_000));
        channel.runPendingTasks();
        assertTrue(done.isSuccess());
        List<Object> out = drain(channel);
        assertInstanceOf(ByteBuf.class, out.get(1));
        assertInstanceOf(FileRegion.class, out.get(2));
        out.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
    }

    @Test
    void closingMidBodyFailsTheResponseAndReleasesTheFile() throws Exception {
        SourceFile file = file();
        Body body = Body.ofFile(file);
        EmbeddedChannel channel = new EmbeddedChannel();
        BodyWriter.OpenFiles files = BodyWriter.open(body);
        SharedFile shared = files.get(file);
        // 1 KB/s with nothing free: the first slice waits about a second on the timer.
        ChannelFuture done = PacedBodyWriter.write(context(channel), head(), body, files, stats(),
                new ResponseRate(1000, 0, NanoClock.SYSTEM), null);
        channel.runPendingTasks();
        assertFalse(done.isDone(), "waiting for tokens");
        channel.close();
        channel.runPendingTasks();
        assertTrue(done.isDone() && !done.isSuccess(), "abort fails the response");
        drain(channel).forEach(ReferenceCountUtil::release);
        assertEquals(0, shared.refCnt(), "descriptor closed");
        assertFalse(shared.channel().isOpen());
    }
}
