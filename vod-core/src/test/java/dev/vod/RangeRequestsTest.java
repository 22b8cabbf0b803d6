package dev.vod;

import static dev.vod.testing.Fixtures.DATA_SIZE;
import static dev.vod.testing.Fixtures.dataBytes;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Range requests (RFC 9110 §14) against {@code data.bin}, whose byte values are known. */
class RangeRequestsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private Response range(String header) {
        return given().port(server.port()).header("Range", header).get("/data.bin");
    }

    @Test
    void closedRangeGives206WithExactBytes() {
        Response r = range("bytes=10-19");
        r.then().statusCode(206).header("Content-Range", "bytes 10-19/" + DATA_SIZE).header("Content-Length", "10");
        assertArrayEquals(dataBytes(10, 20), r.asByteArray());
    }

    @Test
    void openEndedRangeRunsToTheEnd() {
        Response r = range("bytes=99990-");
        r.then().statusCode(206).header("Content-Range", "bytes 99990-99999/" + DATA_SIZE);
        assertArrayEquals(dataBytes(99990, DATA_SIZE), r.asByteArray());
    }

    @Test
    void suffixRangeGivesTheLastBytes() {
        Response r = range("bytes=-5");
        r.then().statusCode(206).header("Content-Range", "bytes 99995-99999/" + DATA_SIZE);
        assertArrayEquals(dataBytes(99995, DATA_SIZE), r.asByteArray());
    }

    @Test
    void lastPositionPastTheEndIsClamped() {
        Response r = range("bytes=99998-200000");
        r.then().statusCode(206).header("Content-Range", "bytes 99998-99999/" + DATA_SIZE);
        assertArrayEquals(dataBytes(99998, DATA_SIZE), r.asByteArray());
    }

    @Test
    void suffixLongerThanTheFileMeansTheWholeFile() {
        Response r = range("bytes=-999999");
        r.then().statusCode(206).header("Content-Range", "bytes 0-99999/" + DATA_SIZE);
        assertEquals(DATA_SIZE, r.asByteArray().length);
    }

    @Test
    void firstPositionPastTheEndIs416WithStarContentRange() {
        range("bytes=100000-").then().statusCode(416).header("Content-Range", "bytes */" + DATA_SIZE);
    }

    @Test
    void zeroSuffixIsUnsatisfiable() {
        range("bytes=-0").then().statusCode(416).header("Content-Range", "bytes */" + DATA_SIZE);
    }

    @Test
    void anyRangeOfAnEmptyFileIs416() {
        given().port(server.port()).header("Range", "bytes=0-").get("/empty.bin")
                .then().statusCode(416).header("Content-Range", "bytes */0");
    }

    @Test
    void unknownUnitIsIgnored() {
        range("items=0-5").then().statusCode(200).header("Content-Length", String.valueOf(DATA_SIZE))
                .header("Content-Range", nullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=5-1", "bytes=abc", "bytes=1-2-3", "bytes=--1", "bytes=+1-2", "bytes", "bytes="})
    void malformedRangeIsIgnored(String header) {
        range(header).then().statusCode(200).header("Content-Length", String.valueOf(DATA_SIZE));
    }

    @Test
    void hugeNumbersDoNotOverflow() {
        range("bytes=0-99999999999999999999999999").then().statusCode(206)
                .header("Content-Range", "bytes 0-99999/" + DATA_SIZE);
        range("bytes=99999999999999999999999999-").then().statusCode(416);
        range("bytes=-99999999999999999999999999").then().statusCode(206)
                .header("Content-Range", "bytes 0-99999/" + DATA_SIZE);
    }

    @Test
    void rangeOnHeadIsIgnored() {
        given().port(server.port()).header("Range", "bytes=0-9").head("/data.bin")
                .then().statusCode(200).header("Content-Length", String.valueOf(DATA_SIZE))
                .header("Content-Range", nullValue());
    }

    @Test
    void overlappingRangesAreCoalescedIntoOne() {
        Response r = range("bytes=0-99,50-199");
        r.then().statusCode(206).header("Content-Range", "bytes 0-199/" + DATA_SIZE);
        assertArrayEquals(dataBytes(0, 200), r.asByteArray());
    }

    @Test
    void multipleRangesGiveAByteExactMultipartBody() throws Exception {
        RawHttp.Response r = RawHttp.exchange(server.address(),
                "GET /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9, 5000-5009, -3\r\n\r\n");
        assertEquals(206, r.status());
        Matcher m = Pattern.compile("multipart/byteranges; ?boundary=(\\S+)").matcher(r.header("Content-Type"));
        assertTrue(m.matches(), r.header("Content-Type"));
        String boundary = m.group(1);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        long[][] ranges = {{0, 9}, {5000, 5009}, {99997, 99999}};
        for (long[] range : ranges) {
            expected.writeBytes(("\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Range: bytes " + range[0] + "-" + range[1] + "/" + DATA_SIZE + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            expected.writeBytes(dataBytes(range[0], range[1] + 1));
        }
        expected.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        assertEquals(String.valueOf(r.body().length), r.header("Content-Length"));
        assertArrayEquals(expected.toByteArray(), r.body());
    }

    @Test
    void manyRangesAreAnsweredWithoutAmplification() {
        // Apache Killer (CVE-2011-3192): hundreds of overlapping ranges must not multiply the body.
        StringBuilder header = new StringBuilder("bytes=0-");
        for (int i = 1; i < 1300; i++) {
            header.append(",5-").append(i);
        }
        Response r = range(header.toString());
        assertTrue(r.asByteArray().length <= DATA_SIZE + 1000, "body of " + r.asByteArray().length);
    }

    @Test
    void rangesAddingUpToMoreThanTheFileAreNotAmplified() {
        // Spring CVE-2018-15756 shape: a few ranges, each almost the whole file.
        Response r = range("bytes=0-99998,1-99999,0-99997,2-99999");
        assertTrue(r.asByteArray().length <= DATA_SIZE + 1000, "body of " + r.asByteArray().length);
        assertTrue(r.statusCode() == 200 || r.statusCode() == 206);
    }

    @Test
    void multipartPartsCarryTheFileContentType() throws Exception {
        java.nio.file.Files.writeString(server.root().resolve("letters.txt"), "x".repeat(1000));
        given().port(server.port()).header("Range", "bytes=0-0,500-500").get("/letters.txt")
                .then().statusCode(206).header("Content-Type", startsWith("multipart/byteranges"))
                .body(org.hamcrest.Matchers.containsString("Content-Type: text/plain; charset=utf-8"));
    }

    @Test
    void acceptRangesIsAdvertised() {
        given().port(server.port()).get("/data.bin").then().header("Accept-Ranges", equalTo("bytes"));
    }
}
