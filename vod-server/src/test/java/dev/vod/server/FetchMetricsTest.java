package dev.vod.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FetchMetricsTest {
    private final FetchMetrics metrics =
            new FetchMetrics("complete", 2_000_000, 2_000_000, 1, 12_345_678, 500_000_000);

    @Test
    void keyValueLinesHaveAFixedOrderAndPlainNumbers() {
        assertEquals("""
                outcome=complete
                bytes=2000000
                received_bytes=2000000
                requests=1
                startup_delay_ms=12.346
                transfer_time_ms=500.000
                throughput_bytes_per_s=4000000
                throughput_mbit_per_s=32.000
                """, metrics.keyValueLines());
    }

    @Test
    void humanLineHasNoEqualsSign() {
        String line = metrics.humanLine("out.bin");
        assertEquals("fetched 1.9 MiB in 500.0 ms (startup 12.3 ms, 1 request): 3.8 MiB/s, 32.0 Mbit/s -> out.bin",
                line);
        assertFalse(line.contains("="));
    }

    @Test
    void zeroTransferTimeGivesZeroThroughput() {
        assertEquals(0, new FetchMetrics("stopped", 0, 0, 1, 0, 0).throughputBytesPerSecond());
    }

    @Test
    void throughputCountsEveryByteReceivedNotOnlyTheOnesKept() {
        FetchMetrics restarted = new FetchMetrics("complete", 1000, 3000, 2, 1_000_000, 1_000_000_000);
        assertEquals(3000, restarted.throughputBytesPerSecond(), 1e-9);
    }

    @ParameterizedTest
    @CsvSource({"0, 0 B", "1023, 1023 B", "1024, 1.0 KiB", "1536, 1.5 KiB", "1048576, 1.0 MiB",
        "3221225472, 3.0 GiB"})
    void humanBytesAre1024Based(long bytes, String expected) {
        assertEquals(expected, FetchMetrics.humanBytes(bytes));
    }
}
