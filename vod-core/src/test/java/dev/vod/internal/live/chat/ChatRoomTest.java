package dev.vod.internal.live.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A room without a network: members on embedded channels, time from a clock the test moves. */
class ChatRoomTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T02:10:00.250Z"));
    private final ChatRoom room = new ChatRoom("x", clock);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel member(String name) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChatSocketHandler(room, name));
        channels.add(channel);
        received(channel); // the welcome and member counts
        return channel;
    }

    private static void say(EmbeddedChannel channel, String text) {
        channel.writeInbound(new TextWebSocketFrame("{\"type\":\"message\",\"text\":" + Json.quote(text) + "}"));
    }

    /** The frames the member has been sent so far, parsed. */
    private static List<Map<String, Object>> received(EmbeddedChannel channel) {
        channel.runPendingTasks();
        List<Map<String, Object>> frames = new ArrayList<>();
        for (TextWebSocketFrame frame; (frame = channel.readOutbound()) != null; ) {
            frames.add(ChatClient.object(frame.text()));
            frame.release();
        }
        return frames;
    }

    private static List<String> types(List<Map<String, Object>> frames) {
        return frames.stream().map(f -> (String) f.get("type")).toList();
    }

    @Test
    void theSixthMessageWithinASecondIsRefused() {
        EmbeddedChannel alice = member("alice");
        for (int i = 0; i < 6; i++) {
            say(alice, "m" + i);
            clock.advance(Duration.ofMillis(100));
        }
        List<Map<String, Object>> frames = received(alice);
        assertEquals(List.of("message", "message", "message", "message", "message", "refused"), types(frames));
        assertEquals(ChatRoom.TOO_FAST, frames.get(5).get("reason"));
    }

    @Test
    void theWindowSlidesOneSecondAfterEachAcceptedMessage() {
        EmbeddedChannel alice = member("alice");
        for (int i = 0; i < 5; i++) {
            say(alice, "m" + i); // at 0, 100, … 400 ms
            clock.advance(Duration.ofMillis(100));
        }
        clock.advance(Duration.ofMillis(499)); // 999 ms after the first
        say(alice, "too soon");
        clock.advance(Duration.ofMillis(1)); // 1000 ms after the first: it has left the window
        say(alice, "in time");
        say(alice, "too soon again"); // the second (100 ms) is still inside
        List<Map<String, Object>> frames = received(alice);
        assertEquals(List.of("message", "message", "message", "message", "message", "refused", "message", "refused"),
                types(frames));
        assertEquals("in time", frames.get(6).get("text"));
    }

    @Test
    void refusedMessagesDoNotUseUpTheAllowance() {
        EmbeddedChannel alice = member("alice");
        for (int i = 0; i < 5; i++) {
            say(alice, "x".repeat(ChatRoom.MAX_TEXT + 1));
        }
        say(alice, "x".repeat(ChatRoom.MAX_TEXT));
        assertEquals(List.of("refused", "refused", "refused", "refused", "refused", "message"), types(received(alice)));
    }

    @Test
    void relayedMessagesCarryTheClocksTimeToTheSecond() {
        EmbeddedChannel alice = member("alice");
        EmbeddedChannel bob = member("bob");
        received(alice);
        say(alice, "hi");
        assertEquals(Map.of("type", "message", "time", "2026-12-02T02:10:00Z", "name", "alice", "text", "hi"),
                received(bob).get(0));
    }

    @Test
    void historyKeepsOnlyTheLast50() {
        EmbeddedChannel alice = member("alice");
        for (int i = 1; i <= 60; i++) {
            say(alice, "m" + i);
            clock.advance(Duration.ofSeconds(1));
        }
        List<String> history = room.history();
        assertEquals(50, history.size());
        assertEquals("m11", ChatClient.object(history.get(0)).get("text"));
    }

    @Test
    void aMemberThatIsNotReadingHasMessagesDroppedAndCounted() {
        EmbeddedChannel alice = member("alice");
        EmbeddedChannel slow = member("slow");
        received(alice);
        slow.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        slow.write(Unpooled.wrappedBuffer(new byte[16])); // queued, never flushed: the channel is not writable
        assertFalse(slow.isWritable());

        say(alice, "one");
        say(alice, "two");

        assertEquals(2, types(received(alice)).size());
        slow.runPendingTasks();
        assertNull(slow.readOutbound(), "nothing sent to the slow member");
        assertEquals(2, room.dropped());
    }

    @Test
    void anUnknownTypeIsRefusedAndABrokenObjectIsABareMessage() {
        EmbeddedChannel alice = member("alice");
        alice.writeInbound(new TextWebSocketFrame("{\"type\":\"shout\"}"));
        alice.writeInbound(new TextWebSocketFrame("{not json"));
        List<Map<String, Object>> frames = received(alice);
        assertEquals(ChatRoom.UNKNOWN_TYPE, frames.get(0).get("reason"));
        assertEquals("{not json", frames.get(1).get("text"));
    }

    @Test
    void aClosedMemberLeavesTheRoom() {
        EmbeddedChannel alice = member("alice");
        EmbeddedChannel bob = member("bob");
        received(alice);
        bob.close();
        assertEquals(1, room.members());
        assertEquals(List.of(Map.of("type", "members", "members", new java.math.BigDecimal(1))), received(alice));
    }
}
