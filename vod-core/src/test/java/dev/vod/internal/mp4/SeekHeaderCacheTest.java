package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.body.Body;
import dev.vod.internal.body.Representation;
import dev.vod.internal.body.Segment;
import dev.vod.internal.body.SourceFile;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The cache of recent seek outputs: keyed by file and cuts, so starts snapping to one key frame share bytes. */
class SeekHeaderCacheTest {
    private static final SourceFile FILE = Mp4TestSupport.sourceFile(Mp4TestSupport.sample("sample.mp4"));

    private static Representation seek(Mp4Service service, SourceFile file, double start, boolean exact) {
        return service.seek(file, "video/mp4", new SeekRequest(start, Double.NaN, exact));
    }

    private static byte[] header(Representation r) {
        return ((Segment.Bytes) r.body().segments().get(0)).data();
    }

    @Test
    void startsSnappingToTheSameKeyFrameShareOneOutput() {
        Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 8);
        seek(service, FILE, 6.0, false); // the first request only leaves its key
        Representation a = seek(service, FILE, 6.5, false);
        Representation b = seek(service, FILE, 6.9, false);
        assertSame(header(a), header(b));
        assertEquals(a.body().segments(), b.body().segments());
        assertEquals(1, service.seekHeaders().size());
        assertNotEquals(a.etag(), b.etag(), "the tag still names the request");
    }

    @Test
    void aOneOffStartIsNotKept() {
        Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 8);
        Representation first = seek(service, FILE, 6.0, false);
        assertEquals(0, service.seekHeaders().size(), "random one-off starts must not churn the cache");
        Representation second = seek(service, FILE, 6.0, false);
        assertEquals(1, service.seekHeaders().size());
        assertNotSame(header(first), header(second));
        assertArrayEquals(header(first), header(second));
    }

    @Test
    void cachedOutputIsByteForByteWhatARewriteGives() {
        Mp4Service cached = new Mp4Service(Mp4TestSupport.MAX_MOOV, 8);
        Mp4Service uncached = new Mp4Service(Mp4TestSupport.MAX_MOOV, 8, Mp4Service.DEFAULT_CACHE_BYTES, 0);
        seek(cached, FILE, 4.2, false);
        Representation kept = seek(cached, FILE, 4.5, false);
        Representation hit = seek(cached, FILE, 4.9, false);
        assertSame(header(kept), header(hit));
        Representation fresh = seek(uncached, FILE, 4.9, false);
        assertArrayEquals(header(fresh), header(hit));
        assertEquals(fresh.body().segments().subList(1, fresh.body().segments().size()),
                hit.body().segments().subList(1, hit.body().segments().size()));
        assertEquals(0, uncached.seekHeaders().size());
    }

    @Test
    void exactStartsAreDifferentOutputs() {
        Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 8);
        seek(service, FILE, 6.5, false);
        seek(service, FILE, 6.5, true);
        Representation snapped = seek(service, FILE, 6.5, false);
        Representation exact = seek(service, FILE, 6.5, true);
        assertNotSame(header(snapped), header(exact));
        assertEquals(2, service.seekHeaders().size());
    }

    @Test
    void aModifiedFileDoesNotReuseOutputs() {
        Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 8);
        seek(service, FILE, 6, false);
        Representation before = seek(service, FILE, 6, false);
        SourceFile touched = new SourceFile(FILE.path(), FILE.size(), FILE.lastModified() + 1000);
        seek(service, touched, 6, false);
        Representation after = seek(service, touched, 6, false);
        assertNotSame(header(before), header(after));
        assertEquals(2, service.seekHeaders().size());
    }

    @Test
    void zeroIndexEntriesAlsoDisablesOutputCaching() {
        Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 0);
        assertNotSame(header(seek(service, FILE, 6, false)), header(seek(service, FILE, 6, false)));
        assertEquals(0, service.seekHeaders().size());
    }

    @Test
    void byteBudgetEvictsTheLeastRecentlyUsed() {
        Movie movie = Mp4TestSupport.parse(FILE.path()).movie();
        Track track = movie.tracks().get(0);
        SeekHeaderCache cache = new SeekHeaderCache(4000);
        int[] builds = {0};
        Supplier<Body> counting = () -> {
            builds[0]++;
            return Body.of(new Segment.Bytes(new byte[900])); // weighs 964: four fit in 4000
        };
        for (int first = 0; first < 5; first++) {
            for (int ask = 0; ask < 2; ask++) { // kept from the second request on
                cache.get(FILE, movie.tracks(), List.of(new TrackCut(track, first, 100, 0, 0, 1000)), counting);
            }
        }
        assertEquals(10, builds[0]);
        assertEquals(4, cache.size());
        assertTrue(cache.bytes() <= 4000, "bytes " + cache.bytes());
        cache.get(FILE, movie.tracks(), List.of(new TrackCut(track, 4, 100, 0, 0, 1000)), counting);
        assertEquals(10, builds[0], "the most recent is kept");
        cache.get(FILE, movie.tracks(), List.of(new TrackCut(track, 0, 100, 0, 0, 1000)), counting);
        assertEquals(11, builds[0], "the eldest was evicted");
    }

    @Test
    void anOutputOverAQuarterOfTheBudgetIsNotKept() {
        Mp4Service service = new Mp4Service(Mp4TestSupport.MAX_MOOV, 8, Mp4Service.DEFAULT_CACHE_BYTES, 1024);
        seek(service, FILE, 6, false);
        seek(service, FILE, 6, false);
        assertEquals(0, service.seekHeaders().size());
    }
}
