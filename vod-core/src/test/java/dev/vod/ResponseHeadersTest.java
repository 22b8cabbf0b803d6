package dev.vod;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import dev.vod.testing.ServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The headers every file response carries, and the MIME types the server sends. */
class ResponseHeadersTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b
            .cacheMaxAge(Duration.ofHours(1))
            .mimeType("bin", "application/x-test-data"));

    @Test
    void fileResponsesCarryValidatorsTypeLengthAndCaching() {
        given().port(server.port()).get("/sample.mp4").then().statusCode(200)
                .header("Date", matchesPattern("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"))
                .header("Last-Modified", matchesPattern("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} .* GMT"))
                // "mtime-size" for a local file; from a store, its own tag (S3: the MD5 of the bytes)
                .header("ETag", matchesPattern(dev.vod.testing.ServerExtension.onStore() ? "\"[0-9a-f]{32}\""
                        : "\"[0-9a-f]+-[0-9a-f]+\""))
                .header("Content-Type", equalTo("video/mp4"))
                .header("Content-Length", equalTo(String.valueOf(server.size("sample.mp4"))))
                .header("Accept-Ranges", equalTo("bytes"))
                .header("Cache-Control", equalTo("max-age=3600"));
    }

    @Test
    void etagChangesWhenTheFileChanges() throws Exception {
        java.nio.file.Path f = server.root().resolve("changing.txt");
        java.nio.file.Files.writeString(f, "one");
        String first = given().port(server.port()).get("/changing.txt").header("ETag");
        java.nio.file.Files.writeString(f, "three");
        java.nio.file.Files.setLastModifiedTime(f,
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        var second = given().port(server.port()).get("/changing.txt");
        org.junit.jupiter.api.Assertions.assertNotEquals(first, second.header("ETag"));
        // the open-file cache must not serve the old bytes under the new validators
        org.junit.jupiter.api.Assertions.assertEquals("three", second.asString());
    }

    @ParameterizedTest
    @CsvSource({
        "sample.mp4, video/mp4",
        "sample.webm, video/webm",
        "hello.txt, text/plain; charset=utf-8",
        "data.bin, application/x-test-data"})
    void contentTypeComesFromTheTableOrTheOverrides(String name, String type) {
        given().port(server.port()).get("/" + name).then().header("Content-Type", equalTo(type));
    }

    @Test
    void errorResponsesArePlainTextWithALength() {
        given().port(server.port()).get("/missing.txt").then().statusCode(404)
                .header("Content-Type", equalTo("text/plain; charset=utf-8"))
                .header("Content-Length", notNullValue());
    }
}
