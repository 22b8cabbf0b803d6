package dev.vod.testing;

import java.util.Random;

/**
 * An {@link S3Fixture} in a JVM of its own, for benchmarks that must not share the client's heap and JIT with the
 * server ({@code benchmarks/s3client.sh}). Puts {@code bench/big.bin} (the first argument in MiB, random bytes)
 * and {@code bench/small.bin} (1 KiB), prints {@code READY <endpoint> <bucket> <accessKey> <secretKey>}, and stops
 * when standard input reaches its end.
 */
public final class S3FixtureMain {
    static final String READY = "READY ";

    private S3FixtureMain() {
    }

    public static void main(String[] args) throws Exception {
        int mebibytes = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        Random random = new Random(1);
        byte[] big = new byte[mebibytes << 20];
        random.nextBytes(big);
        byte[] small = new byte[1024];
        random.nextBytes(small);
        try (S3Fixture s3 = new S3Fixture()) {
            s3.start();
            s3.put("bench/big.bin", big);
            s3.put("bench/small.bin", small);
            System.out.println(READY + s3.endpoint() + " " + s3.bucket() + " " + s3.accessKey() + " "
                    + s3.secretKey());
            System.out.flush();
            while (System.in.read() != -1) {
                // Wait for the parent to close our stdin (or to die).
            }
        }
    }
}
