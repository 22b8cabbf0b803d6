package dev.vod.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the launcher as a real process, because exit status on SIGTERM is only observable from outside. */
class SignalTest {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsTheServerWithStatusZero() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--root", dir.toString(), "--host", "127.0.0.1", "--port", "0",
                "--shutdown-grace", "1"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            String line = firstLine(process);
            String root = Pattern.quote(dir.toRealPath().toString());
            assertTrue(line.matches("Listening on http://127\\.0\\.0\\.1:[1-9]\\d*/ serving " + root), line);

            process.destroy(); // SIGTERM on Linux

            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running 30 s after SIGTERM");
            assertEquals(0, process.exitValue());
        } finally {
            process.destroyForcibly();
        }
    }

    private static String firstLine(Process process) throws IOException {
        BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        return line == null ? "<no output>" : line;
    }
}
