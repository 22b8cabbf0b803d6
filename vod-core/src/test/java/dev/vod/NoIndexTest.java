package dev.vod;

import static io.restassured.RestAssured.given;

import dev.vod.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With index pages off, directories are not listed. */
class NoIndexTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.indexPages(false));

    @Test
    void directoryListingIsForbidden() {
        given().port(server.port()).get("/").then().statusCode(403);
        given().port(server.port()).get("/dir/").then().statusCode(403);
    }

    @Test
    void filesAreStillServed() {
        given().port(server.port()).get("/hello.txt").then().statusCode(200);
    }
}
