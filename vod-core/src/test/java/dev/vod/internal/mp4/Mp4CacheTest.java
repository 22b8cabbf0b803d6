package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.vod.internal.body.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The parsed-index cache: keyed by path, size and mtime; bounded; shared by threads. */
class Mp4CacheTest {
    private static final SeekRequest AT_6 = new SeekRequest(6, Double.NaN, false);

    private static SourceFile sample(String name) {
        return Mp4TestSupport.sourceFile(Mp4TestSupport.sample(name));
    }

    @Test
    void secondSeekOnTheSameFileDoesNotReparse() {
        Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 8);
        SourceFile file = sample("sample.mp4");
        service.seek(file, "video/mp4", AT_6);
        service.seek(file, "video/mp4", new SeekRequest(2, 4, true));
        service.faststart(file, "video/mp4");
        service.averageBitrate(file);
        assertEquals(1, service.parseCount());
    }

    @Test
    void aModifiedFileIsParsedAgain() {
        Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 8);
        SourceFile file = sample("sample.mp4");
        service.seek(file, "video/mp4", AT_6);
        SourceFile touched = new SourceFile(file.path(), file.size(), file.lastModified() + 1000);
        service.seek(touched, "video/mp4", AT_6);
        assertEquals(2, service.parseCount());
    }

    @Test
    void zeroEntriesDisablesTheCache() {
        Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 0);
        SourceFile file = sample("sample.mp4");
        service.seek(file, "video/mp4", AT_6);
        service.seek(file, "video/mp4", AT_6);
        assertEquals(2, service.parseCount());
    }

    @Test
    void leastRecentlyUsedEntryIsEvicted() {
        Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 2);
        SourceFile a = sample("sample.mp4");
        SourceFile b = sample("sample-moov-at-end.mp4");
        SourceFile c = sample("sample-fragmented.mp4");
        service.isMp4(a);
        service.isMp4(b);
        service.isMp4(a); // a is now the most recent
        service.isMp4(c); // evicts b
        assertEquals(3, service.parseCount());
        service.isMp4(a);
        service.isMp4(c);
        assertEquals(3, service.parseCount());
        service.isMp4(b);
        assertEquals(4, service.parseCount());
    }

    @Test
    void byteBudgetBoundsTheCache() {
        Mp4Cache cache = new Mp4Cache(100, 1000);
        Mp4Index entry = new Mp4Index.NotMp4();
        List<SourceFile> files = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            files.add(new SourceFile(Path.of("/f" + i), i, i));
            cache.get(files.get(i), f -> entry);
        }
        assertEquals(1000 / entry.weight(), cache.size(), "64-byte entries within a 1000-byte budget");
    }

    @Test
    void threadsShareOneCachedIndex() throws Exception {
        Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 8);
        SourceFile file = sample("sample.mp4");
        Mp4Index first = service.index(file);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Mp4Index>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> {
                    service.seek(file, "video/mp4", AT_6);
                    return service.index(file);
                }));
            }
            for (Future<Mp4Index> r : results) {
                assertSame(first, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, service.parseCount());
    }

    @Test
    void averageBitrateFromTheMoov() {
        Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 8);
        long progressive = service.averageBitrate(sample("sample.mp4")).orElseThrow();
        long fragmented = service.averageBitrate(sample("sample-fragmented.mp4")).orElseThrow();
        // ~600 kb/s video + 96 kb/s audio over 12 s
        assertEquals(690_000, progressive, 60_000);
        assertEquals(progressive, fragmented, 30_000, "fragment headers add a little");
        assertEquals(true, service.averageBitrate(sample("sample.webm")).isEmpty());
    }
}
