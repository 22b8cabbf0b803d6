package dev.vod;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vod.testing.Fixtures;
import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Prometheus metrics and JSON status endpoints. */
class MetricsEndpointTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.metricsPath("/metrics").statusPath("/status")
            .mountPath("/videos/"));

    @RegisterExtension
    static final ServerExtension plain = new ServerExtension();

    private static final SimpleMeterRegistry applicationRegistry = new SimpleMeterRegistry();

    @RegisterExtension
    static final ServerExtension withAppRegistry = new ServerExtension(b -> b.meterRegistry(applicationRegistry));

    @Test
    void metricsCountRequestsByStatusAndBytesSent() throws Exception {
        given().get(server.url("/videos/hello.txt")).then().statusCode(200);
        given().get(server.url("/videos/hello.txt")).then().statusCode(200);
        given().get(server.url("/videos/missing.txt")).then().statusCode(404);
        given().get(server.url("/metrics")).then().statusCode(200)
                .header("Content-Type", startsWith("text/plain; version=0.0.4"))
                .body(containsString("vod_requests_total{status=\"200\"}"))
                .body(containsString("vod_requests_total{status=\"404\"}"))
                .body(containsString("vod_sent_bytes_total"))
                .body(containsString("vod_ttfb_seconds_bucket"))
                .body(containsString("vod_response_duration_seconds_count"))
                .body(containsString("vod_connections_active"))
                .body(containsString("vod_transfers_active"))
                .body(containsString("vod_transfers_aborted_total"))
                .body(containsString("vod_paced_rate_bytes_per_second"));
    }

    @Test
    void statusIsJsonWithTheDocumentedKeys() {
        given().get(server.url("/videos/data.bin")).then().statusCode(200);
        given().get(server.url("/status")).then().statusCode(200)
                .header("Content-Type", "application/json")
                .body("uptimeSeconds", notNullValue())
                .body("activeConnections", greaterThanOrEqualTo(1))
                .body("activeTransfers", greaterThanOrEqualTo(0))
                .body("bytesPerSecond10s", greaterThanOrEqualTo(100_000 / 10))
                .body("pacedRate", notNullValue());
    }

    @Test
    void headAnswersWithoutBodyAndOtherMethodsGet405() throws Exception {
        given().head(server.url("/metrics")).then().statusCode(200).body(emptyString());
        RawHttp.Response post = RawHttp.exchange(server.address(),
                "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.header("Allow"));
    }

    @Test
    void endpointsAreOffByDefault() {
        given().get(plain.url("/metrics")).then().statusCode(404);
        given().get(plain.url("/status")).then().statusCode(404);
    }

    @Test
    void applicationRegistryReceivesTheMetersWithoutTheEndpoint() throws Exception {
        given().get(withAppRegistry.url("/hello.txt")).then().statusCode(200);
        // Counted when the server sees its write complete, which may be just after the client has the bytes.
        assertEquals((double) Fixtures.HELLO.length(), eventually(() -> applicationRegistry.get("vod.sent").counter()
                .count(), (double) Fixtures.HELLO.length()));
        given().get(withAppRegistry.url("/metrics")).then().statusCode(404);
        Counter ok = applicationRegistry.find("vod.requests").tag("status", "200").counter();
        assertEquals(1.0, ok == null ? 0 : ok.count());
    }

    /** {@code value}'s result once it equals {@code expected}, or its last result after 5 s. */
    private static double eventually(java.util.function.DoubleSupplier value, double expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        double last = value.getAsDouble();
        while (last != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
            last = value.getAsDouble();
        }
        return last;
    }
}
