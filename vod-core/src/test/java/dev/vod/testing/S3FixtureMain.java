package dev.vod.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An {@link S3Fixture} in a JVM of its own, for benchmarks that must not share the client's heap and JIT with the
 * server ({@code benchmarks/s3client.sh}, {@code benchmarks/source.sh}). Two forms:
 *
 * <pre>
 * S3FixtureMain [MIB]                          bench/big.bin (MIB MiB of random bytes, default 64) and bench/small.bin (1 KiB)
 * S3FixtureMain --put KEY=FILE [--put ...]     only these objects, each with the bytes of a local file
 * S3FixtureMain --put-list LIST [--put ...]     the same, one KEY=FILE a line of the file LIST (tens of thousands
 *                                              of objects would not fit a command line)
 * </pre>
 *
 * <p>Either way it prints {@code READY <endpoint> <bucket> <accessKey> <secretKey>} once the objects are in, and
 * stops when standard input reaches its end or the JVM is told to stop (TERM), deleting the store's folder either
 * way. The second form puts files of any size without holding them in the heap.
 */
public final class S3FixtureMain {
    static final String READY = "READY ";

    private S3FixtureMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String[]> files = new ArrayList<>();
        Integer mebibytes = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--put") && i + 1 < args.length) {
                files.add(keyAndFile(args[++i]));
            } else if (args[i].equals("--put-list") && i + 1 < args.length) {
                for (String line : Files.readAllLines(Path.of(args[++i]))) {
                    if (!line.isBlank()) {
                        files.add(keyAndFile(line.strip()));
                    }
                }
            } else {
                mebibytes = Integer.parseInt(args[i]);
            }
        }
        if (mebibytes != null && !files.isEmpty()) {
            throw new IllegalArgumentException("either MIB (random objects) or --put KEY=FILE, not both");
        }
        S3Fixture s3 = new S3Fixture();
        // Closed by a hook, so that a TERM (a benchmark's clean-up) deletes the store's folder too, not only the
        // end of stdin: the objects put may be gigabytes.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                s3.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "s3-fixture-close"));
        s3.start();
        if (files.isEmpty()) {
            putRandom(s3, mebibytes != null ? mebibytes : 64);
        }
        for (String[] keyAndFile : files) {
            s3.put(keyAndFile[0], Path.of(keyAndFile[1]));
        }
        System.out.println(READY + s3.endpoint() + " " + s3.bucket() + " " + s3.accessKey() + " " + s3.secretKey());
        System.out.flush();
        while (System.in.read() != -1) {
            // Wait for the parent to close our stdin (or to die).
        }
        System.exit(0); // S3Proxy's threads would keep the JVM alive; the hook closes the fixture
    }

    private static String[] keyAndFile(String argument) {
        String[] keyAndFile = argument.split("=", 2);
        if (keyAndFile.length != 2 || !Files.isRegularFile(Path.of(keyAndFile[1]))) {
            throw new IllegalArgumentException("--put wants KEY=FILE with an existing file: " + argument);
        }
        return keyAndFile;
    }

    private static void putRandom(S3Fixture s3, int mebibytes) {
        Random random = new Random(1);
        byte[] big = new byte[mebibytes << 20];
        random.nextBytes(big);
        byte[] small = new byte[1024];
        random.nextBytes(small);
        s3.put("bench/big.bin", big);
        s3.put("bench/small.bin", small);
    }
}
