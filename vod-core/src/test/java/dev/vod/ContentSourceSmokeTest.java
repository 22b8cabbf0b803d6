package dev.vod;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.Fixtures;
import dev.vod.testing.FolderSource;
import dev.vod.testing.GatedSource;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content-store path end to end over a folder read as a store: bytes, ranges, seeks, packaging, listing. */
class ContentSourceSmokeTest {
    @TempDir
    static Path temp;
    static Path root;
    static FolderSource source;
    static VodServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        root = Fixtures.create(Files.createDirectories(temp.resolve("root")));
        source = new FolderSource(root);
        server = VodConfig.builder().host("127.0.0.1").port(0).shutdownGrace(java.time.Duration.ZERO)
                .source(SourceSettings.of(source, SliceCacheSettings.in(temp.resolve("cache"))
                        .withSliceBytes(64 * 1024)).withHealthPath("/healthz"))
                .buildServer();
        port = server.start().getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void wholeFileAndRangesAreTheFilesBytes() throws Exception {
        byte[] expected = Files.readAllBytes(root.resolve("data.bin"));
        Response whole = given().port(port).get("/data.bin");
        whole.then().statusCode(200);
        assertArrayEquals(expected, whole.asByteArray());
        Response range = given().port(port).header("Range", "bytes=65530-65545").get("/data.bin");
        range.then().statusCode(206);
        assertArrayEquals(Arrays.copyOfRange(expected, 65530, 65546), range.asByteArray());
    }

    @Test
    void aColdVirtualFileOfManySmallSlicesComesInOrder() throws Exception {
        // Its body interleaves generated boxes with small file slices whose bytes arrive from the store while it
        // is sent: each must go out in its place, not when its bytes happen to arrive.
        Fixtures.createTitles(root);
        VodServer local = VodConfig.builder().root(root).host("127.0.0.1").port(0).buildServer();
        try {
            int localPort = local.start().getPort();
            String path = "/sample-title/240p.mp4/fragmented.mp4";
            byte[] expected = given().port(localPort).get(path).asByteArray();
            assertArrayEquals(expected, given().port(port).get(path).asByteArray(), "cold");
            assertArrayEquals(expected, given().port(port).get(path).asByteArray(), "warm");
        } finally {
            local.close();
        }
    }

    @Test
    void aResponseStreamsWhileItsSliceIsStillArriving() throws Exception {
        byte[] object = new byte[1 << 20];
        new java.util.Random(3).nextBytes(object);
        Files.write(root.resolve("gated.bin"), object);
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        ContentSource gated = new GatedSource(new FolderSource(root), 200_000, gate);
        VodServer slow = VodConfig.builder().host("127.0.0.1").port(0).shutdownGrace(java.time.Duration.ZERO)
                .source(SourceSettings.of(gated, SliceCacheSettings.in(temp.resolve("gated-cache"))))
                .buildServer();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", slow.start().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /gated.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            // The store has given 200,000 bytes of the 1 MiB slice and waits: the client already has most of them.
            byte[] first = socket.getInputStream().readNBytes(150_000);
            assertEquals(150_000, first.length);
            gate.countDown();
        } finally {
            gate.countDown();
            slow.close();
        }
    }

    @Test
    void indexPageListsTheRoot() {
        String html = given().port(port).get("/").then().statusCode(200).extract().asString();
        assertTrue(html.contains("data.bin"), html);
    }

    @Test
    void healthIsOk() {
        given().port(port).get("/healthz").then().statusCode(200);
    }

    @Test
    void mp4SeekAndHlsWork() {
        for (String name : new String[] {"sample.mp4"}) {
            if (!Files.exists(root.resolve(name))) {
                return;
            }
        }
        given().port(port).get("/sample.mp4?start=2").then().statusCode(200);
        String playlist = given().port(port).get("/sample.mp4/index.m3u8").then().statusCode(200).extract()
                .asString();
        assertTrue(playlist.contains("#EXTINF"), playlist);
        byte[] seg = given().port(port).get("/sample.mp4/seg-1.m4s").then().statusCode(200).extract().asByteArray();
        assertTrue(seg.length > 1000);
        assertEquals(404, given().port(port).get("/missing.mp4").statusCode());
        assertEquals(403, given().port(port).get("/confidential/x").statusCode());
    }
}
