package dev.vod.internal.live.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chat end to end: JDK WebSocket clients against vod's own pipeline on a real port. */
class ChatWebSocketTest {
    private ChatServer server;
    private final List<ChatClient> clients = new ArrayList<>();
    private final List<Map<String, Object>> welcomes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new ChatServer();
    }

    @AfterEach
    void stop() {
        clients.forEach(ChatClient::close);
        server.close();
    }

    private ChatClient join(String channel, String name) throws InterruptedException {
        String query = name == null ? null : "name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        ChatClient client = ChatClient.join(server.chat(channel, query), welcomes);
        clients.add(client);
        return client;
    }

    private Map<String, Object> lastWelcome() {
        return welcomes.get(welcomes.size() - 1);
    }

    @Test
    void twoClientsBothReceiveAMessageWithNameAndTime() throws Exception {
        ChatClient alice = join("x", "alice");
        ChatClient bob = join("x", "bob");
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        alice.say("hello bob");

        for (ChatClient client : List.of(alice, bob)) {
            Map<String, Object> message = client.next("message");
            assertEquals("alice", message.get("name"));
            assertEquals("hello bob", message.get("text"));
            Instant time = Instant.parse((String) message.get("time"));
            assertFalse(time.isBefore(before), "time " + time + " before " + before);
        }
        bob.send("bare text works too");
        Map<String, Object> bare = alice.next("message");
        assertEquals("bare text works too", bare.get("text"));
        assertEquals("bob", bare.get("name"));
    }

    @Test
    void joiningGetsTheLast50Messages() throws Exception {
        ChatClient talker = join("x", "talker");
        for (int i = 1; i <= 60; i++) {
            // Five a second at most: wait out the window between bursts.
            if (i > 1 && (i - 1) % ChatRoom.RATE_LIMIT == 0) {
                Thread.sleep(ChatRoom.RATE_WINDOW.toMillis() + 50);
            }
            talker.say("message " + i);
            assertEquals("message " + i, talker.next("message").get("text"));
        }

        join("x", "late");

        List<?> history = (List<?>) lastWelcome().get("history");
        assertEquals(50, history.size());
        assertEquals("message 11", ((Map<?, ?>) history.get(0)).get("text"));
        assertEquals("message 60", ((Map<?, ?>) history.get(49)).get("text"));
        assertEquals("talker", ((Map<?, ?>) history.get(49)).get("name"));
    }

    @Test
    void aFloodIsCutToFiveMessagesASecondAndTheRestRefusedToTheSender() throws Exception {
        ChatClient flooder = join("x", "flooder");
        ChatClient watcher = join("x", "watcher");
        flooder.next("members");

        for (int i = 0; i < 10; i++) {
            flooder.say("flood " + i);
        }

        List<Map<String, Object>> seen = watcher.drain(900);
        long relayed = seen.stream().filter(m -> "message".equals(m.get("type"))).count();
        assertEquals(5, relayed, "relayed to the watcher: " + seen);
        assertTrue(seen.stream().noneMatch(m -> "refused".equals(m.get("type"))), "refusals are the sender's");
        List<Map<String, Object>> own = flooder.drain(300);
        assertEquals(5, own.stream().filter(m -> "message".equals(m.get("type"))).count());
        List<Map<String, Object>> refused = own.stream().filter(m -> "refused".equals(m.get("type"))).toList();
        assertEquals(5, refused.size(), "refused: " + own);
        assertEquals("at most 5 messages per second", refused.get(0).get("reason"));
    }

    @Test
    void aTooLongMessageIsRefusedNotRelayedAndTheConnectionStaysUsable() throws Exception {
        ChatClient sender = join("x", "sender");
        ChatClient watcher = join("x", "watcher");
        sender.next("members");

        sender.say("a".repeat(10_000));

        assertEquals(Map.of("type", "refused", "reason", "at most 500 characters"), sender.next());
        sender.say("short one");
        assertEquals("short one", sender.next("message").get("text"));
        assertEquals("short one", watcher.next("message").get("text"), "the long one was not relayed first");
    }

    @Test
    void aFrameOverTheHardLimitClosesWith1009AndOthersCarryOn() throws Exception {
        ChatClient big = join("x", "big");
        ChatClient other = join("x", "other");

        big.socket.sendText("b".repeat(100 * 1024), true);

        assertEquals(1009, big.closed.get(5, TimeUnit.SECONDS));
        assertEquals(1, ((Number) other.next("members").get("members")).intValue());
        other.say("still here");
        assertEquals("still here", other.next("message").get("text"));
    }

    @Test
    void aBinaryFrameIsRefused() throws Exception {
        ChatClient sender = join("x", "sender");

        sender.socket.sendBinary(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)), true).join();

        assertEquals(Map.of("type", "refused", "reason", "text only"), sender.next());
    }

    @Test
    void aNameLosesControlCharactersAndSurroundingSpace() throws Exception {
        join("x", "  al\u0007i\nce\u202E  ");
        assertEquals("alice", lastWelcome().get("name"));
    }

    @Test
    void aLongNameIsCutTo32Characters() throws Exception {
        join("x", "n".repeat(100));
        assertEquals("n".repeat(32), lastWelcome().get("name"));
    }

    @Test
    void anEmptyOrMissingNameBecomesGuestN() throws Exception {
        join("x", " \u0001 ");
        join("x", null);
        assertEquals("guest-1", welcomes.get(0).get("name"));
        assertEquals("guest-2", welcomes.get(1).get("name"));
    }

    @Test
    void aRenameIsSanitisedAndUsedForLaterMessages() throws Exception {
        ChatClient client = join("x", null);
        client.send("{\"type\":\"name\",\"name\":\"\\u0000 carol \"}");
        assertEquals("carol", client.next("name").get("name"));
        client.say("hi");
        assertEquals("carol", client.next("message").get("name"));
    }

    @Test
    void htmlAndJsonSpecialCharactersRoundTripExactly() throws Exception {
        String tricky = "<script>alert(\"x\")</script> \\ \n \t & \u2028 é 😀 '";
        ChatClient sender = join("x", "<b>\"me\"</b>");

        sender.say(tricky);

        String raw = sender.texts.poll(5, TimeUnit.SECONDS);
        assertTrue(raw.contains("\\u003cscript\\u003e") && raw.contains("\\\"x\\\"") && raw.contains("\\\\ \\n"),
                "escaped on the wire: " + raw);
        Map<String, Object> message = ChatClient.object(raw);
        assertEquals(tricky, message.get("text"));
        assertEquals("<b>\"me\"</b>", message.get("name"));
    }

    @Test
    void memberCountsFollowJoinsAndLeaves() throws Exception {
        ChatClient first = join("x", "first");
        assertEquals(1, ((Number) lastWelcome().get("members")).intValue());
        ChatClient second = join("x", "second");
        assertEquals(2, ((Number) lastWelcome().get("members")).intValue());
        assertEquals(2, ((Number) first.next("members").get("members")).intValue());
        assertEquals(2, server.rooms.members("x"));

        second.socket.sendClose(1000, "bye").join();

        assertEquals(1, ((Number) first.next("members").get("members")).intValue());
        assertEquals(1000, second.closed.get(5, TimeUnit.SECONDS));
        assertEquals(1, server.rooms.members("x"));
        assertEquals(0, server.rooms.members("elsewhere"));
    }

    @Test
    void roomsAreSeparate() throws Exception {
        ChatClient inX = join("x", "x-viewer");
        ChatClient inY = join("y", "y-viewer");

        inX.say("only in x");

        assertEquals("only in x", inX.next("message").get("text"));
        assertTrue(inY.drain(300).isEmpty());
        assertEquals(2, server.rooms.members());
    }

    @Test
    void aPingIsAnsweredWithAPong() throws Exception {
        ChatClient client = join("x", "pinger");

        client.socket.sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).join();

        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), client.pongs.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void aChatOutlivesVodsHttpTimeouts() throws Exception {
        server.close();
        server = new ChatServer(Duration.ofMillis(300));
        ChatClient client = join("x", "patient");

        Thread.sleep(1_500);

        client.say("still open");
        assertEquals("still open", client.next("message").get("text"));
        assertFalse(client.closed.isDone());
    }

    @Test
    void aBadHandshakeGets400WithTheReason() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /live/x/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\n400 Bad Request: not a WebSocket request: missing key\n"), response);
        }
        assertEquals(0, server.rooms.members("x"));
    }
}
