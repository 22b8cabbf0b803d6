package dev.vod;

import static dev.vod.testing.Fixtures.DATA_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.Descriptors;
import dev.vod.testing.Fixtures;
import dev.vod.testing.LeakCounter;
import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two threads of mixed traffic for 30 seconds with Netty's paranoid leak detector on: single and multiple ranges,
 * HEAD, conditional requests, 404s, 416s, pipelined requests, whole files, new and reused connections, and
 * transfers aborted with a reset. Every response is checked byte for byte; afterwards no leak may have been
 * reported and no descriptor may be left over. The random seeds are printed in failure messages.
 */
@Tag("hardening")
class MixedTrafficTest {
    private static final Duration RUN = Duration.ofSeconds(30);
    private static final Pattern SINGLE_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
    private static final byte[] DATA = Fixtures.dataBytes(0, DATA_SIZE);

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static String etag;
    private static byte[] webm;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    @BeforeAll
    static void prepare() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(server.root().resolve("big.bin").toFile(), "rw")) {
            f.setLength(256L * 1024 * 1024);
        }
        webm = Files.readAllBytes(server.root().resolve("sample.webm"));
        etag = RawHttp.exchange(server.address(), "HEAD /data.bin HTTP/1.1\r\nHost: x\r\n\r\n").header("ETag");
        assertNotNull(etag);
    }

    @Test
    void mixedTrafficStaysCorrectAndLeaksNothing() throws Exception {
        RawHttp.exchange(server.address(), RawHttp.get("/hello.txt"));
        int leaksBefore = LeakCounter.leaksAfterGc();
        long descriptorsBefore = Descriptors.available() ? Descriptors.open() : 0;
        long seed = System.nanoTime();
        long end = System.nanoTime() + RUN.toNanos();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                long threadSeed = seed + t;
                runs.add(threads.submit(() -> {
                    traffic(new Random(threadSeed), end, threadSeed);
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            threads.shutdownNow();
        }
        for (String scenario : List.of("range", "multirange", "head", "notModified", "preconditionFailed",
                "ifRange", "ifRangeStale", "notFound", "unsatisfiable", "pipelined", "whole", "aborted")) {
            assertTrue(counts.containsKey(scenario), "scenario never ran: " + scenario + " " + counts);
        }
        for (int i = 0; i < 500 && server.server().activeResponses() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, server.server().activeResponses(), "responses still in flight");
        assertEquals(leaksBefore, LeakCounter.leaksAfterGc(), "Netty leak reports: " + LeakCounter.reports());
        if (Descriptors.available()) {
            long after = Descriptors.open();
            assertTrue(after <= descriptorsBefore + 8, "descriptors before " + descriptorsBefore + ", after " + after);
        }
    }

    private void traffic(Random random, long endNanos, long seed) throws Exception {
        RawHttp http = null;
        try {
            while (System.nanoTime() < endNanos) {
                if (http == null || random.nextInt(20) == 0) {
                    if (http != null) {
                        http.close();
                    }
                    http = new RawHttp(server.address());
                }
                String scenario = scenario(random);
                counts.computeIfAbsent(scenario, k -> new AtomicLong()).incrementAndGet();
                try {
                    run(scenario, http, random);
                } catch (AssertionError | IOException e) {
                    throw new AssertionError("scenario " + scenario + " failed (thread seed " + seed + ")", e);
                }
            }
        } finally {
            if (http != null) {
                http.close();
            }
        }
    }

    private static String scenario(Random random) {
        String[] all = {"range", "multirange", "head", "notModified", "preconditionFailed", "ifRange",
            "ifRangeStale", "notFound", "unsatisfiable", "pipelined", "whole", "aborted"};
        return all[random.nextInt(all.length)];
    }

    private void run(String scenario, RawHttp http, Random random) throws Exception {
        switch (scenario) {
            case "range" -> {
                long first = random.nextInt(DATA_SIZE);
                long last = first + random.nextInt(DATA_SIZE - (int) first);
                checkSingle(send(http, "/data.bin", "Range: bytes=" + first + "-" + last), first, last);
            }
            case "multirange" -> {
                StringBuilder ranges = new StringBuilder("bytes=");
                int n = 2 + random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    long first = random.nextInt(DATA_SIZE);
                    ranges.append(i == 0 ? "" : ",").append(first).append('-').append(first + random.nextInt(500));
                }
                checkPartial(send(http, "/data.bin", "Range: " + ranges));
            }
            case "head" -> {
                http.send("HEAD /data.bin HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response r = wellFormed(http.read(true));
                assertEquals(200, r.status());
                assertEquals(Integer.toString(DATA_SIZE), r.header("Content-Length"));
            }
            case "notModified" -> {
                RawHttp.Response r = send(http, "/data.bin", "If-None-Match: " + etag);
                assertEquals(304, r.status());
                assertEquals(0, r.body().length);
            }
            case "preconditionFailed" -> assertEquals(412,
                    send(http, "/data.bin", "If-Match: \"not-it\"").status());
            case "ifRange" -> checkSingle(send(http, "/data.bin", "Range: bytes=100-199\r\nIf-Range: " + etag),
                    100, 199);
            case "ifRangeStale" -> {
                RawHttp.Response r = send(http, "/data.bin", "Range: bytes=100-199\r\nIf-Range: \"stale\"");
                assertEquals(200, r.status());
                assertArrayEquals(DATA, r.body());
            }
            case "notFound" -> assertEquals(404, send(http, "/missing-" + random.nextInt(1000), null).status());
            case "unsatisfiable" -> {
                RawHttp.Response r = send(http, "/data.bin", "Range: bytes=" + (DATA_SIZE + random.nextInt(99)) + "-");
                assertEquals(416, r.status());
                assertEquals("bytes */" + DATA_SIZE, r.header("Content-Range"));
            }
            case "pipelined" -> {
                http.send(RawHttp.get("/hello.txt") + "HEAD /data.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=10-19\r\n\r\n" + RawHttp.get("/nope"));
                assertEquals(Fixtures.HELLO, wellFormed(http.read()).bodyText());
                assertEquals(200, wellFormed(http.read(true)).status());
                checkSingle(wellFormed(http.read()), 10, 19);
                assertEquals(404, wellFormed(http.read()).status());
            }
            case "whole" -> {
                RawHttp.Response r = send(http, "/sample.webm", null);
                assertEquals(200, r.status());
                assertArrayEquals(webm, r.body());
            }
            case "aborted" -> {
                try (Socket s = new Socket("127.0.0.1", server.port())) {
                    s.getOutputStream().write(("GET /big.bin HTTP/1.1\r\nHost: x\r\n"
                            + (random.nextBoolean() ? "" : "Range: bytes=0-9,1000-\r\n") + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().readNBytes(1 + random.nextInt(200_000));
                    s.setSoLinger(true, 0);
                }
            }
            default -> throw new IllegalStateException(scenario);
        }
    }

    private static RawHttp.Response send(RawHttp http, String path, String headers) throws IOException {
        http.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + (headers == null ? "" : headers + "\r\n") + "\r\n");
        return wellFormed(http.read());
    }

    /** Status line, Date and (except 304) a Content-Length that the body matched. */
    private static RawHttp.Response wellFormed(RawHttp.Response r) {
        assertTrue(r.statusLine().matches("HTTP/1\\.1 [1-5]\\d\\d [A-Za-z -]+"), r.statusLine());
        assertNotNull(r.header("Date"), "Date");
        if (r.status() != 304) {
            assertNotNull(r.header("Content-Length"), "Content-Length");
        }
        return r;
    }

    private static void checkSingle(RawHttp.Response r, long first, long last) {
        assertEquals(206, r.status(), r.statusLine());
        assertEquals("bytes " + first + "-" + Math.min(last, DATA_SIZE - 1) + "/" + DATA_SIZE,
                r.header("Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(DATA, (int) first, (int) Math.min(last, DATA_SIZE - 1) + 1), r.body());
    }

    /** A 206 that is either one range or multipart/byteranges; every part's bytes must be the file's. */
    private static void checkPartial(RawHttp.Response r) {
        assertEquals(206, r.status(), r.statusLine());
        String type = r.header("Content-Type");
        if (!type.startsWith("multipart/byteranges")) {
            Matcher m = SINGLE_RANGE.matcher(r.header("Content-Range"));
            assertTrue(m.matches(), r.header("Content-Range"));
            checkSingle(r, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            return;
        }
        String boundary = type.substring(type.indexOf("boundary=") + "boundary=".length());
        String body = new String(r.body(), StandardCharsets.ISO_8859_1);
        assertTrue(body.endsWith("\r\n--" + boundary + "--\r\n"), "multipart end");
        String[] parts = body.split("\r\n--" + Pattern.quote(boundary) + "(--)?\r\n");
        int checked = 0;
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            int split = part.indexOf("\r\n\r\n");
            Matcher m = Pattern.compile("Content-Range: bytes (\\d+)-(\\d+)/" + DATA_SIZE).matcher(
                    part.substring(0, split));
            assertTrue(m.find(), "part headers: " + part.substring(0, split));
            int first = Integer.parseInt(m.group(1));
            int last = Integer.parseInt(m.group(2));
            byte[] bytes = part.substring(split + 4).getBytes(StandardCharsets.ISO_8859_1);
            assertArrayEquals(Arrays.copyOfRange(DATA, first, last + 1), bytes, "part " + first + "-" + last);
            checked++;
        }
        assertTrue(checked >= 2, "multipart with " + checked + " parts");
    }
}
