package dev.vod;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import io.restassured.specification.RequestSpecification;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Conditional requests (RFC 9110 §13) on {@code hello.txt}. */
class ConditionalRequestsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private String etag;
    private String lastModified;

    @BeforeEach
    void learnValidators() {
        var r = given().port(server.port()).get("/hello.txt");
        etag = r.header("ETag");
        lastModified = r.header("Last-Modified");
    }

    private RequestSpecification req() {
        return given().port(server.port());
    }

    private String shifted(long seconds) {
        return HTTP_DATE.format(ZonedDateTime.parse(lastModified, HTTP_DATE.withZone(ZoneOffset.UTC))
                .plusSeconds(seconds));
    }

    @Test
    void validatorsArePresentAndStrong() {
        assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);
        assertTrue(lastModified.endsWith(" GMT"), lastModified);
    }

    @Test
    void ifNoneMatchWithCurrentEtagGives304WithEtagAndNoBody() throws Exception {
        RawHttp.Response r = RawHttp.exchange(server.address(),
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag + "\r\n\r\n");
        assertEquals(304, r.status());
        assertEquals(etag, r.header("ETag"));
        assertEquals(null, r.header("Content-Length"));
        assertEquals(0, r.body().length);
    }

    @Test
    void ifNoneMatchSplitOverTwoLinesIsOneList() throws Exception {
        // RFC 9110 §5.3: a list header may be sent as several lines; the tag may be on either.
        for (String lines : new String[] {"If-None-Match: \"nope\"\r\nIf-None-Match: " + etag,
                                          "If-None-Match: " + etag + "\r\nIf-None-Match: \"nope\""}) {
            RawHttp.Response r = RawHttp.exchange(server.address(),
                    "GET /hello.txt HTTP/1.1\r\nHost: x\r\n" + lines + "\r\n\r\n");
            assertEquals(304, r.status(), lines);
        }
        RawHttp.Response miss = RawHttp.exchange(server.address(),
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"a\"\r\nIf-None-Match: \"b\"\r\n\r\n");
        assertEquals(200, miss.status());
    }

    @Test
    void ifNoneMatchStarGives304() {
        req().header("If-None-Match", "*").get("/hello.txt").then().statusCode(304);
    }

    @Test
    void ifNoneMatchListContainingTheEtagGives304() {
        req().header("If-None-Match", "\"nope\", " + etag + ", \"other\"").get("/hello.txt").then().statusCode(304);
    }

    @Test
    void ifNoneMatchUsesWeakComparison() {
        req().header("If-None-Match", "W/" + etag).get("/hello.txt").then().statusCode(304);
    }

    @Test
    void ifNoneMatchMismatchGives200() {
        req().header("If-None-Match", "\"different\"").get("/hello.txt").then().statusCode(200);
    }

    @Test
    void ifNoneMatchTakesPrecedenceOverIfModifiedSince() {
        // The date alone would give 304; the mismatching etag wins.
        req().header("If-None-Match", "\"different\"").header("If-Modified-Since", shifted(3600))
                .get("/hello.txt").then().statusCode(200);
    }

    @Test
    void ifModifiedSinceAtLastModifiedGives304() {
        req().header("If-Modified-Since", lastModified).get("/hello.txt").then().statusCode(304)
                .header("ETag", equalTo(etag));
    }

    @Test
    void ifModifiedSinceBeforeLastModifiedGives200() {
        req().header("If-Modified-Since", shifted(-1)).get("/hello.txt").then().statusCode(200);
    }

    @Test
    void invalidIfModifiedSinceIsIgnored() {
        req().header("If-Modified-Since", "yesterday").get("/hello.txt").then().statusCode(200);
    }

    @Test
    void ifModifiedSinceAppliesToHeadToo() {
        req().header("If-Modified-Since", lastModified).head("/hello.txt").then().statusCode(304);
    }

    @Test
    void ifMatchMismatchGives412() {
        req().header("If-Match", "\"different\"").get("/hello.txt").then().statusCode(412);
    }

    @Test
    void ifMatchWithCurrentEtagGives200() {
        req().header("If-Match", etag).get("/hello.txt").then().statusCode(200);
    }

    @Test
    void ifMatchStarGives200ForAnExistingFile() {
        req().header("If-Match", "*").get("/hello.txt").then().statusCode(200);
    }

    @Test
    void ifMatchUsesStrongComparisonSoAWeakTagFails() {
        req().header("If-Match", "W/" + etag).get("/hello.txt").then().statusCode(412);
    }

    @Test
    void ifUnmodifiedSinceBeforeLastModifiedGives412() {
        req().header("If-Unmodified-Since", shifted(-10)).get("/hello.txt").then().statusCode(412);
    }

    @Test
    void ifUnmodifiedSinceAfterLastModifiedGives200() {
        req().header("If-Unmodified-Since", shifted(10)).get("/hello.txt").then().statusCode(200);
    }

    @Test
    void ifUnmodifiedSinceIsIgnoredWhenIfMatchIsPresent() {
        req().header("If-Match", etag).header("If-Unmodified-Since", shifted(-10)).get("/hello.txt")
                .then().statusCode(200);
    }

    @Test
    void ifRangeWithCurrentStrongEtagGives206() {
        req().header("Range", "bytes=0-4").header("If-Range", etag).get("/hello.txt").then().statusCode(206)
                .header("Content-Range", "bytes 0-4/11");
    }

    @Test
    void ifRangeWithOtherEtagGivesTheWholeFile() {
        req().header("Range", "bytes=0-4").header("If-Range", "\"old\"").get("/hello.txt").then().statusCode(200)
                .header("Content-Range", nullValue()).header("Content-Length", "11");
    }

    @Test
    void ifRangeWithWeakEtagGivesTheWholeFile() {
        req().header("Range", "bytes=0-4").header("If-Range", "W/" + etag).get("/hello.txt").then().statusCode(200);
    }

    @Test
    void ifRangeWithExactLastModifiedGives206() {
        req().header("Range", "bytes=0-4").header("If-Range", lastModified).get("/hello.txt").then().statusCode(206);
    }

    @Test
    void ifRangeWithOtherDateGivesTheWholeFile() {
        req().header("Range", "bytes=0-4").header("If-Range", shifted(1)).get("/hello.txt").then().statusCode(200);
    }

    @Test
    void notModifiedCarriesCacheControlWhenConfigured() {
        // this server has no max-age configured: no Cache-Control on files
        req().header("If-None-Match", etag).get("/hello.txt").then().statusCode(304)
                .header("Cache-Control", nullValue());
    }
}
