package dev.vod.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time read from {@code /proc} (Linux) by {@link LiveViewers} itself at both ends of each measured window, so
 * the figures cover exactly the window (no script sampling around a process):
 *
 * <ul>
 *   <li><b>server</b> ({@code --server-pid}): utime + stime (fields 14 and 15 of {@code /proc/PID/stat}) of the
 *       process and of every process under it (nginx: its master and workers);</li>
 *   <li><b>its JIT compiler</b> and <b>GC</b>: the same fields of the server's own threads
 *       ({@code /proc/PID/task/TID/stat}) by name: {@code C1 Compi…}/{@code C2 Compi…} (HotSpot's compiler
 *       threads), {@code G1 …}, {@code GC Thread…}, {@code VM Thread} (its collector); 0 for a server that is not a
 *       JVM;</li>
 *   <li><b>publisher</b> ({@code --publisher-pid}), the same way as the server;</li>
 *   <li><b>machine</b>: the busy time of all CPUs ({@code /proc/stat}: user, nice, system, irq, softirq, steal),
 *       from which {@code others} = machine − server − publisher − this JVM;</li>
 *   <li><b>client</b>: this JVM's own CPU time (viewers, watcher, loops).</li>
 * </ul>
 *
 * Limits: the kernel counts in clock ticks ({@code getconf CLK_TCK}, usually 10 ms), so a figure is good to a
 * tick per thread and process; a process or thread that ends inside a window takes its time with it (HotSpot
 * starts and stops extra compiler threads as it needs them: the JIT figure is a lower bound).
 */
final class LiveCpu {
    /** Readings at one instant; ticks, except clientNanos. Per-thread maps: TID → ticks. */
    record Sample(long epochMillis, long nanos, long server, Map<Long, Long> compiler, Map<Long, Long> gc,
                  long publisher, long machine, long clientNanos) {
    }

    /** One window in seconds of CPU; NaN for what was not asked for (no --server-pid, no --publisher-pid). */
    record Figures(double wall, double server, double jit, double gc, double publisher, double machine,
                   double client, double others) {
    }

    private final long serverPid;
    private final long publisherPid;
    private final double secondsPerTick;

    /** @param serverPid 0 for none, and so for publisherPid */
    LiveCpu(long serverPid, long publisherPid) {
        this.serverPid = serverPid;
        this.publisherPid = publisherPid;
        this.secondsPerTick = 1.0 / clockTicks();
    }

    Sample sample() {
        long millis = System.currentTimeMillis();
        long nanos = System.nanoTime();
        Map<Long, long[]> table = serverPid > 0 || publisherPid > 0 ? processes() : Map.of();
        long server = serverPid > 0 ? treeTicks(table, serverPid) : 0;
        Map<Long, Long> compiler = new HashMap<>();
        Map<Long, Long> gc = new HashMap<>();
        if (serverPid > 0) {
            threads(serverPid, compiler, gc);
        }
        long publisher = publisherPid > 0 ? treeTicks(table, publisherPid) : 0;
        long client = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        return new Sample(millis, nanos, server, compiler, gc, publisher, machineTicks(), client);
    }

    Figures between(Sample a, Sample b) {
        double wall = (b.nanos() - a.nanos()) / 1e9;
        double client = (b.clientNanos() - a.clientNanos()) / 1e9;
        double machine = (b.machine() - a.machine()) * secondsPerTick;
        double nan = Double.NaN;
        double server = serverPid > 0 ? (b.server() - a.server()) * secondsPerTick : nan;
        double publisher = publisherPid > 0 ? (b.publisher() - a.publisher()) * secondsPerTick : nan;
        double jit = serverPid > 0 ? grown(a.compiler(), b.compiler()) * secondsPerTick : nan;
        double gc = serverPid > 0 ? grown(a.gc(), b.gc()) * secondsPerTick : nan;
        double others = serverPid > 0 && publisherPid > 0 ? Math.max(0, machine - server - publisher - client) : nan;
        return new Figures(wall, server, jit, gc, publisher, machine, client, others);
    }

    /** What the threads of {@code b} used since {@code a}: a thread new since then counts whole. */
    private static long grown(Map<Long, Long> a, Map<Long, Long> b) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : b.entrySet()) {
            sum += Math.max(0, e.getValue() - a.getOrDefault(e.getKey(), 0L));
        }
        return sum;
    }

    /** Every process: PID → {parent PID, utime + stime}. */
    private static Map<Long, long[]> processes() {
        Map<Long, long[]> table = new HashMap<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : proc) {
                long[] stat = stat(p.resolve("stat"));
                if (stat != null) {
                    table.put(Long.parseLong(p.getFileName().toString()), new long[] {stat[0], stat[1]});
                }
            }
        } catch (IOException e) {
            return table;
        }
        return table;
    }

    /** The ticks of {@code pid} and every process under it. */
    private static long treeTicks(Map<Long, long[]> table, long pid) {
        Map<Long, List<Long>> children = new HashMap<>();
        for (Map.Entry<Long, long[]> e : table.entrySet()) {
            children.computeIfAbsent(e.getValue()[0], k -> new ArrayList<>()).add(e.getKey());
        }
        long sum = 0;
        ArrayDeque<Long> todo = new ArrayDeque<>(List.of(pid));
        while (!todo.isEmpty()) {
            long p = todo.poll();
            long[] row = table.get(p);
            if (row != null) {
                sum += row[1];
            }
            todo.addAll(children.getOrDefault(p, List.of()));
        }
        return sum;
    }

    private static void threads(long pid, Map<Long, Long> compiler, Map<Long, Long> gc) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks) {
                String text = read(t.resolve("stat"));
                if (text == null || text.indexOf('(') < 0) {
                    continue;
                }
                String name = text.substring(text.indexOf('(') + 1, text.lastIndexOf(')'));
                long tid = Long.parseLong(t.getFileName().toString());
                if (name.startsWith("C1 Compi") || name.startsWith("C2 Compi")) {
                    compiler.put(tid, ticks(text));
                } else if (name.startsWith("G1 ") || name.startsWith("GC Thread") || name.startsWith("VM Thread")) {
                    gc.put(tid, ticks(text));
                }
            }
        } catch (IOException e) {
            // the server is gone: nothing to count
        }
    }

    /** {parent PID, utime + stime} of one stat file, or null. */
    private static long[] stat(Path file) {
        String text = read(file);
        if (text == null || text.lastIndexOf(')') < 0) {
            return null;
        }
        String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12])};
    }

    /** utime + stime: fields 14 and 15, counted after the command name (which may hold spaces and parentheses). */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long machineTicks() {
        String text = read(Path.of("/proc/stat"));
        if (text == null || !text.startsWith("cpu ")) {
            return 0;
        }
        String[] f = text.substring(0, text.indexOf('\n')).trim().split(" +");
        long busy = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system (idle iowait) irq softirq steal
            busy += i < f.length ? Long.parseLong(f[i]) : 0;
        }
        return busy;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1); // any byte: a thread name may be UTF-8
        } catch (IOException | RuntimeException e) {
            return null; // gone meanwhile
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream()) {
                long ticks = Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
                return ticks > 0 ? ticks : 100;
            }
        } catch (IOException | RuntimeException e) {
            return 100; // Linux's USER_HZ nearly everywhere
        }
    }
}
