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

    /**
     * A connection that got a 200. The server notices closes asynchronously, so connections closed by an earlier
     * test may still hold their slots for a moment: retry briefly on 503, as Retry-After invites.
     */
    private static RawHttp openAndUse() throws Exception {
        for (int attempt = 0; ; attempt++) {
            RawHttp http = new RawHttp(server.address());
            http.send(RawHttp.get("/hello.txt"));
            int status = http.read().status();
            if (status == 200) {
                return http;
            }
            http.close();
            assertEquals(503, status);
            if (attempt == 100) {
                throw new AssertionError("no slot freed within 2 s");
            }
            Thread.sleep(20);
        }
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
            // Both slots were taken; after the close a third connection is admitted (openAndUse asserts 200).
            openAndUse().close();
        }
    }
}
