package dev.vod.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as a real process: every response has its access-log line once SIGTERM has stopped it, wherever
 * the log goes. Lines are still queued when the signal comes (the writer flushes once a second), so a lost flush
 * on shutdown shows as missing lines.
 */
@Timeout(120)
class AccessLogProcessTest {
    private static final int REQUESTS = 50;

    @TempDir
    Path dir;

    /** A running launcher and the file its stdout goes to. */
    private record Launched(Process process, Path stdout, int port) {
        /** What the launcher wrote to stdout after its Listening line. */
        List<String> rest() throws IOException {
            List<String> lines = Files.readAllLines(stdout);
            return lines.subList(1, lines.size());
        }
    }

    private Launched launch(String... flags) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.write(root.resolve("a.bin"), new byte[1000]);
        Path stdout = dir.resolve("stdout.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--root", root.toString(), "--host", "127.0.0.1", "--port", "0",
                "--shutdown-grace", "1"));
        command.addAll(List.of(flags));
        // To a file, not a pipe: the JDK may close a pipe under a reader when the process exits.
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(stdout.toFile()).start();
        String line = "";
        while (!line.endsWith("\n") && process.isAlive()) {
            Thread.sleep(20); // until the Listening line is complete (the class timeout bounds this)
            line = Files.readString(stdout);
        }
        if (!line.startsWith("Listening on http://127.0.0.1:")) {
            process.destroyForcibly();
            throw new AssertionError("launcher did not start: " + line);
        }
        int port = Integer.parseInt(line.replaceAll("(?s)^Listening on http://127\\.0\\.0\\.1:(\\d+)/.*", "$1"));
        return new Launched(process, stdout, port);
    }

    private static void requests(int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < REQUESTS; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/a.bin?n=" + i))
                    .header("User-Agent", "process-test").timeout(Duration.ofSeconds(10)).build();
            assertEquals(200, client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM on Linux
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running 30 s after SIGTERM");
        assertEquals(0, process.exitValue());
    }

    @Test
    void sigtermWritesEveryLineOfAFileLog() throws Exception {
        Path log = dir.resolve("logs").resolve("access.log");
        Files.createDirectories(log.getParent());
        Launched server = launch("--access-log", log.toString(), "--access-log-format", "combined");
        try {
            requests(server.port());
            stop(server.process());
            List<String> lines = Files.readAllLines(log);
            assertEquals(REQUESTS, lines.size(), String.join("\n", lines));
            assertTrue(lines.stream().allMatch(l -> l.matches(
                    "127\\.0\\.0\\.1 - - \\[[^]]+\\] \"GET /a\\.bin\\?n=\\d+ HTTP/1\\.1\" 200 1000 \"-\" \"process-test\"")),
                    lines.get(0));
        } finally {
            server.process().destroyForcibly();
        }
    }

    @Test
    void sigtermWritesEveryLineToStdoutByDefault() throws Exception {
        Launched server = launch();
        try {
            requests(server.port());
            stop(server.process());
            List<String> lines = server.rest();
            assertEquals(REQUESTS, lines.size(), String.join("\n", lines));
            assertTrue(lines.stream().allMatch(l -> l.matches("\\S+ 127\\.0\\.0\\.1:\\d+ GET /a\\.bin\\?n=\\d+ 200 1000 "
                    + "ttfb=\\S+ total=\\S+ rate=\\S+ ua=\"process-test\"")), lines.get(0));
        } finally {
            server.process().destroyForcibly();
        }
    }

    @Test
    void accessLogOffWritesNothing() throws Exception {
        Launched server = launch("--access-log", "off");
        try {
            requests(server.port());
            stop(server.process());
            assertEquals(List.of(), server.rest());
            try (var files = Files.list(dir.resolve("root"))) {
                assertEquals(List.of(dir.resolve("root").resolve("a.bin")), files.collect(Collectors.toList()));
            }
        } finally {
            server.process().destroyForcibly();
        }
    }
}
