package dev.vod;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.ServerExtension;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MP4 time seeking and virtual faststart as HTTP clients see them: a virtual file like any other. */
class Mp4SeekHttpTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.mp4Faststart(true));

    private static byte[] get(String path) {
        return given().port(server.port()).get(path).then().statusCode(200).extract().asByteArray();
    }

    @Test
    void seekOutputIsASmallerMp4WithItsOwnEtagAndExactLength() {
        Response r = given().port(server.port()).get("/sample.mp4?start=6");
        r.then().statusCode(200).header("Content-Type", "video/mp4").header("Accept-Ranges", "bytes");
        byte[] body = r.asByteArray();
        assertEquals(String.valueOf(body.length), r.header("Content-Length"));
        assertTrue(body.length < server.size("sample.mp4") * 3 / 4, "length " + body.length);
        assertEquals("ftyp", new String(body, 4, 4));
        String plainEtag = given().port(server.port()).get("/sample.mp4").header("ETag");
        assertNotEquals(plainEtag, r.header("ETag"));
    }

    @Test
    void rangesOfTheSeekOutputAreSlicesOfTheSameBytes() {
        byte[] whole = get("/sample.mp4?start=4&end=8");
        Response part = given().port(server.port()).header("Range", "bytes=1000-200999").get("/sample.mp4?start=4&end=8");
        part.then().statusCode(206).header("Content-Range", "bytes 1000-200999/" + whole.length);
        assertArrayEquals(Arrays.copyOfRange(whole, 1000, 201000), part.asByteArray());
    }

    @Test
    void headOfTheSeekOutputHasTheGetHeaders() {
        byte[] whole = get("/sample.mp4?start=2");
        given().port(server.port()).head("/sample.mp4?start=2").then().statusCode(200)
                .header("Content-Length", String.valueOf(whole.length));
    }

    @Test
    void ifRangeWithTheSeekEtagAllowsPartialAndAnotherGivesTheWhole() {
        String etag = given().port(server.port()).get("/sample.mp4?start=6").header("ETag");
        given().port(server.port()).header("Range", "bytes=0-99").header("If-Range", etag).get("/sample.mp4?start=6")
                .then().statusCode(206);
        String plainEtag = given().port(server.port()).get("/sample.mp4").header("ETag");
        given().port(server.port()).header("Range", "bytes=0-99").header("If-Range", plainEtag)
                .get("/sample.mp4?start=6").then().statusCode(200);
    }

    @Test
    void ifNoneMatchWithTheSeekEtagGives304() {
        String etag = given().port(server.port()).get("/sample.mp4?start=6").header("ETag");
        given().port(server.port()).header("If-None-Match", etag).get("/sample.mp4?start=6").then().statusCode(304);
    }

    @Test
    void badStartIs400WithAMessage() {
        given().port(server.port()).get("/sample.mp4?start=abc").then().statusCode(400)
                .body(containsString("start"));
        given().port(server.port()).get("/sample.mp4?start=-1").then().statusCode(400);
    }

    @Test
    void startPastTheEndIs416() {
        given().port(server.port()).get("/sample.mp4?start=500").then().statusCode(416);
    }

    @Test
    void nonMp4FilesIgnoreStart() {
        given().port(server.port()).get("/sample.webm?start=3").then().statusCode(200)
                .header("Content-Length", String.valueOf(server.size("sample.webm")));
    }

    @Test
    void fragmentedInputSeeksToAFragment() {
        byte[] out = get("/sample-fragmented.mp4?start=5");
        assertTrue(out.length < server.size("sample-fragmented.mp4"));
        assertEquals("ftyp", new String(out, 4, 4));
    }

    @Test
    void moovAtEndIsServedAsVirtualFaststartWithTheMoovFirst() {
        Response r = given().port(server.port()).get("/sample-moov-at-end.mp4");
        byte[] body = r.asByteArray();
        assertEquals("ftyp", new String(body, 4, 4));
        int ftypSize = ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
        assertEquals("moov", new String(body, ftypSize + 4, 4));
        r.then().header("ETag", containsString("-fs"));
        // and ranges address the virtual layout
        given().port(server.port()).header("Range", "bytes=" + ftypSize + "-" + (ftypSize + 7))
                .get("/sample-moov-at-end.mp4").then().statusCode(206);
    }

    @Test
    void faststartFilesAreServedAsTheyAre() {
        given().port(server.port()).get("/sample.mp4").then().header("ETag", org.hamcrest.Matchers.not(containsString("-fs")))
                .header("Content-Range", nullValue());
    }

    @Test
    void ffmpegDecodesTheSeekOutputStraightFromTheServer() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "ffmpeg not installed");
        for (String target : new String[] {"/sample.mp4?start=6", "/sample-moov-at-end.mp4?start=3.5&end=9",
            "/sample.mp4?start=5&exact=1", "/sample-fragmented.mp4?start=5"}) {
            Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-i", server.url(target), "-f", "null", "-")
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), target + ": " + output);
            assertEquals("", output.trim(), target);
        }
    }

    @Test
    void seekingCanBeTurnedOff() {
        // covered with a second server: mp4Seek(false) serves the plain file
        try (VodServer off = VodServer.builder().root(server.root()).host("127.0.0.1").port(0).mp4Seek(false)
                .shutdownGrace(java.time.Duration.ZERO).buildServer()) {
            int port = off.start().getPort();
            given().port(port).get("/sample.mp4?start=6").then().statusCode(200)
                    .header("Content-Length", equalTo(String.valueOf(server.size("sample.mp4"))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
