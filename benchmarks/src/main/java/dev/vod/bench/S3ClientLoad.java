package dev.vod.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Which blocking HTTP client the AWS SDK should use under vod's S3 source: closed-loop 1 MiB ranged GETs of one
 * big object and HEADs of a small one, with each client at each concurrency, against an S3 server
 * ({@code benchmarks/s3client.sh} starts S3Proxy in a JVM of its own and runs this).
 *
 * <pre>
 * java -Daws.accessKeyId=KEY -Daws.secretAccessKey=SECRET -cp benchmarks/target/benchmarks.jar \
 *     dev.vod.bench.S3ClientLoad --endpoint http://127.0.0.1:PORT --bucket media \
 *     [--clients url-connection,apache,apache5] [--concurrency 1,16] [--duration 3] [--warmup 1] [--rounds 3] \
 *     [--warmup-rounds 1] [--server-pid PID]
 * </pre>
 *
 * <p>Every client is configured as vod's S3 source configures its own: 64 connections, 10 s timeouts, no SDK
 * retries, checksums only where required. Each round builds a fresh S3 client per HTTP client and rotates their
 * order, so none always runs first; warm-up rounds (not recorded) come first, for the JIT. With the server's PID,
 * each window also reports the server's CPU and the CPU of everything else on the machine, so a window that
 * another job disturbed can be seen. Prints one {@code RUN {...}} line per measured window and, at
 * the end, a markdown table of the medians over the rounds. Objects: {@code bench/big.bin} (a whole number of
 * MiB, read at random MiB-aligned offsets) and {@code bench/small.bin}.
 */
public final class S3ClientLoad {
    private static final int MIB = 1 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final S3Client s3;
    private final String bucket;
    private final long bigSize;
    private final long serverPid;

    private S3ClientLoad(S3Client s3, String bucket, long serverPid) {
        this.s3 = s3;
        this.bucket = bucket;
        this.serverPid = serverPid;
        this.bigSize = s3.headObject(b -> b.bucket(bucket).key("bench/big.bin")).contentLength();
    }

    /** Runs the rounds and prints the results; see the class comment for the flags. */
    public static void main(String[] args) throws Exception {
        URI endpoint = null;
        String bucket = "media";
        List<String> clients = List.of("url-connection", "apache", "apache5");
        int[] concurrencies = {1, 16};
        int seconds = 3;
        int warmupSeconds = 1;
        int rounds = 3;
        int warmupRounds = 1;
        long serverPid = -1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--endpoint" -> endpoint = URI.create(value);
                case "--bucket" -> bucket = value;
                case "--clients" -> clients = List.of(value.split(","));
                case "--concurrency" -> concurrencies = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt)
                        .toArray();
                case "--duration" -> seconds = Integer.parseInt(value);
                case "--warmup" -> warmupSeconds = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--warmup-rounds" -> warmupRounds = Integer.parseInt(value);
                case "--server-pid" -> serverPid = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (endpoint == null) {
            throw new IllegalArgumentException("--endpoint is required");
        }
        Map<String, List<Result>> byRow = new LinkedHashMap<>();
        // Warm-up rounds first (short windows, not recorded): the JVM's first minute of JIT would otherwise make
        // the first measured round of every client slower than the others.
        for (int round = -warmupRounds; round < rounds; round++) {
            boolean measured = round >= 0;
            for (int c = 0; c < clients.size(); c++) {
                String client = clients.get(Math.floorMod(c + round, clients.size()));
                try (S3Client s3 = s3Client(client, endpoint)) {
                    S3ClientLoad load = new S3ClientLoad(s3, bucket, serverPid);
                    for (String op : List.of("get", "head")) {
                        for (int concurrency : concurrencies) {
                            load.run(op, concurrency, warmupSeconds); // connections and JIT, not measured
                            if (!measured) {
                                continue;
                            }
                            Result result = load.run(op, concurrency, seconds);
                            System.out.printf(Locale.ROOT, "RUN {\"round\":%d,\"client\":\"%s\",\"op\":\"%s\","
                                            + "\"concurrency\":%d,\"ops_per_s\":%.1f,\"mib_per_s\":%.1f,"
                                            + "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"cpu_us_per_request\":%.0f,"
                                            + "\"server_cpu_pct\":%.0f,\"others_cpu_pct\":%.0f,\"errors\":%d}%n",
                                    round + 1, client, op, concurrency, result.opsPerSecond(), result.mibPerSecond(),
                                    result.p50Millis, result.p99Millis, result.cpuMicrosPerRequest,
                                    result.serverCpuPercent, result.othersCpuPercent, result.errors);
                            byRow.computeIfAbsent(client + "|" + op + "|" + concurrency, k -> new ArrayList<>())
                                    .add(result);
                        }
                    }
                }
            }
        }
        System.out.printf("%n| client | request | concurrency | requests/s | MiB/s | p50 latency (ms) | "
                + "p99 latency (ms) | client CPU per request (µs) | server CPU (%% of a core) | "
                + "others' CPU, max (%% of a core) | errors |%n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
        byRow.forEach((row, results) -> {
            String[] parts = row.split("\\|");
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %.0f | %.1f | %.2f | %.2f | %.0f | %.0f | %.0f | %d |%n",
                    parts[0], parts[1].equals("get") ? "GET 1 MiB range" : "HEAD", parts[2],
                    median(results, Result::opsPerSecond), median(results, Result::mibPerSecond),
                    median(results, r -> r.p50Millis), median(results, r -> r.p99Millis),
                    median(results, r -> r.cpuMicrosPerRequest), median(results, r -> r.serverCpuPercent),
                    results.stream().mapToDouble(r -> r.othersCpuPercent).max().orElse(0),
                    results.stream().mapToLong(r -> r.errors).sum());
        });
    }

    /** The SDK client as vod's S3 source builds it, over the named HTTP client. */
    private static S3Client s3Client(String name, URI endpoint) {
        SdkHttpClient.Builder<?> http = switch (name) {
            case "url-connection" -> UrlConnectionHttpClient.builder().connectionTimeout(TIMEOUT)
                    .socketTimeout(TIMEOUT);
            case "apache" -> ApacheHttpClient.builder().maxConnections(64).connectionTimeout(TIMEOUT)
                    .socketTimeout(TIMEOUT).connectionAcquisitionTimeout(TIMEOUT);
            case "apache5" -> Apache5HttpClient.builder().maxConnections(64).connectionTimeout(TIMEOUT)
                    .socketTimeout(TIMEOUT).connectionAcquisitionTimeout(TIMEOUT);
            default -> throw new IllegalArgumentException("unknown client " + name);
        };
        return S3Client.builder().httpClientBuilder(http).endpointOverride(endpoint).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(DefaultCredentialsProvider.builder().build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallTimeout(TIMEOUT).retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private Result run(String op, int concurrency, int seconds) throws InterruptedException {
        CpuSample before = CpuSample.take(serverPid);
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Worker worker = new Worker(op, deadline);
            workers.add(worker);
            worker.start();
        }
        long[] latencies = new long[0];
        long bytes = 0;
        long errors = 0;
        for (Worker worker : workers) {
            worker.join();
            int from = latencies.length;
            latencies = Arrays.copyOf(latencies, from + worker.count);
            System.arraycopy(worker.latencies, 0, latencies, from, worker.count);
            bytes += worker.bytes;
            errors += worker.errors;
        }
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        CpuSample after = CpuSample.take(serverPid);
        Arrays.sort(latencies);
        double clientCores = (after.clientNanos - before.clientNanos) / 1e9 / wallSeconds;
        double serverCores = (after.serverTicks - before.serverTicks) / CpuSample.TICKS / wallSeconds;
        double machineCores = (after.machineBusyTicks - before.machineBusyTicks) / CpuSample.TICKS / wallSeconds;
        return new Result(latencies.length, bytes, errors, wallSeconds, percentile(latencies, 50),
                percentile(latencies, 99), clientCores * wallSeconds * 1e6 / Math.max(1, latencies.length),
                serverPid < 0 ? Double.NaN : 100 * serverCores,
                serverPid < 0 ? Double.NaN : 100 * Math.max(0, machineCores - clientCores - serverCores));
    }

    private static double percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1L, (long) Math.ceil(percent / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static double median(List<Result> results, java.util.function.ToDoubleFunction<Result> metric) {
        double[] values = results.stream().mapToDouble(metric).sorted().toArray();
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /**
     * One measured window: requests completed, bytes of bodies read, wall seconds, latency percentiles, this
     * JVM's CPU time per request (the client's cost, which vod would pay on the cores it serves from), the
     * server's CPU, and the CPU of everything else on the machine: other jobs that would skew the window.
     */
    private record Result(long requests, long bytes, long errors, double seconds, double p50Millis,
                          double p99Millis, double cpuMicrosPerRequest, double serverCpuPercent,
                          double othersCpuPercent) {
        double opsPerSecond() {
            return requests / seconds;
        }

        double mibPerSecond() {
            return bytes / seconds / MIB;
        }
    }

    /**
     * CPU counters at one instant: the machine's busy time and the server's ({@code /proc}, in clock ticks of
     * 1/100 s, USER_HZ on Linux), and this JVM's.
     */
    private record CpuSample(long machineBusyTicks, long serverTicks, long clientNanos) {
        static final double TICKS = 100.0;

        static CpuSample take(long serverPid) {
            try {
                // cpu  user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait.
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < Math.min(cpu.length, 9); i++) {
                    busy += i == 4 || i == 5 ? 0 : Long.parseLong(cpu[i]);
                }
                long server = 0;
                if (serverPid > 0) {
                    String stat = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    server = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                }
                return new CpuSample(busy, server, CPU.getProcessCpuTime());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One closed-loop caller: a request, its whole answer, the next request. */
    private final class Worker extends Thread {
        private final String op;
        private final long deadline;
        private final byte[] buffer = new byte[64 * 1024];
        private long[] latencies = new long[1024];
        private int count;
        private long bytes;
        private long errors;

        Worker(String op, long deadline) {
            this.op = op;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            long chunks = bigSize / MIB;
            while (System.nanoTime() < deadline) {
                long begin = System.nanoTime();
                try {
                    if (op.equals("get")) {
                        long offset = ThreadLocalRandom.current().nextLong(chunks) * MIB;
                        String range = "bytes=" + offset + "-" + (offset + MIB - 1);
                        long read = 0;
                        try (InputStream body = s3.getObject(b -> b.bucket(bucket).key("bench/big.bin")
                                .range(range))) {
                            for (int n; (n = body.read(buffer)) > 0; ) {
                                read += n;
                            }
                        }
                        if (read != MIB) {
                            throw new IllegalStateException("read " + read + " bytes of a 1 MiB range");
                        }
                        bytes += read;
                    } else {
                        s3.headObject(b -> b.bucket(bucket).key("bench/small.bin"));
                    }
                } catch (RuntimeException | IOException e) {
                    errors++;
                    continue;
                }
                if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                }
                latencies[count++] = System.nanoTime() - begin;
            }
        }
    }
}
