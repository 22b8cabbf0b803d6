package dev.vod.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Open file descriptors and their limit, read from {@code /proc} (Linux). */
public final class Descriptors {
    private Descriptors() {
    }

    /** Whether {@code /proc/self/fd} can be read here. */
    public static boolean available() {
        return Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** Descriptors open in this JVM. */
    public static long open() {
        return open("self");
    }

    /** Descriptors open in process {@code pid}. */
    public static long open(long pid) {
        return open(Long.toString(pid));
    }

    private static long open(String process) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", process, "fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Descriptors of this JVM that point at deleted files (a file removed while open and never closed). */
    public static long openDeletedFiles() {
        long count = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().endsWith(" (deleted)")) {
                        count++;
                    }
                } catch (IOException gone) {
                    // closed between listing and reading: not open any more
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    /**
     * Descriptors of this JVM open on files whose path contains {@code part}, e.g. a cache folder's name: what a
     * bounded cache of open files holds, to be told apart from a leak.
     */
    public static long openOn(String part) {
        long count = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().contains(part)) {
                        count++;
                    }
                } catch (IOException gone) {
                    // closed between listing and reading: not open any more
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    /** The soft limit on open files of this JVM ({@code ulimit -n} as the JVM raised it). */
    public static long softLimit() {
        return softLimit("self");
    }

    /** The soft limit on open files of process {@code pid}. */
    public static long softLimit(long pid) {
        return softLimit(Long.toString(pid));
    }

    private static long softLimit(String process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", process, "limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
            throw new IllegalStateException("no 'Max open files' in /proc/" + process + "/limits");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
