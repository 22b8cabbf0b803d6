package dev.vod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.RawHttp;
import dev.vod.testing.S3Fixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several nodes reading one bucket are interchangeable: the same validators and bytes for an object, a download
 * resumed on another node, a restart that keeps the slice cache, a changed object noticed within the revalidation
 * interval, and the cache's meters.
 */
class StoreNodesTest {
    private static final int SIZE = 3 << 20;

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();
    static byte[] film;

    @TempDir
    Path temp;
    private final List<VodServer> nodes = new ArrayList<>();

    @BeforeAll
    static void objects() {
        film = new byte[SIZE];
        new Random(7).nextBytes(film);
        s3.put("lib/film.bin", film);
    }

    @AfterEach
    void stop() {
        nodes.forEach(VodServer::close);
    }

    private InetSocketAddress node(String cacheDir, Duration revalidate) throws IOException {
        VodServer server = VodConfig.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ZERO)
                .source(SourceSettings.of(ContentSource.s3(s3.settings("lib/")),
                        SliceCacheSettings.in(temp.resolve(cacheDir)).withRevalidate(revalidate)))
                .statusPath("/status").metricsPath("/metrics")
                .buildServer();
        nodes.add(server);
        return server.start();
    }

    @Test
    void twoNodesGiveTheSameValidatorsAndBytesAndResumeAcrossEachOther() throws IOException {
        InetSocketAddress a = node("a", Duration.ofSeconds(5));
        InetSocketAddress b = node("b", Duration.ofSeconds(5));
        RawHttp.Response fromA = RawHttp.exchange(a, RawHttp.get("/film.bin"));
        RawHttp.Response fromB = RawHttp.exchange(b, RawHttp.get("/film.bin"));
        assertEquals(fromA.header("ETag"), fromB.header("ETag"));
        assertEquals(fromA.header("Last-Modified"), fromB.header("Last-Modified"));
        assertArrayEquals(film, fromA.body());
        assertArrayEquals(film, fromB.body());

        // The first megabyte from A, the rest from B with If-Range: one file.
        RawHttp.Response rest = RawHttp.exchange(b, "GET /film.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=1048576-\r\n"
                + "If-Range: " + fromA.header("ETag") + "\r\nConnection: close\r\n\r\n");
        assertEquals(206, rest.status());
        assertArrayEquals(Arrays.copyOfRange(film, 1 << 20, SIZE), rest.body());
    }

    @Test
    void aRestartedNodeServesItsCacheWithoutAskingTheStoreForBytes() throws IOException {
        InetSocketAddress first = node("kept", Duration.ofSeconds(5));
        assertArrayEquals(film, RawHttp.exchange(first, RawHttp.get("/film.bin")).body());
        assertTrue(number(status(first), "originBytes") >= SIZE);
        nodes.remove(0).close();

        InetSocketAddress second = node("kept", Duration.ofSeconds(5));
        assertArrayEquals(film, RawHttp.exchange(second, RawHttp.get("/film.bin")).body());
        String status = status(second);
        assertEquals(0, number(status, "originBytes"), status);
        assertEquals(0, number(status, "misses"), status);
        assertTrue(number(status, "hits") >= 3, status);
    }

    @Test
    void twoServersCannotShareOneCacheFolder() throws IOException {
        node("shared", Duration.ofSeconds(5));
        java.io.UncheckedIOException refused = org.junit.jupiter.api.Assertions.assertThrows(
                java.io.UncheckedIOException.class, () -> node("shared", Duration.ofSeconds(5)));
        assertTrue(refused.getMessage().contains("in use by another vod server"), refused.getMessage());
    }

    @Test
    void aChangedObjectIsNoticedWithinTheRevalidationIntervalAndNeverMixed() throws Exception {
        InetSocketAddress node = node("changing", Duration.ofSeconds(1));
        s3.put("lib/changing.txt", "first version\n".getBytes());
        RawHttp.Response before = RawHttp.exchange(node, RawHttp.get("/changing.txt"));
        assertEquals("first version\n", before.bodyText());
        s3.put("lib/changing.txt", "second version, longer\n".getBytes());
        RawHttp.Response after = before;
        for (int i = 0; i < 100 && after.header("ETag").equals(before.header("ETag")); i++) {
            Thread.sleep(50);
            after = RawHttp.exchange(node, RawHttp.get("/changing.txt"));
            // Until the node notices, it answers the old version whole, under its own validators.
            if (after.header("ETag").equals(before.header("ETag"))) {
                assertEquals("first version\n", after.bodyText());
            }
        }
        assertNotEquals(before.header("ETag"), after.header("ETag"), "noticed within 5 s at a 1 s interval");
        assertEquals("second version, longer\n", after.bodyText());
    }

    @Test
    void theCacheAndTheStoreHaveMeters() throws IOException {
        InetSocketAddress node = node("metered", Duration.ofSeconds(5));
        RawHttp.exchange(node, RawHttp.get("/film.bin"));
        RawHttp.exchange(node, RawHttp.get("/film.bin"));
        String metrics = RawHttp.exchange(node, RawHttp.get("/metrics")).bodyText();
        for (String meter : List.of("vod_cache_hits_total", "vod_cache_misses_total", "vod_cache_used_bytes",
                "vod_origin_bytes_total", "vod_origin_fetches_total", "vod_origin_errors_total",
                "vod_origin_seconds_total")) {
            assertTrue(metrics.contains(meter), meter + " in\n" + metrics);
        }
        String status = status(node);
        assertEquals(3, number(status, "misses"), "three 1 MiB slices fetched once: " + status);
        assertEquals(3, number(status, "hits"), "and read from disk the second time: " + status);
    }

    private static String status(InetSocketAddress node) throws IOException {
        return RawHttp.exchange(node, RawHttp.get("/status")).bodyText();
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
