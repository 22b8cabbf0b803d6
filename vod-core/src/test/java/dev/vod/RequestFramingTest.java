package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.Fixtures;
import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request smuggling and broken framing: a request whose length is ambiguous is refused (400) and the connection
 * closed; a request whose body cannot be decoded is answered and then the connection closed, since nothing after
 * it can be told apart from the body. In no case is a byte the client sent as body answered as a request, and no
 * connection is left open and silent.
 */
@Tag("hardening")
class RequestFramingTest {
    /** Sent after each case: if it is ever answered, the server took body bytes for a request. */
    private static final String SMUGGLED = "GET /confidential/secret.txt HTTP/1.1\r\nHost: x\r\n\r\n";

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @ParameterizedTest
    @ValueSource(strings = {
        "Content-Length: 5\r\nTransfer-Encoding: chunked",
        "Transfer-Encoding: chunked\r\nContent-Length: 5",
        "Content-Length: 5\r\nContent-Length: 6",
        "Content-Length: 5, 6",
        "Content-Length: -1",
        "Content-Length: 99999999999999999999",
        "Content-Length: +5",
        "Transfer-Encoding: chunked, identity",
        "Transfer-Encoding: xchunked",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity",
        "Transfer-Encoding : chunked",
        "Content-Length : 5",
        "X-Nul: a\0b"})
    void ambiguousLengthIsRefusedAndTheConnectionClosed(String headers) throws Exception {
        List<RawHttp.Response> answers = exchange("GET /hello.txt HTTP/1.1\r\nHost: x\r\n" + headers
                + "\r\n\r\n0\r\n\r\n" + SMUGGLED);
        assertEquals(1, answers.size(), "answers: " + statuses(answers));
        assertEquals(400, answers.get(0).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "zz\r\n\r\n",
        "fffffffffffffffffffff\r\nab\r\n0\r\n\r\n",
        "5\r\nabcdefgh\r\n0\r\n\r\n",
        "5;ext=\"unterminated\r\nabcde\r\n0\r\n\r\n",
        "0\r\nX-Trailer: a\0b\r\n\r\n",
        "-1\r\n\r\n"})
    void undecodableBodyEndsTheConnectionAfterTheAnswer(String chunkedBody) throws Exception {
        List<RawHttp.Response> answers = exchange("GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
                + "\r\n\r\n" + chunkedBody + SMUGGLED);
        assertTrue(answers.size() <= 1, "answers: " + statuses(answers));
        if (answers.size() == 1) {
            assertTrue(answers.get(0).status() == 200 || answers.get(0).status() == 400, statuses(answers));
        }
    }

    @Test
    void aBodyThatLooksLikeARequestIsNotAnswered() throws Exception {
        try (RawHttp http = new RawHttp(server.address())) {
            http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: " + SMUGGLED.length() + "\r\n\r\n"
                    + SMUGGLED + RawHttp.get("/data.bin"));
            assertEquals(Fixtures.HELLO, http.read().bodyText());
            assertEquals(Fixtures.DATA_SIZE, http.read().body().length, "the next real request comes next");
        }
    }

    @Test
    void aValidChunkedBodyIsSkippedAndTheNextRequestAnswered() throws Exception {
        try (RawHttp http = new RawHttp(server.address())) {
            http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nabcde\r\n0\r\n\r\n" + RawHttp.get("/data.bin"));
            assertEquals(Fixtures.HELLO, http.read().bodyText());
            assertEquals(Fixtures.DATA_SIZE, http.read().body().length);
        }
    }

    /** Sends {@code raw} and reads answers until the server closes; fails if it leaves the connection open. */
    private static List<RawHttp.Response> exchange(String raw) throws Exception {
        List<RawHttp.Response> answers = new ArrayList<>();
        try (RawHttp http = new RawHttp(server.address())) {
            http.socket().setSoTimeout(5000);
            http.send(raw);
            while (true) {
                try {
                    answers.add(http.read());
                } catch (SocketTimeoutException open) {
                    throw new AssertionError("connection left open after " + statuses(answers));
                } catch (IOException closed) {
                    return answers;
                }
            }
        }
    }

    private static String statuses(List<RawHttp.Response> answers) {
        return answers.stream().map(r -> r.statusLine() + " " + r.bodyText().strip()).toList().toString();
    }
}
