package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.Http;
import dev.vod.testing.RawHttp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The access log written by vod itself, through a real server: nothing lost on close, formats, a stuck output. */
@Timeout(120)
class AccessLogFileTest {
    /** The combined format, strictly (see AccessLinesTest): quoted fields hold only printable ASCII and \xHH. */
    private static final Pattern COMBINED = Pattern.compile("127\\.0\\.0\\.1 - - \\[\\d{2}/[A-Z][a-z]{2}/\\d{4}"
            + ":\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\] \"GET (\\S+) HTTP/1\\.1\" (\\d{3}) (\\d+|-) "
            + "\"((?:[\\x20-\\x7e&&[^\"\\\\]]|\\\\x[0-9A-F]{2})*)\" \"((?:[\\x20-\\x7e&&[^\"\\\\]]|\\\\x[0-9A-F]{2})*)\"");

    @TempDir
    Path dir;

    private Path root() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.write(root.resolve("a.bin"), new byte[4096]);
        return root;
    }

    private static String url(VodServer server, String path) {
        return "http://127.0.0.1:" + server.address().getPort() + path;
    }

    @Test
    void everyResponseHasItsLineOnceCloseReturns() throws Exception {
        Path log = dir.resolve("access.log");
        VodServer server = VodServer.builder().root(root()).host("127.0.0.1").port(0)
                .accessLog(AccessLogSettings.file(log)).buildServer();
        int n = 200;
        try {
            server.start();
            for (int i = 0; i < n; i++) {
                assertEquals(i % 2 == 0 ? 200 : 404,
                        Http.get(url(server, i % 2 == 0 ? "/a.bin?i=" + i : "/missing")).statusCode());
            }
        } finally {
            server.close(); // lines are still queued: the writer flushes once a second
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(n, lines.size());
        // A client may spread its requests over connections, and so over event loops: count, do not index.
        assertEquals(n / 2, lines.stream().filter(l -> l.matches(".* GET /a\\.bin\\?i=\\d+ 200 4096 .*")).count());
        assertEquals(n / 2, lines.stream().filter(l -> l.contains(" GET /missing 404 ")).count());
        assertTrue(lines.stream().allMatch(l -> l.endsWith("\"") && l.contains(" ua=\"Java-http-client/")), lines.get(0));
    }

    @Test
    void combinedFormatParsesAndAHostileUserAgentStaysOneLine() throws Exception {
        Path log = dir.resolve("combined.log");
        VodServer server = VodServer.builder().root(root()).host("127.0.0.1").port(0)
                .accessLog(AccessLogSettings.file(log).withFormat(AccessLogSettings.Format.COMBINED)).buildServer();
        try {
            InetSocketAddress address = server.start();
            RawHttp.exchange(address, "GET /a.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-99\r\n"
                    + "Referer: http://example.org/\r\nUser-Agent: curl/8.5.0\r\n\r\n");
            // Quotes, a backslash, a tab and a raw UTF-8 byte pair. A header cannot carry a CR, LF or ESC (Netty's
            // decoder refuses the request), so the ANSI escape comes in the request target.
            RawHttp.exchange(address, "GET /a.bin?hostile HTTP/1.1\r\nHost: x\r\nUser-Agent: a\" \"b\\ red\t"
                    + "\u00c3\u00a9\r\n\r\n");
            RawHttp.exchange(address, "GET /a\u001b[31m.bin HTTP/1.1\r\nHost: x\r\n\r\n");
        } finally {
            server.close();
        }
        // Each exchange had its own connection, maybe its own event loop: lines need not come in request order.
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        assertEquals(3, lines.size(), String.join("\n", lines));
        for (String line : lines) {
            assertTrue(COMBINED.matcher(line).matches(), line);
            assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), line);
        }
        var plain = matching(lines, "/a.bin");
        assertEquals("206", plain.group(2));
        assertEquals("100", plain.group(3));
        assertEquals("http://example.org/", plain.group(4));
        assertEquals("curl/8.5.0", plain.group(5));
        var hostile = matching(lines, "/a.bin?hostile");
        assertEquals("200", hostile.group(2));
        assertEquals("-", hostile.group(4));
        assertEquals("a\\x22 \\x22b\\x5C red\\x09\\xC3\\xA9", hostile.group(5));
        var escaped = matching(lines, "/a\\x1B[31m.bin");
        assertEquals("400", escaped.group(2));
    }

    private static java.util.regex.Matcher matching(List<String> lines, String target) {
        for (String line : lines) {
            var m = COMBINED.matcher(line);
            if (m.matches() && m.group(1).equals(target)) {
                return m;
            }
        }
        throw new AssertionError("no line for " + target + " in\n" + String.join("\n", lines));
    }

    @Test
    void aStuckOutputDropsAndCountsLinesWhileRequestsComplete() throws Exception {
        Path fifo = dir.resolve("access.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        CountDownLatch startReading = new CountDownLatch(1);
        // Opening a FIFO blocks until both ends are open: the reader opens first, then waits to read.
        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(fifo.toFile()),
                    StandardCharsets.US_ASCII))) {
                startReading.await(60, TimeUnit.SECONDS);
                return in.lines().count();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        VodServer server = VodServer.builder().root(root()).host("127.0.0.1").port(0).meterRegistry(registry)
                .accessLog(AccessLogSettings.file(fifo).withQueueLines(16)).buildServer();
        int n = 300;
        String longAgent = "agent-" + "x".repeat(2000); // ~2 KB lines: the pipe and the writer's buffer fill fast
        try {
            server.start();
            for (int i = 0; i < n; i++) {
                assertEquals(200, Http.get(url(server, "/a.bin"), "User-Agent", longAgent).statusCode());
            }
        } finally {
            startReading.countDown();
            server.close();
        }
        long written = reader.get(60, TimeUnit.SECONDS);
        double dropped = registry.get("vod.access.log.dropped").functionCounter().count();
        assertTrue(dropped > 0, "no line dropped; written " + written);
        assertEquals(n, written + (long) dropped, "written " + written + " + dropped " + dropped);
    }

    @Test
    void aFileThatCannotBeOpenedFailsTheServerAtOnce() {
        Path missing = dir.resolve("no/such/dir/access.log");
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                () -> VodServer.builder().root(dir).accessLog(AccessLogSettings.file(missing)).buildServer());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

}
