package dev.vod.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** vod's pre-encoded heads are the bytes Netty's encoder would write; application responses are still encoded. */
class ResponseEncoderTest {
    private static String nettyEncoded(HttpResponse head) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpResponseEncoder());
        channel.writeOutbound(head);
        ByteBuf bytes = channel.readOutbound();
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        bytes.release();
        channel.finishAndReleaseAll();
        return text;
    }

    private static String vodEncoded(HttpResponse head) {
        ByteBuf bytes = ResponseEncoder.encodeHead(ByteBufAllocator.DEFAULT, head);
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        bytes.release();
        return text;
    }

    private static HttpResponse typicalHead(HttpVersion version, HttpResponseStatus status) {
        HttpResponse head = new DefaultHttpResponse(version, status, Reply.newHeaders());
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/mp4")
                .set(HttpHeaderNames.CONTENT_LENGTH, 1024L)
                .set(HttpHeaderNames.CONTENT_RANGE, "bytes 0-1023/1053677")
                .set(HttpHeaderNames.ETAG, AsciiString.cached("\"6552f0a1-1013ed\""))
                .set(HttpHeaderNames.DATE, HttpDates.nowAscii())
                .add(HttpHeaderNames.VARY, "a").add(HttpHeaderNames.VARY, "b");
        return head;
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 206, 304, 404, 416, 503, 299, 599})
    void theHeadIsWhatNettyWouldWrite(int code) {
        for (HttpVersion version : new HttpVersion[] {HttpVersion.HTTP_1_0, HttpVersion.HTTP_1_1}) {
            HttpResponse head = typicalHead(version, HttpResponseStatus.valueOf(code));
            assertEquals(nettyEncoded(head), vodEncoded(head), version + " " + code);
        }
    }

    @Test
    void aCustomReasonPhraseAndHeadersLargerThanTheScratchBufferAreWrittenWhole() {
        HttpResponse head = typicalHead(HttpVersion.HTTP_1_1, new HttpResponseStatus(200, "Fine Indeed"));
        head.headers().set("x-long", "v".repeat(10_000));
        assertEquals(nettyEncoded(head), vodEncoded(head));
        HttpResponse small = typicalHead(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        assertEquals(nettyEncoded(small), vodEncoded(small), "after growing, still exact");
    }

    @Test
    void theFixedTrailingHeadersAreWhatNettyWouldWriteFromTheMap() {
        for (long length : new long[] {0, 7, 1053677, Long.MAX_VALUE}) {
            HttpResponse head = typicalHead(HttpVersion.HTTP_1_0, HttpResponseStatus.PARTIAL_CONTENT);
            head.headers().remove(HttpHeaderNames.CONTENT_LENGTH).remove(HttpHeaderNames.DATE);
            AsciiString date = HttpDates.nowAscii();
            ByteBuf direct = ResponseEncoder.encodeHead(ByteBufAllocator.DEFAULT, head.protocolVersion(),
                    head.status(), head.headers(), date, AsciiString.cached("vod"), length,
                    AsciiString.cached("keep-alive"));
            String vod = direct.toString(StandardCharsets.ISO_8859_1);
            direct.release();
            head.headers().set(HttpHeaderNames.DATE, date).set(HttpHeaderNames.SERVER, "vod")
                    .set(HttpHeaderNames.CONTENT_LENGTH, length).set(HttpHeaderNames.CONNECTION, "keep-alive");
            assertEquals(nettyEncoded(head), vod, "length " + length);
        }
    }

    @Test
    void vodsBytesBetweenApplicationResponsesPassUntouched() {
        EmbeddedChannel channel = new EmbeddedChannel(new ResponseEncoder());
        ByteBuf preEncoded = Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi", StandardCharsets.US_ASCII);
        channel.writeOutbound(preEncoded);
        assertSame(preEncoded, channel.readOutbound());
        preEncoded.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void anApplicationAnswerToHeadLosesItsBodyAndTheNextOneKeepsIt() {
        ResponseEncoder encoder = new ResponseEncoder();
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        encoder.answering(HttpMethod.HEAD);
        channel.writeOutbound(appAnswer());
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n", outbound(channel));
        encoder.answering(HttpMethod.GET);
        channel.writeOutbound(appAnswer());
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok", outbound(channel));
        channel.finishAndReleaseAll();
    }

    @Test
    void contentOfAStreamedApplicationAnswerIsEncodedNotPassedAsVodBytes() {
        ResponseEncoder encoder = new ResponseEncoder();
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        encoder.answering(HttpMethod.GET);
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
        channel.writeOutbound(head, Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII),
                LastHttpContent.EMPTY_LAST_CONTENT);
        assertEquals("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", outbound(channel));
        ByteBuf after = Unpooled.copiedBuffer("raw", StandardCharsets.US_ASCII);
        channel.writeOutbound(after);
        assertSame(after, channel.readOutbound(), "after the message end, bytes are vod's again");
        after.release();
        channel.finishAndReleaseAll();
    }

    private static DefaultFullHttpResponse appAnswer() {
        DefaultFullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
        answer.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2);
        return answer;
    }

    private static String outbound(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        for (Object m; (m = channel.readOutbound()) != null; ) {
            ByteBuf bytes = (ByteBuf) m;
            text.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }
        return text.toString();
    }
}
