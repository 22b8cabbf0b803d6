package dev.vod.internal.source;

import dev.vod.SliceCacheSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Settings, objects and reading helpers shared by the slice cache tests. */
final class SliceTestSupport {
    /** The smallest slice there is, so that tests move little data. */
    static final int SLICE = 64 * 1024;

    private SliceTestSupport() {
    }

    /** A cache in {@code dir} of {@value #SLICE}-byte slices holding at most {@code slices} of them. */
    static SliceCacheSettings settings(Path dir, int slices) {
        return new SliceCacheSettings(dir, SLICE, (long) slices * SLICE, Duration.ofSeconds(5));
    }

    /** Random bytes, the same for the same seed. */
    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] range(byte[] all, long offset, int length) {
        return Arrays.copyOfRange(all, (int) offset, (int) offset + length);
    }

    /** All {@link Slice#length()} bytes of {@code slice}, once they are there. */
    static byte[] read(Slice slice) throws IOException {
        slice.awaitAvailable(slice.length());
        return readAvailable(slice);
    }

    /** The bytes {@code [0, available())} of {@code slice}, read through its channel. */
    static byte[] readAvailable(Slice slice) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(slice.available());
        while (buffer.hasRemaining()) {
            if (slice.channel().read(buffer, buffer.position()) < 0) {
                throw new IOException("slice file shorter than available()");
            }
        }
        return buffer.array();
    }

    /** The files under {@code dir} whose names end with {@code suffix}. */
    static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The complete slice files under {@code dir}. */
    static List<Path> sliceFiles(Path dir) {
        return files(dir, "").stream().filter(p -> !p.getFileName().toString().endsWith(".part")).toList();
    }
}
