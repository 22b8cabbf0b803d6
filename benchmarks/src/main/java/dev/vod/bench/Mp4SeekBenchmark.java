package dev.vod.bench;

import dev.vod.internal.body.SourceFile;
import dev.vod.internal.mp4.Mp4Service;
import dev.vod.internal.mp4.SeekRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A warm MP4 seek ({@code ?start=}) on the 2-hour film of workload 6 (25 fps H.264 with B-frames + AAC, 4 MB
 * moov): the index is cached, so this is the per-request rewrite. {@code rewrite} seeks to random starts with the
 * seek output cache off; {@code repeatedStart} cycles over ten starts with it on (a player's follow-up ranges).
 *
 * <p>Uses {@code benchmarks/work/content/film.mp4} (made by {@code run.sh}) or {@code -Dvod.film=...}; otherwise
 * generates it with ffmpeg into a temporary folder (a few seconds).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar Mp4Seek</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Mp4SeekBenchmark {
    private static final int STARTS = 1024;

    private SourceFile film;
    private Mp4Service uncached;
    private Mp4Service cached;
    private final SeekRequest[] random = new SeekRequest[STARTS];
    private final SeekRequest[] repeated = new SeekRequest[10];
    private int next;

    @Setup
    public void setUp() throws IOException, InterruptedException {
        Path path = film();
        film = new SourceFile(path.toRealPath(), Files.size(path), Files.getLastModifiedTime(path).toMillis());
        uncached = new Mp4Service(64L << 20, 4, Mp4Service.DEFAULT_CACHE_BYTES, 0);
        cached = new Mp4Service(64L << 20, 4);
        Random r = new Random(42);
        for (int i = 0; i < STARTS; i++) {
            random[i] = new SeekRequest(Math.round(r.nextDouble() * 7_190_000) / 1000.0, Double.NaN, false);
        }
        for (int i = 0; i < repeated.length; i++) {
            repeated[i] = random[i];
        }
        uncached.seek(film, "video/mp4", random[0]); // parse once: the benchmark is about warm seeks
        cached.seek(film, "video/mp4", random[0]);
    }

    @Benchmark
    public Object rewrite() {
        return uncached.seek(film, "video/mp4", random[next++ & (STARTS - 1)]);
    }

    @Benchmark
    public Object repeatedStart() {
        return cached.seek(film, "video/mp4", repeated[next++ % repeated.length]);
    }

    private static Path film() throws IOException, InterruptedException {
        Path given = Path.of(System.getProperty("vod.film", "benchmarks/work/content/film.mp4"));
        if (Files.isRegularFile(given)) {
            return given;
        }
        Path dir = Files.createTempDirectory("vod-film");
        Path minute = dir.resolve("minute.mp4");
        Path film = dir.resolve("film.mp4");
        run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050", "-t", "60", "-c:v", "libx264",
                "-preset", "ultrafast", "-g", "50", "-bf", "2", "-c:a", "aac", "-b:a", "24k", "-ac", "1",
                minute.toString()));
        run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-stream_loop", "119", "-i", minute.toString(),
                "-c", "copy", "-t", "7200", "-movflags", "+faststart", film.toString()));
        return film;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("failed: " + String.join(" ", command));
        }
    }
}
