package dev.vod.internal.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.mp4.LiveInit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * How a rendition cuts a publisher's fragments into segments: one fragment a GOP makes one segment each; shorter
 * fragments are parts of the segment that runs from one key frame to the next. Which of the two a publisher
 * sends shows only from its second fragment, so nothing of a first GOP sent in parts may be lost to the guess.
 */
class LiveSegmentingTest {
    private final Object publisher = new Object();
    private final LiveRendition rendition = new LiveRendition("main", 30);

    LiveSegmentingTest() {
        rendition.claim(publisher);
        rendition.init(new byte[] {1, 2, 3}, null);
    }

    private boolean append(Object owner, String text, boolean key, double seconds) {
        ByteBuf data = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
        return rendition.append(owner, data, new LiveInit.Fragment(key, seconds, 0, 1), System.currentTimeMillis(),
                null, -1);
    }

    private String segment(long sequence, int part) {
        Object body = rendition.segment(sequence, part, false);
        if (body == null) {
            return null;
        }
        try {
            return ((ByteBuf) body).toString(StandardCharsets.US_ASCII);
        } finally {
            ReferenceCountUtil.release(body);
        }
    }

    @Test
    void aFirstGopSentInPartsKeepsEveryPart() {
        assertTrue(append(publisher, "[key]", true, 0.5));
        assertTrue(append(publisher, "[p1]", false, 0.5), "joins the first segment, not dropped");
        assertTrue(append(publisher, "[p2]", false, 0.5));
        assertTrue(append(publisher, "[p3]", false, 0.5));
        assertTrue(append(publisher, "[next key]", true, 0.5));

        assertEquals("[key][p1][p2][p3]", segment(0, -1));
        assertEquals("[p1]", segment(0, 1));
        assertEquals(0, rendition.stats().droppedFragments());
        LivePlaylists.Media playlist = rendition.snapshot();
        assertEquals(2.0, playlist.segments().get(0).seconds(), 1e-9);
        assertTrue(playlist.partTarget() > 0, "listed with its parts");
        rendition.clear();
    }

    @Test
    void theFirstWholeGopFragmentIsASegmentOnceTheSecondArrives() {
        append(publisher, "[gop 0]", true, 2.0);
        assertNull(segment(0, -1), "one key-frame fragment could still be the first part of a segment");
        assertTrue(rendition.snapshot().segments().stream().noneMatch(LivePlaylists.SegmentView::complete));

        append(publisher, "[gop 1]", true, 2.0);
        assertEquals("[gop 0]", segment(0, -1));
        assertEquals("[gop 1]", segment(1, -1), "from then on each fragment is a segment the moment it arrives");
        assertEquals(0.0, rendition.snapshot().partTarget(), "no parts listed for whole-GOP fragments");
        rendition.clear();
    }

    @Test
    void aPublisherThatLeavesAfterOneFragmentLeavesOneSegment() {
        append(publisher, "[only]", true, 2.0);
        rendition.release(publisher);
        assertEquals("[only]", segment(0, -1));
        assertTrue(rendition.snapshot().ended());
        rendition.clear();
    }

    @Test
    void aNewPublisherIsJudgedAfresh() {
        append(publisher, "[a0]", true, 2.0);
        append(publisher, "[a1]", true, 2.0);
        rendition.release(publisher);
        Object next = new Object();
        assertTrue(rendition.claim(next));
        append(next, "[b key]", true, 0.5);
        assertTrue(append(next, "[b part]", false, 0.5), "the new publisher's first GOP in parts is kept");
        append(next, "[b next key]", true, 0.5);
        assertEquals("[b key][b part]", segment(2, -1));
        assertTrue(rendition.snapshot().segments().get(2).discontinuity(), "a takeover starts a discontinuity");
        rendition.clear();
    }
}
