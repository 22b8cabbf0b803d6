package dev.vod.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.VodServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs {@code fetch} in-process against a real embedded {@link VodServer} serving a temporary directory. */
class FetchCommandTest {
    static final long SIZE = 3 * 1024 * 1024 + 12345;

    @TempDir
    Path served;
    @TempDir
    Path downloads;

    private VodServer server;
    private String base;
    private Path source;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void startServer() throws IOException {
        source = served.resolve("big.bin");
        FetchRecorder.writeRandomFile(source, SIZE, 42);
        server = VodServer.builder().root(served).host("127.0.0.1").port(0).buildServer();
        InetSocketAddress address = server.start();
        base = "http://127.0.0.1:" + address.getPort() + "/";
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private int fetch(String... args) {
        return fetch(new ByteArrayInputStream(new byte[0]), new FetchRecorder(), args);
    }

    private int fetch(InputStream stdin, FetchListener listener, String... args) {
        return FetchCommand.run(args, stdin, new PrintStream(out, true), new PrintStream(err, true, StandardCharsets.UTF_8),
                listener);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The key=value lines of the metrics output. */
    static Map<String, String> metrics(String text) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0 && line.substring(0, equals).matches("[a-z_]+")) {
                values.put(line.substring(0, equals), line.substring(equals + 1).trim());
            }
        }
        return values;
    }

    private static byte[] slice(Path file, int first, int lastInclusive) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(file), first, lastInclusive + 1);
    }

    @Test
    void plainFetchIsByteIdentical() throws IOException {
        Path target = downloads.resolve("copy.bin");
        assertEquals(0, fetch(base + "big.bin", "-o", target.toString(), "--no-progress"), err());
        assertEquals(-1, Files.mismatch(source, target));
        Map<String, String> metrics = metrics(out());
        assertEquals("complete", metrics.get("outcome"));
        assertEquals(String.valueOf(SIZE), metrics.get("bytes"));
        assertEquals("1", metrics.get("requests"));
    }

    @Test
    void rangeGivesExactlyThoseBytes() throws IOException {
        Path target = downloads.resolve("part.bin");
        assertEquals(0, fetch(base + "big.bin", "--range", "1000-199999", "-o", target.toString(), "--no-progress"),
                err());
        assertTrue(Arrays.equals(slice(source, 1000, 199_999), Files.readAllBytes(target)));
        assertEquals("199000", metrics(out()).get("bytes"));
    }

    @Test
    void openRangeRunsToTheEnd() throws IOException {
        Path target = downloads.resolve("tail.bin");
        assertEquals(0, fetch(base + "big.bin", "--range", "3000000-", "-o", target.toString(), "--no-progress"),
                err());
        assertTrue(Arrays.equals(slice(source, 3_000_000, (int) SIZE - 1), Files.readAllBytes(target)));
    }

    @Test
    void rateLimitMakesTheTransferTakeAtLeastSizeOverRate() throws IOException {
        Path target = downloads.resolve("slow.bin");
        long bytes = 512 * 1024;
        long rate = 512 * 1024; // so at least one second
        long started = System.nanoTime();
        assertEquals(0, fetch(base + "big.bin", "--range", "0-" + (bytes - 1), "--rate", "512k",
                "-o", target.toString(), "--no-progress"), err());
        double wallSeconds = (System.nanoTime() - started) / 1e9;
        double minimumSeconds = (double) bytes / rate;
        double transferSeconds = Double.parseDouble(metrics(out()).get("transfer_time_ms")) / 1000;
        assertTrue(transferSeconds >= minimumSeconds * 0.95, "transfer took " + transferSeconds + " s");
        assertTrue(wallSeconds >= minimumSeconds * 0.95, "fetch took " + wallSeconds + " s");
        assertEquals(bytes, Files.size(target));
    }

    @Test
    void metricsAreConsistentWithEachOther() {
        assertEquals(0, fetch(base + "big.bin", "-o", downloads.resolve("m.bin").toString(), "--no-progress"), err());
        Map<String, String> metrics = metrics(out());
        double startup = Double.parseDouble(metrics.get("startup_delay_ms"));
        double transfer = Double.parseDouble(metrics.get("transfer_time_ms"));
        double throughput = Double.parseDouble(metrics.get("throughput_bytes_per_s"));
        double megabits = Double.parseDouble(metrics.get("throughput_mbit_per_s"));
        long bytes = Long.parseLong(metrics.get("bytes"));
        assertEquals(SIZE, bytes);
        assertEquals(SIZE, Long.parseLong(metrics.get("received_bytes")));
        assertTrue(startup > 0 && startup <= transfer, "startup " + startup + " ms, transfer " + transfer + " ms");
        double expected = bytes / (transfer / 1000);
        assertEquals(expected, throughput, expected * 0.001 + 1, "bytes / transfer time");
        assertEquals(throughput * 8 / 1e6, megabits, 0.001);
        assertTrue(out().contains("fetched 3.0 MiB in "), out());
        assertTrue(out().strip().endsWith("-> " + downloads.resolve("m.bin")), out());
    }

    @Test
    void dashOutputWritesTheBodyToStdoutAndMetricsToStderr() throws IOException {
        assertEquals(0, fetch(base + "big.bin", "--range", "0-65535", "-o", "-", "--no-progress"), err());
        assertTrue(Arrays.equals(slice(source, 0, 65535), out.toByteArray()));
        assertEquals("65536", metrics(err()).get("bytes"));
    }

    @Test
    void progressBarGoesToStderrOnly() {
        assertEquals(0, fetch(base + "big.bin", "-o", downloads.resolve("p.bin").toString()), err());
        assertTrue(err().contains("100%"), err());
        assertFalse(out().contains("%"), out());
    }

    @Test
    void startIsAddedToTheQueryAndTheFragmentDropped() throws IOException {
        Path target = downloads.resolve("s.bin");
        try (RecordingRelay relay = new RecordingRelay(server.address())) {
            String url = "http://127.0.0.1:" + relay.port() + "/big.bin?x=1#frag";
            assertEquals(0, fetch(url, "--start", "6.5", "-o", target.toString(), "--no-progress"), err());
            assertTrue(relay.requestHeads().get(0).startsWith("GET /big.bin?x=1&start=6.5 HTTP/1.1\r\n"),
                    relay.requestHeads().toString());
        }
        assertEquals(SIZE, Files.size(target)); // a plain file ignores start=
    }

    @Test
    void emptyFileGivesAnEmptyOutputFile() throws IOException {
        Files.createFile(served.resolve("empty.bin"));
        Path target = downloads.resolve("empty.bin");
        assertEquals(0, fetch(base + "empty.bin", "-o", target.toString(), "--no-progress"), err());
        assertEquals(0, Files.size(target));
        assertEquals("0", metrics(out()).get("bytes"));
    }

    @Test
    void serverCappingResponsesIsFollowedToTheEnd() throws IOException {
        server.close();
        server = VodServer.builder().root(served).host("127.0.0.1").port(0).maxChunk(1024 * 1024).buildServer();
        base = "http://127.0.0.1:" + server.start().getPort() + "/";
        Path target = downloads.resolve("capped.bin");
        FetchRecorder recorder = new FetchRecorder();
        assertEquals(0, fetch(new ByteArrayInputStream(new byte[0]), recorder, base + "big.bin",
                "-o", target.toString(), "--no-progress"), err());
        assertEquals(-1, Files.mismatch(source, target));
        assertEquals(4, recorder.requests.size());
        assertEquals("bytes=1048576-", recorder.requests.get(1).get("Range"));
    }

    @Test
    void notFoundExitsOneWithOneLineAndNoFile() {
        Path target = downloads.resolve("missing.bin");
        assertEquals(1, fetch(base + "missing.bin", "-o", target.toString(), "--no-progress"));
        assertTrue(err().startsWith("vod fetch: HTTP 404 from " + base + "missing.bin"), err());
        assertEquals(1, err().strip().lines().count(), err());
        assertFalse(Files.exists(target));
        assertEquals("", out());
    }

    @Test
    void connectionRefusedExitsOne() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        assertEquals(1, fetch("http://127.0.0.1:" + port + "/x.bin", "-o", downloads.resolve("x").toString()));
        assertEquals("vod fetch: cannot connect to 127.0.0.1:" + port + ": connection refused\n",
                err().replace("\r", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1/x", "not a url", "http://", "localhost:8080/x", "http://[::1/x"})
    void badUrlExitsTwo(String url) {
        assertEquals(2, fetch(url, "-o", downloads.resolve("x").toString()));
        assertTrue(err().startsWith("vod fetch: "), err());
        assertEquals(1, err().strip().lines().count(), err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--range=5-1", "--range=abc", "--range=-100", "--rate=0", "--rate=fast", "--start=abc",
        "--start=-3", "--bogus"})
    void badFlagExitsTwo(String flag) {
        assertEquals(2, fetch(base + "big.bin", flag, "-o", downloads.resolve("x").toString()));
        assertTrue(err().startsWith("vod fetch: "), err());
        assertFalse(Files.exists(downloads.resolve("x")));
    }

    @Test
    void defaultFileNameIsTheLastPathSegment() {
        assertEquals("big.bin", FetchCommand.defaultFileName(java.net.URI.create("http://h/a/big.bin?start=3")));
        assertEquals("my video.mp4", FetchCommand.defaultFileName(java.net.URI.create("http://h/my%20video.mp4")));
        assertEquals("index.html", FetchCommand.defaultFileName(java.net.URI.create("http://h/dir/")));
        assertEquals("index.html", FetchCommand.defaultFileName(java.net.URI.create("http://h")));
    }

    @Test
    void launcherFetchesThroughItsSubcommand() throws IOException {
        Path target = downloads.resolve("via-main.bin");
        int status = Main.run(new String[] {"fetch", base + "big.bin", "-o", target.toString(), "--no-progress"},
                new PrintStream(out, true), new PrintStream(err, true), started -> {
                    throw new AssertionError("server started");
                });
        assertEquals(0, status, err());
        assertEquals(-1, Files.mismatch(source, target));
        assertEquals(String.valueOf(SIZE), metrics(out()).get("bytes"));
    }

    @Test
    void launcherReportsABadFetchFlagWithStatusTwo() {
        int status = Main.run(new String[] {"fetch", base + "big.bin", "--rate", "fast"}, new PrintStream(out, true),
                new PrintStream(err, true), started -> {
                    throw new AssertionError("server started");
                });
        assertEquals(2, status);
        assertTrue(err().contains("--rate"), err());
    }

    @Test
    void launcherRunsFetchAsASubcommand() {
        int status = Main.run(new String[] {"fetch", "--help"}, new PrintStream(out, true),
                new PrintStream(err, true), started -> { throw new AssertionError("server started"); });
        assertEquals(0, status, err());
        assertTrue(out().contains("Usage: vod-server fetch"), out());
    }
}
