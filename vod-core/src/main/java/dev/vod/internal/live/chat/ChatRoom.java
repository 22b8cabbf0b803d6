package dev.vod.internal.live.chat;

import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One channel's chat: members, the last {@link #HISTORY} messages, relaying. Thread-safe (members may live on
 * different event loops): joining, leaving and relaying hold the room's lock, so every member sees the messages
 * and member counts in the same order.
 *
 * <p>What a member receives, as JSON text frames:
 *
 * <pre>
 * {"type":"welcome","name":"guest-3","members":2,"history":[{"time":"2026-12-02T02:10:00Z","name":"bob","text":"hi"}]}
 * {"type":"message","time":"2026-12-02T02:10:05Z","name":"alice","text":"hello"}     (to everyone, sender too)
 * {"type":"members","members":3}                                                     (to the others, on join/leave)
 * {"type":"refused","reason":"at most 5 messages per second"}                          (to the sender only)
 * {"type":"name","name":"alice"}                                   (to the sender, its name as kept after a rename)
 * </pre>
 *
 * and what it may send: {@code {"type":"message","text":"hello"}}, {@code {"type":"name","name":"alice"}}, or a
 * bare text that is not a JSON object, taken as a message.
 */
public final class ChatRoom {
    /** Messages kept and sent to a member on join. */
    static final int HISTORY = 50;
    /** Longest message relayed, in characters (code points). */
    static final int MAX_TEXT = 500;
    /** Messages a member may send per {@link #RATE_WINDOW}. */
    static final int RATE_LIMIT = 5;
    static final Duration RATE_WINDOW = Duration.ofSeconds(1);

    static final String TOO_FAST = "at most " + RATE_LIMIT + " messages per second";
    static final String TOO_LONG = "at most " + MAX_TEXT + " characters";
    static final String TEXT_ONLY = "text only";
    static final String EMPTY = "empty message";
    static final String UNKNOWN_TYPE = "unknown message type";

    private final String channel;
    private final Clock clock;
    private final AtomicInteger guests = new AtomicInteger();
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final Set<ChatMember> members = new LinkedHashSet<>();
    /** The JSON objects of the last messages, oldest first. Guarded by {@link #lock}. */
    private final ArrayDeque<String> history = new ArrayDeque<>(HISTORY);

    public ChatRoom(String channel, Clock clock) {
        this.channel = channel;
        this.clock = clock;
    }

    /** The live channel this room belongs to. */
    public String channel() {
        return channel;
    }

    /** How many connections are in the room now. */
    public int members() {
        synchronized (lock) {
            return members.size();
        }
    }

    /**
     * Adds the connection of {@code ctx} under {@code requestedName} (sanitised; {@code guest-N} when nothing is
     * left of it), sends it the welcome with the history, and tells the others the new count.
     */
    ChatMember join(ChannelHandlerContext ctx, String requestedName) {
        String name = DisplayNames.sanitize(requestedName);
        if (name.isEmpty()) {
            name = "guest-" + guests.incrementAndGet();
        }
        ChatMember member = new ChatMember(ctx, name, new MessageRate(clock, RATE_LIMIT, RATE_WINDOW));
        synchronized (lock) {
            members.add(member);
            StringBuilder welcome = new StringBuilder(256 + history.size() * 96).append("{\"type\":\"welcome\",\"name\":");
            Json.quoteInto(welcome, name);
            welcome.append(",\"members\":").append(members.size()).append(",\"history\":[");
            String separator = "";
            for (String entry : history) {
                welcome.append(separator).append(entry);
                separator = ",";
            }
            member.send(utf8(welcome.append("]}").toString()));
            sendToOthers(member, membersJson());
        }
        return member;
    }

    /** Removes {@code member} and tells the others the new count; does nothing when it already left. */
    void leave(ChatMember member) {
        synchronized (lock) {
            if (members.remove(member)) {
                sendToOthers(member, membersJson());
            }
        }
    }

    /** Handles one text message from {@code member}: a JSON command, or a bare text to relay. */
    void receive(ChatMember member, String frameText) {
        Map<?, ?> command = command(frameText);
        if (command == null) {
            say(member, frameText);
            return;
        }
        Object type = command.get("type");
        if ("message".equals(type) && command.get("text") instanceof String text) {
            say(member, text);
        } else if ("name".equals(type) && command.get("name") instanceof String name) {
            rename(member, name);
        } else {
            refuse(member, UNKNOWN_TYPE);
        }
    }

    /** Relays {@code text} from {@code member} to everyone, or tells the member why not. */
    void say(ChatMember member, String text) {
        if (text.codePointCount(0, text.length()) > MAX_TEXT) {
            refuse(member, TOO_LONG);
            return;
        }
        if (text.isBlank()) {
            refuse(member, EMPTY);
            return;
        }
        if (!member.rate().tryAcquire()) {
            refuse(member, TOO_FAST);
            return;
        }
        Instant time = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        StringBuilder entry = new StringBuilder(text.length() + 80).append("{\"time\":\"").append(time).append("\",\"name\":");
        Json.quoteInto(entry, member.name());
        entry.append(",\"text\":");
        Json.quoteInto(entry, text);
        String historyEntry = entry.append('}').toString();
        byte[] message = utf8("{\"type\":\"message\"," + historyEntry.substring(1));
        synchronized (lock) {
            if (history.size() == HISTORY) {
                history.removeFirst();
            }
            history.addLast(historyEntry);
            for (ChatMember each : members) {
                each.send(message);
            }
        }
    }

    /** Sends {@code member} alone a refusal with {@code reason}; nothing is relayed. */
    void refuse(ChatMember member, String reason) {
        member.send(utf8("{\"type\":\"refused\",\"reason\":" + Json.quote(reason) + "}"));
    }

    /** Renames {@code member} (sanitised; an empty result keeps the old name) and tells it the name kept. */
    void rename(ChatMember member, String requested) {
        String name = DisplayNames.sanitize(requested);
        if (!name.isEmpty()) {
            member.rename(name);
        }
        member.send(utf8("{\"type\":\"name\",\"name\":" + Json.quote(member.name()) + "}"));
    }

    /** The messages kept, oldest first, as the JSON objects of the welcome's history. */
    List<String> history() {
        synchronized (lock) {
            return new ArrayList<>(history);
        }
    }

    /** Messages dropped for members now in the room because they were not reading. */
    long dropped() {
        synchronized (lock) {
            return members.stream().mapToLong(ChatMember::dropped).sum();
        }
    }

    /** The JSON object of a frame that is one, or null for a bare text. */
    private static Map<?, ?> command(String frameText) {
        String trimmed = frameText.strip();
        if (!trimmed.startsWith("{")) {
            return null;
        }
        try {
            return Json.parse(trimmed) instanceof Map<?, ?> object ? object : null;
        } catch (IllegalArgumentException notJson) {
            return null; // someone typed "{hi": a message like any other
        }
    }

    private byte[] membersJson() {
        return utf8("{\"type\":\"members\",\"members\":" + members.size() + "}");
    }

    private void sendToOthers(ChatMember except, byte[] frame) {
        for (ChatMember each : members) {
            if (each != except) {
                each.send(frame);
            }
        }
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
