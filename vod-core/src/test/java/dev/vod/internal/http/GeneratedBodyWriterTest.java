package dev.vod.internal.http;

import static dev.vod.internal.http.WriterFixtures.context;
import static dev.vod.internal.http.WriterFixtures.head;
import static dev.vod.internal.http.WriterFixtures.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.body.Body;
import dev.vod.internal.body.Segment;
import dev.vod.internal.throttle.GlobalBandwidth;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Lazily generated segments on an embedded channel: byte-exact, in bounded pooled buffers. */
class GeneratedBodyWriterTest {
    /** More than two pieces, not a multiple of the piece size. */
    private static final int LENGTH = 2 * BodyWriter.GENERATED_PIECE + 12_345;

    private static final Segment.Generator PATTERN = (from, dst, dstOffset, count) -> {
        for (int k = 0; k < count; k++) {
            long i = from + k;
            dst[dstOffset + k] = (byte) (i * 131 + (i >>> 9));
        }
    };

    private static byte[] expected(long from, int count) {
        byte[] whole = new byte[LENGTH];
        PATTERN.write(0, whole, 0, LENGTH);
        return Arrays.copyOfRange(whole, (int) from, (int) from + count);
    }

    /** The body bytes written after the head, checking each buffer is at most one piece; releases them. */
    private static byte[] bodyBytes(EmbeddedChannel channel) {
        assertInstanceOf(HttpResponse.class, channel.readOutbound());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object m; (m = channel.readOutbound()) != null; ) {
            if (m == LastHttpContent.EMPTY_LAST_CONTENT) {
                break;
            }
            ByteBuf buffer = assertInstanceOf(ByteBuf.class, m);
            assertTrue(buffer.readableBytes() <= BodyWriter.GENERATED_PIECE, "bounded pieces");
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            out.writeBytes(bytes);
            ReferenceCountUtil.release(m);
        }
        return out.toByteArray();
    }

    @Test
    void aGeneratedSegmentIsWrittenByteExactInBoundedPieces() throws Exception {
        Body body = Body.of(new Segment.Generated(LENGTH, PATTERN));
        EmbeddedChannel channel = new EmbeddedChannel();
        TransferStats stats = stats();
        ChannelFuture done = BodyWriter.write(context(channel), head(), body, BodyWriter.open(body), stats);
        channel.runPendingTasks();
        assertTrue(done.isSuccess());
        assertArrayEquals(expected(0, LENGTH), bodyBytes(channel));
        assertEquals(LENGTH, stats.bytesSent);
        channel.finishAndReleaseAll();
    }

    @Test
    void aRangeOfAGeneratedSegmentIsWrittenAsThatWindow() throws Exception {
        Body body = Body.of(new Segment.Generated(LENGTH, PATTERN)).slice(1001, 300_000);
        EmbeddedChannel channel = new EmbeddedChannel();
        ChannelFuture done = BodyWriter.write(context(channel), head(), body, BodyWriter.open(body), stats());
        channel.runPendingTasks();
        assertTrue(done.isSuccess());
        assertArrayEquals(expected(1001, 300_000), bodyBytes(channel));
        channel.finishAndReleaseAll();
    }

    @Test
    void preEncodedTheHeadIsBytesAndTheBodyFollowsWithoutAMessageEnd() throws Exception {
        Body body = Body.of(new Segment.Generated(LENGTH, PATTERN)).slice(7, 300_000);
        EmbeddedChannel channel = new EmbeddedChannel();
        TransferStats stats = stats();
        ChannelFuture done = BodyWriter.write(context(channel),
                ResponseEncoder.encodeHead(channel.alloc(), head()), body, BodyWriter.open(body), stats);
        channel.runPendingTasks();
        assertTrue(done.isSuccess());
        ByteBuf head = assertInstanceOf(ByteBuf.class, channel.readOutbound());
        assertTrue(head.toString(java.nio.charset.StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200 OK\r\n"));
        head.release();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object m; (m = channel.readOutbound()) != null; ) {
            ByteBuf buffer = assertInstanceOf(ByteBuf.class, m, "only bytes follow the head");
            out.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(buffer));
            buffer.release();
        }
        assertArrayEquals(expected(7, 300_000), out.toByteArray());
        assertEquals(300_000, stats.bytesSent);
        channel.finishAndReleaseAll();
    }

    @Test
    void thePacedWriterWritesAGeneratedSegmentByteExact() throws Exception {
        Body body = Body.of(new Segment.Bytes(new byte[] {1, 2, 3}), new Segment.Generated(LENGTH, PATTERN));
        EmbeddedChannel channel = new EmbeddedChannel();
        ChannelFuture done = PacedBodyWriter.write(context(channel), head(), body, BodyWriter.open(body), stats(),
                null, new GlobalBandwidth(100_000_000));
        channel.runPendingTasks();
        assertTrue(done.isSuccess());
        byte[] written = bodyBytes(channel);
        byte[] wanted = new byte[3 + LENGTH];
        wanted[0] = 1;
        wanted[1] = 2;
        wanted[2] = 3;
        System.arraycopy(expected(0, LENGTH), 0, wanted, 3, LENGTH);
        assertArrayEquals(wanted, written);
        channel.finishAndReleaseAll();
    }
}
