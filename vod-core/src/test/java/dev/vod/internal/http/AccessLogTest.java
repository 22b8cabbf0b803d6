package dev.vod.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.AccessLogSettings;
import dev.vod.internal.metrics.VodMetrics;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Which settings build a line at all, and what reaches a file. */
class AccessLogTest {
    @TempDir
    Path dir;

    private static final VodMetrics METRICS = new VodMetrics(false, false, new AtomicInteger(), new LongAdder());

    private static HttpRequest request() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a.mp4");
        request.headers().set("User-Agent", "test").set("Range", "bytes=0-9");
        return request;
    }

    @Test
    void noLineIsBuiltWhileTheVodAccessLoggerIsOff() {
        // The tests' backend runs at WARN (vod-core's surefire settings): vod.access is off.
        assertFalse(LoggerFactory.getLogger("vod.access").isInfoEnabled(), "precondition: vod.access off");
        AccessLog log = new AccessLog(AccessLogSettings.DEFAULTS, METRICS);
        assertFalse(log.on());
        log.log("127.0.0.1", 1, request(), 200, WriterFixtures.stats(), false);
        assertEquals(0, log.built());
    }

    @Test
    void offBuildsNothing() {
        AccessLog log = new AccessLog(AccessLogSettings.OFF.withFormat(AccessLogSettings.Format.COMBINED), METRICS);
        log.log("127.0.0.1", 1, request(), 200, WriterFixtures.stats(), false);
        assertEquals(0, log.built());
    }

    @Test
    void aFileTargetWritesWhateverTheLoggerSays() throws Exception {
        Path file = dir.resolve("access.log");
        AccessLog log = new AccessLog(AccessLogSettings.file(file), METRICS);
        assertTrue(log.on());
        log.log("127.0.0.1", 51234, request(), 206, WriterFixtures.stats(), false);
        log.close();
        assertEquals(1, log.built());
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) "
                + "127\\.0\\.0\\.1:51234 GET /a\\.mp4 206 0 ttfb=[\\d.]+ms total=[\\d.]+ms rate=[\\d.]+MB/s "
                + "range=\"bytes=0-9\" ua=\"test\""), lines.get(0));
    }
}
