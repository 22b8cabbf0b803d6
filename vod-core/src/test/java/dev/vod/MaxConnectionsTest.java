package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code max-connections}: one connection too many gets 503 and is closed; a freed slot is reusable. */
class MaxConnectionsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.maxConnections(2));

    private static RawHttp openAndUse() throws Exception {
        RawHttp http = new RawHttp(server.address());
        http.send(RawHttp.get("/hello.txt"));
        assertEquals(200, http.read().status());
        return http;
    }

    @Test
    void connectionOverTheLimitGets503AndIsClosed() throws Exception {
        try (RawHttp first = openAndUse(); RawHttp second = openAndUse(); RawHttp third = new RawHttp(
                server.address())) {
            third.send(RawHttp.get("/hello.txt"));
            RawHttp.Response busy = third.read();
            assertEquals(503, busy.status());
            assertEquals("1", busy.header("Retry-After"));
            assertEquals("close", busy.header("Connection"));
            assertTrue(third.isClosedByServer());
            first.send(RawHttp.get("/hello.txt"));
            assertEquals(200, first.read().status(), "admitted connections keep working");
        }
    }

    @Test
    void aClosedConnectionFreesItsSlot() throws Exception {
        try (RawHttp first = openAndUse()) {
            RawHttp second = openAndUse();
            second.close();
            int status = 0;
            for (int attempt = 0; attempt < 100 && status != 200; attempt++) {
                // The server notices the close asynchronously; retry briefly, as Retry-After invites.
                status = RawHttp.exchange(server.address(), RawHttp.get("/hello.txt")).status();
                if (status != 200) {
                    Thread.sleep(20);
                }
            }
            assertEquals(200, status);
        }
    }
}
