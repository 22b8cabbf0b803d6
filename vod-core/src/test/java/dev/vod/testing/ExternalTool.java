package dev.vod.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command-line client (curl, ffmpeg, ffprobe) to completion and captures what it printed. */
public final class ExternalTool {
    private ExternalTool() {
    }

    /** What one run did. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ", stderr: " + stderr.strip();
        }
    }

    /** The executable named {@code name} on the PATH, if any. */
    public static Path find(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Runs {@code command} with no standard input; kills it and fails after {@code timeout}. */
    public static Result run(Duration timeout, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                    new java.io.File("/dev/null"))).start();
            CompletableFuture<byte[]> out = drain(process.getInputStream());
            CompletableFuture<byte[]> err = drain(process.getErrorStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command.get(0) + " did not finish within " + timeout + ": " + command);
            }
            return new Result(process.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static Result run(Duration timeout, String... command) {
        return run(timeout, List.of(command));
    }

    /**
     * Runs {@code command} with {@code stdin} as its standard input, written from another thread and then closed
     * (a process that exits before reading it all just does not get the rest); kills it and fails after
     * {@code timeout}.
     */
    public static Result run(Duration timeout, byte[] stdin, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<byte[]> out = drain(process.getInputStream());
            CompletableFuture<byte[]> err = drain(process.getErrorStream());
            CompletableFuture<Void> in = CompletableFuture.runAsync(() -> {
                try (var pipe = process.getOutputStream()) {
                    pipe.write(stdin);
                } catch (IOException e) {
                    // the process closed its input early (it exited): its exit code and stderr tell why
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command.get(0) + " did not finish within " + timeout + ": " + command);
            }
            in.join();
            return new Result(process.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                in.transferTo(bytes);
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Runs ffmpeg or ffprobe ({@code tool}) at {@code -v error} (ffmpeg also with {@code -nostdin}, so that it never
     * waits on the test's stdin) with these arguments.
     */
    public static Result ff(Duration timeout, Path tool, String... args) {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(tool.toString(), "-v", "error"));
        if (tool.getFileName().toString().startsWith("ffmpeg")) {
            command.add("-nostdin");
        }
        command.addAll(java.util.List.of(args));
        return run(timeout, command);
    }

    /** {@link #ff}, which must exit 0 without a word on stderr; returns its stdout. */
    public static String ffQuietly(Duration timeout, Path tool, String... args) {
        Result r = ff(timeout, tool, args);
        org.junit.jupiter.api.Assertions.assertEquals(0, r.exitCode(), tool.getFileName() + " " + java.util.List.of(args)
                + ": " + r);
        org.junit.jupiter.api.Assertions.assertEquals("", r.stderr(), tool.getFileName() + " complained: "
                + java.util.List.of(args));
        return r.out();
    }
}
