package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vod.testing.Fixtures;
import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A standalone server with a mount path ({@code --mount /videos/}): with no application behind vod, a request
 * outside the mount must still be answered (404) rather than left waiting for the idle timeout.
 */
class MountedServerTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.mountPath("/videos/"));

    @Test
    void filesAreServedUnderTheMount() throws Exception {
        assertEquals(Fixtures.HELLO, RawHttp.exchange(server.address(), RawHttp.get("/videos/hello.txt")).bodyText());
    }

    @Test
    void aRequestOutsideTheMountIs404() throws Exception {
        RawHttp.Response r = RawHttp.exchange(server.address(), RawHttp.get("/hello.txt"));
        assertEquals(404, r.status());
    }

    @Test
    void aHeadOutsideTheMountIs404WithoutBody() throws Exception {
        RawHttp.Response r = RawHttp.exchange(server.address(), "HEAD /other HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(404, r.status());
    }

    @Test
    void aRequestWithABodyOutsideTheMountIs404AndTheConnectionGoesOn() throws Exception {
        try (RawHttp http = new RawHttp(server.address())) {
            http.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    + RawHttp.get("/videos/hello.txt"));
            assertEquals(404, http.read().status());
            assertEquals(Fixtures.HELLO, http.read().bodyText());
        }
    }

    @Test
    void pipelinedRequestsInsideAndOutsideAreAnsweredInOrder() throws Exception {
        try (RawHttp http = new RawHttp(server.address())) {
            http.send(RawHttp.get("/videos/data.bin") + RawHttp.get("/elsewhere") + RawHttp.get("/videos/hello.txt"));
            assertEquals(Fixtures.DATA_SIZE, http.read().body().length);
            assertEquals(404, http.read().status());
            assertEquals(Fixtures.HELLO, http.read().bodyText());
        }
    }
}
