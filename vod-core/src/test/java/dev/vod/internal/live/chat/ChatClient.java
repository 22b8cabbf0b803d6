package dev.vod.internal.live.chat;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket client that keeps what it receives: JSON messages in order, pongs, and how it was closed. */
final class ChatClient implements WebSocket.Listener, AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();
    /** The close code the server sent, or -1 when the connection failed without one. */
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    final WebSocket socket;

    private ChatClient(URI uri) {
        this.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, this).join();
    }

    static ChatClient connect(URI uri) {
        return new ChatClient(uri);
    }

    /** Connects and returns once the welcome has arrived, which it returns too. */
    static ChatClient join(URI uri, List<Map<String, Object>> welcome) throws InterruptedException {
        ChatClient client = new ChatClient(uri);
        Map<String, Object> first = client.next();
        if (!"welcome".equals(first.get("type"))) {
            throw new AssertionError("expected a welcome, got " + first);
        }
        welcome.add(first);
        return client;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void say(String text) {
        send("{\"type\":\"message\",\"text\":" + Json.quote(text) + "}");
    }

    /** The next JSON message, failing after 5 seconds. */
    Map<String, Object> next() throws InterruptedException {
        String text = texts.poll(5, TimeUnit.SECONDS);
        assertNotNull(text, "no message within 5 s");
        return object(text);
    }

    /** The next message of {@code type}, skipping others (e.g. member counts), failing after 5 seconds. */
    Map<String, Object> next(String type) throws InterruptedException {
        while (true) {
            Map<String, Object> message = next();
            if (type.equals(message.get("type"))) {
                return message;
            }
        }
    }

    /** Every message that arrives within {@code millis}. */
    List<Map<String, Object>> drain(long millis) throws InterruptedException {
        List<Map<String, Object>> all = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            String text = texts.poll(left, TimeUnit.NANOSECONDS);
            if (text != null) {
                all.add(object(text));
            }
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String json) {
        return (Map<String, Object>) Json.parse(json);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            texts.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        pongs.add(message);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
