package dev.vod.bench;

import dev.vod.internal.range.RangeSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing a {@code Range} header against a file length: done once per range request, the hot path of players
 * and CDNs seeking in a video.
 *
 * <p>PENDING: lives in {@code src/pending/java} (not compiled) until {@code dev.vod.internal.range.RangeSpec} is
 * merged; then move it to {@code src/main/java}. It returns whatever {@code RangeSpec.parse} returns, so it
 * compiles whatever that type turns out to be.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RangeParse</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RangeParseBenchmark {
    private static final long LENGTH = 1L << 30;

    /** What clients send: a player's open-ended seek, a bounded 64 KiB read, a suffix, and a multi-range. */
    @Param({
        "bytes=734003200-",
        "bytes=734003200-734068735",
        "bytes=-500",
        "bytes=0-99, 200-299, 1000-1999, 5000-"
    })
    public String header;

    @Benchmark
    public Object parse() {
        return RangeSpec.parse(header, LENGTH);
    }
}
