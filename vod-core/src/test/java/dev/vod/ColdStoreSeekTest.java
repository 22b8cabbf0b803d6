package dev.vod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.Fixtures;
import dev.vod.testing.FolderSource;
import dev.vod.testing.RawHttp;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cold seek into an MP4 whose moov spans several slices fetches all of them at once, as soon as the parser has
 * read the moov's header, instead of one after another as its reads reach them: on a store where every fetch
 * takes a while, that is the time to first byte of a seek.
 */
class ColdStoreSeekTest {
    private static final int SLICE = 64 * 1024;
    /** The moov is made this much bigger by a {@code free} box inside it: about seven slices in all. */
    private static final int PADDING = 400 * 1024;

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aColdSeekFetchesTheSlicesOfItsMoovAtOnce(boolean faststart) throws Exception {
        Path root = Files.createDirectories(temp.resolve("root"));
        Path movie = root.resolve("big-moov.mp4");
        long moovOffset = writeMovieWithABigMoov(movie, faststart);
        long moovEnd = moovOffset + ByteBuffer.wrap(Files.readAllBytes(movie)).getInt((int) moovOffset);
        long moovSlices = (moovEnd - 1) / SLICE - moovOffset / SLICE + 1;
        assertTrue(moovSlices >= 6, "the moov spans " + moovSlices + " slices");
        String seek = RawHttp.get("/big-moov.mp4?start=1");

        byte[] expected;
        VodServer local = VodConfig.builder().root(root).host("127.0.0.1").port(0).buildServer();
        try {
            RawHttp.Response fromDisk = RawHttp.exchange(local.start(), seek);
            assertEquals(200, fromDisk.status());
            expected = fromDisk.body();
        } finally {
            local.close();
        }

        SlowSource slow = new SlowSource(new FolderSource(root), Duration.ofMillis(100));
        VodServer store = VodConfig.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ZERO)
                .source(SourceSettings.of(slow, SliceCacheSettings.in(temp.resolve("cache")).withSliceBytes(SLICE)
                        .withRevalidate(Duration.ofHours(1))))
                .buildServer();
        try {
            RawHttp.Response cold = RawHttp.exchange(store.start(), seek);
            assertEquals(200, cold.status());
            assertArrayEquals(expected, cold.body(), "the seek output is the local one");
        } finally {
            store.close();
        }
        // The moov's header is read from its first slice alone (with the ftyp, when the moov comes first); all the
        // others then start together, the last one too, although the header of the box after the moov lies in it.
        // A response's own media slices are fetched two at a time (the one it sends and the next).
        assertTrue(slow.mostAtOnce.get() >= moovSlices - 1, slow.mostAtOnce.get() + " fetches at once for a moov of "
                + moovSlices + " slices");
        for (long index = moovOffset / SLICE; index <= (moovEnd - 1) / SLICE; index++) {
            long offset = index * SLICE;
            assertEquals(1, slow.offsets.stream().filter(o -> o == offset).count(), "fetches of slice " + index);
        }
    }

    /**
     * Writes the fixture whose moov comes last with a {@code free} box of {@link #PADDING} bytes added to its moov,
     * which parsers skip, or (faststart) the same with the moov moved before the media by a local server's virtual
     * faststart; returns where the moov starts.
     */
    private long writeMovieWithABigMoov(Path target, boolean faststart) throws IOException {
        byte[] movie = Files.readAllBytes(Fixtures.repoContent().resolve("sample-moov-at-end.mp4"));
        long moov = moovOffset(movie);
        int moovSize = ByteBuffer.wrap(movie).getInt((int) moov);
        assertEquals(movie.length, moov + moovSize, "the moov is the last box");
        ByteBuffer out = ByteBuffer.allocate(movie.length + PADDING);
        out.put(movie).putInt((int) moov, moovSize + PADDING);
        out.putInt(PADDING).put("free".getBytes());
        Files.write(target, out.array());
        if (!faststart) {
            return moov;
        }
        VodServer rewriter = VodConfig.builder().root(target.getParent()).host("127.0.0.1").port(0)
                .mp4Faststart(true).buildServer();
        try {
            byte[] moovFirst = RawHttp.exchange(rewriter.start(), RawHttp.get("/" + target.getFileName())).body();
            Files.write(target, moovFirst);
            moov = moovOffset(moovFirst);
            assertTrue(moov < 100, "faststart: the moov comes first");
            return moov;
        } finally {
            rewriter.close();
        }
    }

    private static long moovOffset(byte[] movie) {
        ByteBuffer boxes = ByteBuffer.wrap(movie);
        long at = 0;
        while (boxes.getInt((int) at + 4) != ByteBuffer.wrap("moov".getBytes()).getInt()) {
            at += boxes.getInt((int) at);
        }
        return at;
    }

    /** A store where every read waits before its first byte, counting how many run at once at most. */
    private static final class SlowSource implements ContentSource {
        private final ContentSource inner;
        private final Duration firstByte;
        private final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final List<Long> offsets = new CopyOnWriteArrayList<>();

        SlowSource(ContentSource inner, Duration firstByte) {
            this.inner = inner;
            this.firstByte = firstByte;
        }

        @Override
        public InputStream read(String key, String etag, long offset, long length) throws IOException {
            offsets.add(offset);
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(firstByte.toMillis());
            } catch (InterruptedException e) {
                running.decrementAndGet();
                throw new InterruptedIOException();
            }
            return new FilterInputStream(inner.read(key, etag, offset, length)) {
                private boolean closed;

                @Override
                public void close() throws IOException {
                    if (!closed) {
                        closed = true;
                        running.decrementAndGet();
                    }
                    super.close();
                }
            };
        }

        @Override
        public Optional<ObjectInfo> stat(String key) throws IOException {
            return inner.stat(key);
        }

        @Override
        public Listing list(String folder, int limit) throws IOException {
            return inner.list(folder, limit);
        }

        @Override
        public void check() throws IOException {
            inner.check();
        }

        @Override
        public String describe() {
            return "slow " + inner.describe();
        }
    }
}
