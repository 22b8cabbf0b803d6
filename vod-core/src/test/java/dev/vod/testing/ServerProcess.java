package dev.vod.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A vod server in a child JVM ({@link ServerProcessMain} on this test classpath), for tests that need the
 * server's descriptors apart from the client's: 10,000 connections are 20,000 descriptors when both ends live in
 * one process, more than a common {@code ulimit -n} of 20,000 leaves room for.
 *
 * <p>The child serves {@code root} on an ephemeral loopback port, prints it, and exits when its standard input
 * closes, so it cannot outlive the test JVM.
 */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a server over {@code root} and waits until it listens. */
    public static ServerProcess start(Path root) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"),
                ServerProcessMain.class.getName(), root.toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith(ServerProcessMain.READY)) {
            process.destroyForcibly();
            throw new IOException("server process did not start; it said: " + line);
        }
        return new ServerProcess(process, Integer.parseInt(line.substring(ServerProcessMain.READY.length()).trim()));
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Descriptors open in the server process right now. */
    public long openDescriptors() {
        return Descriptors.open(process.pid());
    }

    /** The server process's soft limit on open files. */
    public long descriptorLimit() {
        return Descriptors.softLimit(process.pid());
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
