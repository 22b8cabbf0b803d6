package dev.vod.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same pause/resume checks as {@link FetchResumeTest}, against nginx: the client must work with any HTTP
 * server, not only ours. Starts {@code /usr/sbin/nginx} in the foreground with a throwaway configuration on a
 * loopback port; skipped where nginx is not installed.
 */
class FetchNginxTest {
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final long SIZE = FetchCommandTest.SIZE;
    private static final long PAUSE_AT = 256 * 1024;

    @TempDir
    Path dir;

    private Process nginx;
    private RecordingRelay relay;
    private Path source;
    private Path target;
    private String url;
    private final CommandScript stdin = new CommandScript();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void startNginx() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(NGINX), "nginx not installed at " + NGINX);
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.createDirectories(dir.resolve("temp"));
        source = www.resolve("big.bin");
        target = dir.resolve("big.bin");
        FetchRecorder.writeRandomFile(source, SIZE, 42);
        int port = freePort();
        Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/temp/body;
                    proxy_temp_path %1$s/temp/proxy;
                    fastcgi_temp_path %1$s/temp/fastcgi;
                    uwsgi_temp_path %1$s/temp/uwsgi;
                    scgi_temp_path %1$s/temp/scgi;
                    server {
                        listen 127.0.0.1:%2$d;
                        root %1$s/www;
                    }
                }
                """.formatted(dir, port));
        nginx = new ProcessBuilder(NGINX.toString(), "-e", dir.resolve("error.log").toString(), "-p", dir.toString(),
                "-c", dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile())
                .start();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        awaitListening(address);
        relay = new RecordingRelay(address);
        url = "http://127.0.0.1:" + relay.port() + "/big.bin";
    }

    @AfterEach
    void stopNginx() throws IOException, InterruptedException {
        stdin.end();
        if (relay != null) {
            relay.close();
        }
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening(InetSocketAddress address) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                throw new AssertionError("nginx exited: " + Files.readString(dir.resolve("nginx.out")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(address, 500);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nginx not listening on " + address + " within 10 s");
    }

    private int fetchInteractive(FetchRecorder recorder) {
        return FetchCommand.run(new String[] {url, "--interactive", "--no-progress", "-o", target.toString()}, stdin,
                new PrintStream(out, true), new PrintStream(err, true, StandardCharsets.UTF_8), recorder);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pauseThenPlayResumesFromNginxToAByteIdenticalFile() throws IOException {
        FetchRecorder recorder = FetchRecorder.pauseThenPlay(stdin, PAUSE_AT, () -> { });

        assertEquals(0, fetchInteractive(recorder), err());

        assertEquals(-1, Files.mismatch(source, target));
        List<String> heads = relay.requestHeads();
        assertEquals(2, heads.size(), heads.toString());
        assertEquals("bytes=" + recorder.pausedAt + "-", RecordingRelay.header(heads.get(1), "Range"));
        String ifRange = RecordingRelay.header(heads.get(1), "If-Range");
        assertTrue(ifRange != null && ifRange.matches("\"[^\"]+\""), "If-Range: " + ifRange);
        assertEquals(List.of(200, 206), recorder.statuses);
        Map<String, String> metrics = FetchCommandTest.metrics(out.toString(StandardCharsets.UTF_8));
        assertEquals(String.valueOf(SIZE), metrics.get("bytes"));
    }

    @Test
    void fileChangedOnNginxWhilePausedRestartsFromZero() throws IOException {
        Path changed = dir.resolve("changed.bin");
        FetchRecorder.writeRandomFile(changed, SIZE + 1000, 7);
        FetchRecorder recorder = FetchRecorder.pauseReplaceThenPlay(stdin, PAUSE_AT, changed, source);

        assertEquals(0, fetchInteractive(recorder), err());

        assertEquals(-1, Files.mismatch(changed, target));
        assertEquals(List.of(200, 200), recorder.statuses);
    }
}
