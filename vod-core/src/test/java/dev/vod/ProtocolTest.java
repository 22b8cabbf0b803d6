package dev.vod;

import static dev.vod.testing.RawHttp.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.Fixtures;
import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP/1.x framing and connection behaviour, with exact bytes over raw sockets. */
class ProtocolTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b
            .idleTimeout(Duration.ofMillis(1500))
            .headerTimeout(Duration.ofMillis(1000)));

    private RawHttp.Response exchange(String raw) throws Exception {
        return RawHttp.exchange(server.address(), raw);
    }

    private void assertServerStillHealthy() throws Exception {
        assertEquals(200, exchange(get("/hello.txt")).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "BREW"})
    void otherMethodsGet405WithAllow(String method) throws Exception {
        RawHttp.Response r = exchange(method + " /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assertEquals(405, r.status());
        assertEquals("GET, HEAD", r.header("Allow"));
    }

    @Test
    void headHasTheHeadersOfGetAndNoBody() throws Exception {
        try (RawHttp http = new RawHttp(server.address())) {
            http.send("HEAD /data.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response head = http.read(true);
            // The next response on the same connection must start right after the head: no body bytes in between.
            http.send(get("/hello.txt"));
            RawHttp.Response next = http.read();
            assertEquals(200, head.status());
            assertEquals(String.valueOf(Fixtures.DATA_SIZE), head.header("Content-Length"));
            assertEquals("bytes", head.header("Accept-Ranges"));
            assertNotNull(head.header("ETag"));
            assertEquals(Fixtures.HELLO, next.bodyText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/3.0", "HTTP/1.2"})
    void otherVersionsGet505(String version) throws Exception {
        assertEquals(505, exchange("GET /hello.txt " + version + "\r\nHost: x\r\n\r\n").status());
    }

    @Test
    void anHttp2PrefaceGets505NotABadTarget() throws Exception {
        assertEquals(505, exchange("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").status());
    }

    @Test
    void optionsStarGets405() throws Exception {
        RawHttp.Response r = exchange("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(405, r.status());
        assertEquals("GET, HEAD", r.header("Allow"));
    }

    @Test
    void http10IsServedAndClosedByDefault() throws Exception {
        try (RawHttp http = new RawHttp(server.address())) {
            http.send("GET /hello.txt HTTP/1.0\r\n\r\n");
            RawHttp.Response r = http.read();
            assertEquals(200, r.status());
            assertTrue(r.statusLine().startsWith("HTTP/1.0 200"), r.statusLine());
            assertEquals(Fixtures.HELLO, r.bodyText());
            assertTrue(http.isClosedByServer());
        }
    }

    @Test
    void http10KeepAliveIsHonoured() throws Exception {
        try (RawHttp http = new RawHttp(server.address())) {
            http.send("GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawHttp.Response first = http.read();
            assertEquals("keep-alive", first.header("Connection"));
            http.send("GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals(200, http.read().status());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET /hello.txt FOO/1.1\r\nHost: x\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nNoColonHeader\r\n\r\n", "GET /hello.txt HTTP/1.1\r\n Host: x\r\n\r\n"})
    void malformedRequestsGet400AndTheServerStaysHealthy(String raw) throws Exception {
        assertEquals(400, exchange(raw).status());
        assertServerStillHealthy();
    }

    @Test
    void missingHostOnHttp11Gets400() throws Exception {
        assertEquals(400, exchange("GET /hello.txt HTTP/1.1\r\n\r\n").status());
    }

    @Test
    void duplicateHostGets400() throws Exception {
        assertEquals(400, exchange("GET /hello.txt HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").status());
    }

    @Test
    void tooLongRequestLineGets414() throws Exception {
        String target = "/" + "a".repeat(VodInitializer.MAX_REQUEST_LINE + 10);
        try (RawHttp http = new RawHttp(server.address())) {
            http.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(414, http.read().status());
            assertTrue(http.isClosedByServer());
        }
        assertServerStillHealthy();
    }

    @Test
    void tooLargeHeadersGet431() throws Exception {
        String big = "X-Big: " + "b".repeat(VodInitializer.MAX_HEADER_SIZE + 10) + "\r\n";
        assertEquals(431, exchange("GET /hello.txt HTTP/1.1\r\nHost: x\r\n" + big + "\r\n").status());
        assertServerStillHealthy();
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        try (RawHttp http = new RawHttp(server.address())) {
            for (int i = 0; i < 5; i++) {
                http.send(get("/hello.txt"));
                RawHttp.Response r = http.read();
                assertEquals(200, r.status());
                assertNull(r.header("Connection"));
                assertEquals(Fixtures.HELLO, r.bodyText());
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawHttp http = new RawHttp(server.address())) {
            http.send(get("/data.bin") + "GET /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=5-9\r\n\r\n"
                    + get("/missing") + get("/hello.txt"));
            RawHttp.Response first = http.read();
            RawHttp.Response second = http.read();
            RawHttp.Response third = http.read();
            RawHttp.Response fourth = http.read();
            assertEquals(200, first.status());
            assertEquals(Fixtures.DATA_SIZE, first.body().length);
            assertEquals(206, second.status());
            assertArrayEquals(Fixtures.dataBytes(5, 10), second.body());
            assertEquals(404, third.status());
            assertEquals(Fixtures.HELLO, fourth.bodyText());
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (RawHttp http = new RawHttp(server.address())) {
            http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawHttp.Response r = http.read();
            assertEquals("close", r.header("Connection"));
            assertTrue(http.isClosedByServer());
        }
    }

    @Test
    void aClientStillSendingAfterTheCloseIsNotReset() throws Exception {
        // RFC 9112 §9.6: the server closes its write side first and drops what the client still sends. A full close
        // would make the kernel answer those bytes with a reset, which can discard a response still in flight.
        try (RawHttp http = new RawHttp(server.address())) {
            http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals(Fixtures.HELLO, http.read().bodyText());
            assertTrue(http.isClosedByServer());
            for (int i = 0; i < 4; i++) {
                http.send(get("/hello.txt")); // throws (broken pipe) once the server has reset the connection
                Thread.sleep(150);
            }
        }
    }

    @Test
    void aHalfClosedConnectionIsClosedFullyOnceTheClientGoesQuiet() throws Exception {
        try (RawHttp http = new RawHttp(server.address())) {
            http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals(Fixtures.HELLO, http.read().bodyText());
            assertTrue(http.isClosedByServer());
            Thread.sleep(3_000); // the server lingers 2 s after the client's last byte
            assertThrows(IOException.class, () -> {
                for (int i = 0; i < 10; i++) {
                    http.send(get("/hello.txt"));
                    Thread.sleep(100);
                }
            }, "the connection is still open on the server 3 s after the close");
        }
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        try (RawHttp http = new RawHttp(server.address())) {
            http.send(get("/hello.txt"));
            assertEquals(200, http.read().status());
            // Socket timeout is 10 s; the server's idle timeout is 1.5 s, so EOF arrives first.
            assertTrue(http.isClosedByServer());
        }
    }

    @Test
    void slowRequestHeadersGet408() throws Exception {
        try (RawHttp http = new RawHttp(server.address())) {
            http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n");
            RawHttp.Response r = http.read();
            assertEquals(408, r.status());
            assertTrue(http.isClosedByServer());
        }
    }

    @Test
    void requestBodyOnGetIsDiscardedAndTheConnectionStaysUsable() throws Exception {
        try (RawHttp http = new RawHttp(server.address())) {
            http.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabcde" + get("/hello.txt"));
            assertEquals(200, http.read().status());
            assertEquals(Fixtures.HELLO, http.read().bodyText());
        }
    }

    @Test
    void absoluteFormTargetIsServed() throws Exception {
        RawHttp.Response r = exchange("GET http://localhost/hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertEquals(200, r.status());
        assertEquals(Fixtures.HELLO, r.bodyText());
    }

    @Test
    void everyResponseHasADateHeader() throws Exception {
        assertNotNull(exchange(get("/hello.txt")).header("Date"));
        assertNotNull(exchange(get("/missing")).header("Date"));
        assertNotNull(exchange("DELETE /x HTTP/1.1\r\nHost: x\r\n\r\n").header("Date"));
    }
}
