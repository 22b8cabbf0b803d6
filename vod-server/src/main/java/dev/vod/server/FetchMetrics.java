package dev.vod.server;

import java.util.Locale;

/**
 * The three numbers {@code fetch} measures, plus the counts they are derived from.
 *
 * <ul>
 *   <li><b>startup delay</b>: from just before the first request is handed to the HTTP client (so it includes
 *       DNS, TCP connect, sending the request, the server's work and the response headers) to the moment the
 *       first body byte is read; for an empty body, to the end of the headers.
 *   <li><b>transfer time</b>: the same start to the last body byte, summed over every request of the download.
 *       Time spent paused is not counted, the startup delay is.
 *   <li><b>throughput</b>: body bytes received over the wire divided by the transfer time.
 * </ul>
 *
 * @param outcome {@code complete} or {@code stopped} (interactive {@code q})
 * @param bytes bytes in the output at the end
 * @param receivedBytes body bytes received over all requests; more than {@code bytes} when a changed file forced a
 *     restart from 0
 * @param requests HTTP requests sent
 * @param startupNanos startup delay in nanoseconds
 * @param transferNanos transfer time in nanoseconds
 */
record FetchMetrics(String outcome, long bytes, long receivedBytes, int requests, long startupNanos,
                    long transferNanos) {

    double startupDelayMillis() {
        return startupNanos / 1e6;
    }

    double transferTimeMillis() {
        return transferNanos / 1e6;
    }

    double throughputBytesPerSecond() {
        return transferNanos == 0 ? 0 : receivedBytes * 1e9 / transferNanos;
    }

    double throughputMegabitsPerSecond() {
        return throughputBytesPerSecond() * 8 / 1e6;
    }

    /** One {@code key=value} per line, in a fixed order, for scripts. */
    String keyValueLines() {
        return String.format(Locale.ROOT, """
                outcome=%s
                bytes=%d
                received_bytes=%d
                requests=%d
                startup_delay_ms=%.3f
                transfer_time_ms=%.3f
                throughput_bytes_per_s=%.0f
                throughput_mbit_per_s=%.3f
                """, outcome, bytes, receivedBytes, requests, startupDelayMillis(), transferTimeMillis(),
                throughputBytesPerSecond(), throughputMegabitsPerSecond());
    }

    /** One sentence for people, with no {@code =} in it so {@code grep =} keeps only the machine lines. */
    String humanLine(String destination) {
        return String.format(Locale.ROOT, "%s %s in %s (startup %s, %d request%s): %s/s, %.1f Mbit/s -> %s",
                outcome.equals("complete") ? "fetched" : "stopped after", humanBytes(bytes),
                humanMillis(transferTimeMillis()), humanMillis(startupDelayMillis()), requests,
                requests == 1 ? "" : "s", humanBytes((long) throughputBytesPerSecond()),
                throughputMegabitsPerSecond(), destination);
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 3.0 MiB}, ... (1024-based, like the launcher's size flags). */
    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String humanMillis(double millis) {
        return millis < 1000
                ? String.format(Locale.ROOT, "%.1f ms", millis)
                : String.format(Locale.ROOT, "%.2f s", millis / 1000);
    }
}
