package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.Fixtures;
import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slowloris: 1,000 connections at all times, each trickling one byte of request headers per second, and a new
 * one opened for each the server cuts off, for 6 seconds. Meanwhile ordinary requests must still be answered
 * promptly, and every slow connection must be ended by the header timeout (2 s here) with a 408 or a close —
 * never answered as if its headers had completed, never left open.
 */
@Tag("hardening")
class SlowlorisTest {
    private static final int SLOW_CONNECTIONS = 1_000;
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration ATTACK = Duration.ofSeconds(6);
    private static final int NORMAL_REQUESTS = 10;
    /** Headers that never end in time: one more byte every second. */
    private static final byte[] SLOW_REQUEST = ("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
            + "a".repeat(200)).getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.headerTimeout(HEADER_TIMEOUT));

    /** How one slow connection ended. */
    private enum End { TIMEOUT_408, EOF, RESET, OTHER_RESPONSE }

    private final InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
    private final List<Slow> open = new ArrayList<>();
    private final Map<End, Integer> ends = new EnumMap<>(End.class);

    @Test
    void slowHeadersAreCutOffWhileNormalRequestsAreServed() throws Exception {
        try (Selector selector = Selector.open()) {
            while (open.size() < SLOW_CONNECTIONS) {
                open(selector);
            }
            CompletableFuture<List<Long>> normal = CompletableFuture.supplyAsync(SlowlorisTest::normalRequests);
            long attackEnd = System.nanoTime() + ATTACK.toNanos();
            long giveUp = attackEnd + HEADER_TIMEOUT.toNanos() + Duration.ofSeconds(10).toNanos();
            while (!open.isEmpty() && System.nanoTime() < giveUp) {
                for (Slow s : open) {
                    s.sendNextByte();
                }
                readUntil(selector, System.nanoTime() + Duration.ofSeconds(1).toNanos());
                boolean attacking = System.nanoTime() < attackEnd;
                open.removeIf(s -> {
                    if (s.end == null) {
                        return false;
                    }
                    ends.merge(s.end, 1, Integer::sum);
                    return true;
                });
                while (attacking && open.size() < SLOW_CONNECTIONS) {
                    open(selector);
                }
            }
            List<Long> normalMillis = normal.join();

            assertEquals(List.of(), open.stream().map(s -> s.received.toString()).toList(),
                    "slow connections still open well after the header timeout; ended so far: " + ends);
            assertEquals(0, ends.getOrDefault(End.OTHER_RESPONSE, 0), "answered as if complete: " + ends);
            int total = ends.values().stream().mapToInt(Integer::intValue).sum();
            assertTrue(total >= 2 * SLOW_CONNECTIONS, "the attack should have cycled connections: " + ends);
            assertTrue(ends.getOrDefault(End.TIMEOUT_408, 0) > total / 2, "most should see the 408: " + ends);
            assertEquals(NORMAL_REQUESTS, normalMillis.size());
            for (long millis : normalMillis) {
                assertTrue(millis < 1000, "a normal request took " + millis + " ms among the slow ones: "
                        + normalMillis);
            }
        } finally {
            for (Slow s : open) {
                s.channel.close();
            }
        }
        assertEquals(Fixtures.HELLO, RawHttp.exchange(server.address(), RawHttp.get("/hello.txt")).bodyText());
    }

    private void open(Selector selector) throws IOException {
        SocketChannel ch = SocketChannel.open(address);
        ch.configureBlocking(false);
        Slow s = new Slow(ch);
        ch.register(selector, SelectionKey.OP_READ, s);
        s.sendNextByte();
        open.add(s);
    }

    /** Ordinary requests, evenly spread over the attack, each on a new connection; their durations. */
    private static List<Long> normalRequests() {
        List<Long> millis = new ArrayList<>();
        try {
            for (int i = 0; i < NORMAL_REQUESTS; i++) {
                Thread.sleep(ATTACK.toMillis() / NORMAL_REQUESTS);
                long t0 = System.nanoTime();
                RawHttp.Response r = RawHttp.exchange(server.address(), RawHttp.get("/hello.txt"));
                millis.add((System.nanoTime() - t0) / 1_000_000);
                assertEquals(200, r.status());
                assertEquals(Fixtures.HELLO, r.bodyText());
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("normal request failed during the attack", e);
        }
        return millis;
    }

    /** Reads whatever the server sends to slow connections until {@code untilNanos}; notes how they end. */
    private static void readUntil(Selector selector, long untilNanos) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        long left;
        while ((left = untilNanos - System.nanoTime()) > 0) {
            if (selector.select(Math.max(1, left / 1_000_000)) == 0) {
                continue;
            }
            for (SelectionKey key : selector.selectedKeys()) {
                Slow s = (Slow) key.attachment();
                buffer.clear();
                int n;
                try {
                    n = s.channel.read(buffer);
                } catch (IOException reset) {
                    n = -2;
                }
                if (n > 0) {
                    s.received.append(new String(buffer.array(), 0, n, StandardCharsets.ISO_8859_1));
                    continue;
                }
                String got = s.received.toString();
                s.end = got.startsWith("HTTP/1.1 408 ") ? End.TIMEOUT_408 : !got.isEmpty() ? End.OTHER_RESPONSE
                        : n == -2 ? End.RESET : End.EOF;
                key.cancel();
                s.channel.close();
            }
            selector.selectedKeys().clear();
        }
    }

    /** One slow client. */
    private static final class Slow {
        final SocketChannel channel;
        final StringBuilder received = new StringBuilder();
        int sent;
        End end;

        Slow(SocketChannel channel) {
            this.channel = channel;
        }

        void sendNextByte() throws IOException {
            if (end != null || sent >= SLOW_REQUEST.length) {
                return;
            }
            try {
                channel.write(ByteBuffer.wrap(SLOW_REQUEST, sent++, 1));
            } catch (IOException reset) {
                end = End.RESET;
                channel.close();
            }
        }
    }
}
