package dev.vod;

import static dev.vod.testing.Fixtures.DATA_SIZE;
import static dev.vod.testing.Fixtures.dataBytes;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.vod.testing.ServerExtension;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The seed's per-response cap: no body larger than {@code maxChunk} bytes. */
class MaxChunkTest {
    private static final int CAP = 4096;

    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.maxChunk(CAP));

    @Test
    void plainGetOfALargerFileGetsTheFirstChunkAs206() {
        Response r = given().port(server.port()).get("/data.bin");
        r.then().statusCode(206).header("Content-Range", "bytes 0-4095/" + DATA_SIZE)
                .header("Content-Length", String.valueOf(CAP));
        assertArrayEquals(dataBytes(0, CAP), r.asByteArray());
    }

    @Test
    void aRangeIsCappedToTheChunkSize() {
        Response r = given().port(server.port()).header("Range", "bytes=50000-").get("/data.bin");
        r.then().statusCode(206).header("Content-Range", "bytes 50000-54095/" + DATA_SIZE);
        assertArrayEquals(dataBytes(50000, 50000 + CAP), r.asByteArray());
    }

    @Test
    void aSmallFileIsServedWhole() {
        given().port(server.port()).get("/hello.txt").then().statusCode(200).header("Content-Length", "11");
    }

    @Test
    void multipleRangesBecomeTheFirstRangeCapped() {
        Response r = given().port(server.port()).header("Range", "bytes=0-9999,20000-29999").get("/data.bin");
        r.then().statusCode(206).header("Content-Range", "bytes 0-4095/" + DATA_SIZE);
        assertArrayEquals(dataBytes(0, CAP), r.asByteArray());
    }

    @Test
    void aClientCanFetchTheWholeFileChunkByChunk() {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        while (all.size() < DATA_SIZE) {
            all.writeBytes(given().port(server.port()).header("Range", "bytes=" + all.size() + "-")
                    .get("/data.bin").asByteArray());
        }
        assertArrayEquals(dataBytes(0, DATA_SIZE), all.toByteArray());
    }
}
