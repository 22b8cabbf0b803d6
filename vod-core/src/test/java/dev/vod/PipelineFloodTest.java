package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.Fixtures;
import dev.vod.testing.LeakCounter;
import dev.vod.testing.Memory;
import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pipelining at scale. A hundred requests sent at once are all answered, in order. A flood of 150,000 requests
 * (6 MB) sent without reading any answer must be throttled, not buffered: the server stops reading (vod queues
 * 16 requests, Netty's codec refuses more than 128 unanswered ones, the kernel's buffers hold the rest), its
 * memory stays flat, and what it does answer is a correct, in-order prefix of complete answers before it closes
 * the connection — in stages, so the requests we are still sending cannot make its kernel reset the connection
 * and discard answers in flight.
 */
@Tag("hardening")
class PipelineFloodTest {
    private static final int FLOOD = 150_000;
    private static final byte[] REQUEST = RawHttp.get("/hello.txt").getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void aHundredPipelinedRequestsAreAllAnsweredInOrder() throws Exception {
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            requests.append("GET /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=").append(i * 10).append('-')
                    .append(i * 10 + 9).append("\r\n\r\n");
        }
        try (RawHttp http = new RawHttp(server.address())) {
            http.send(requests.toString());
            for (int i = 0; i < 100; i++) {
                RawHttp.Response r = http.read();
                assertEquals("bytes " + (i * 10) + "-" + (i * 10 + 9) + "/" + Fixtures.DATA_SIZE,
                        r.header("Content-Range"), "answer " + i);
            }
        }
    }

    @Test
    void aPipelineFloodIsThrottledNotBuffered() throws Exception {
        int leaksBefore = LeakCounter.leaksAfterGc();
        long before = Memory.usedAfterGc();
        long answers = 0;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> flood(socket, sent));
            long last = -1;
            while (sent.get() != last && !writer.isDone()) {
                last = sent.get(); // until the writer is blocked: the server has stopped reading
                Thread.sleep(500);
            }
            assertTrue(sent.get() < FLOOD, "the server took all " + FLOOD + " requests without being read");
            long during = Memory.usedAfterGc();
            assertTrue(during - before < 32L * 1024 * 1024, "memory grew by " + (during - before) / 1024
                    + " KiB while holding back " + sent.get() + " pipelined requests");
            answers = readAnswersUntilClosed(socket.getInputStream());
        }
        assertTrue(answers >= 1, "not even the first request was answered");
        assertEquals(leaksBefore, LeakCounter.leaksAfterGc(), "Netty leak reports: " + LeakCounter.reports());
        assertEquals(Fixtures.HELLO, RawHttp.exchange(server.address(), RawHttp.get("/hello.txt")).bodyText());
    }

    private static void flood(Socket socket, AtomicLong sent) {
        byte[] batch = new byte[REQUEST.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(REQUEST, 0, batch, i * REQUEST.length, REQUEST.length);
        }
        try {
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < FLOOD / 1000; i++) {
                out.write(batch);
                sent.addAndGet(1000);
            }
        } catch (Exception closedByServer) {
            // expected once the server gives up on the connection
        }
    }

    /** Reads answers until the server closes (or all are in); each must be a complete 200 with the file. */
    private static long readAnswersUntilClosed(InputStream in) throws Exception {
        byte[] buffer = new byte[64 * 1024];
        String answer = "HTTP/1.1 200 OK\r\n";
        long answers = 0;
        String carry = "";
        while (answers < FLOOD) {
            // A reset (SocketException) fails the test: it would have discarded answers still in flight to us.
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            String text = carry + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
            int from = 0;
            int end;
            while (text.startsWith(answer, from) && (end = text.indexOf(Fixtures.HELLO, from)) >= 0) {
                answers++;
                from = end + Fixtures.HELLO.length();
            }
            carry = text.substring(from);
            assertTrue(carry.length() < 4096 && answer.startsWith(carry.substring(0, Math.min(carry.length(),
                    answer.length()))), "not a 200 answer after " + answers + ": " + carry);
        }
        assertTrue(carry.isEmpty(), "an answer was cut off by the close after " + answers + " complete ones: "
                + carry);
        return answers;
    }
}
