package dev.vod.bench;

import dev.vod.internal.content.RequestPath;
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
 * Decoding and normalising the request path: done once per request, before any file is touched.
 *
 * <p>PENDING: lives in {@code src/pending/java} (not compiled) until {@code dev.vod.internal.content.RequestPath}
 * is merged; then move it to {@code src/main/java}. All inputs are valid paths, so the benchmark measures the
 * accepting path, not exception construction.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RequestPath</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestPathBenchmark {
    /** A short plain path, a deep one, and one with percent-encoded spaces and UTF-8. */
    @Param({
        "/sample.mp4",
        "/videos/2024/06/channel/episodes/season-2/episode-17/1080p/video.mp4",
        "/movies/The%20Matrix%20%281999%29/Mus%C3%A9e%20d%27Orsay%20part%201.mp4"
    })
    public String rawPath;

    @Benchmark
    public Object parse() {
        return RequestPath.parse(rawPath);
    }
}
