package dev.vod.internal.source;

import dev.vod.ContentSource;
import dev.vod.SliceCacheSettings;
import dev.vod.internal.NonBlocking;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content served from a {@link ContentSource} instead of a local folder: the entry point of this package. It puts
 * together the {@link SliceCache} (bytes on local disk), the {@link ObjectCatalog} (what the store holds, trusted
 * for the revalidation interval) and the {@link ObjectStoreFileSystem} whose {@link #root()} the rest of vod serves
 * like a folder, plus the worker threads that answer requests for it when they may block (a lookup or read that waits
 * on the store must not block an event loop; one that needs nothing from the store is answered on the event loop,
 * see {@link NonBlocking}).
 */
public final class RemoteContent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("vod.source");
    /** Requests answered at once; more wait in the queue, past it they get 503. */
    private static final int WORKERS = 64;
    private static final int QUEUED = 4096;
    private static final long HEALTH_VALID_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ContentSource source;
    private final SliceCache cache;
    private final ObjectStoreFileSystem fs;
    private final ThreadPoolExecutor workers;
    private final FolderLock lock;
    private volatile long healthCheckedAt;
    private volatile boolean healthy = true;
    private volatile boolean healthKnown;

    private RemoteContent(ContentSource source, SliceCache cache, ObjectStoreFileSystem fs, FolderLock lock) {
        this.lock = lock;
        this.source = source;
        this.cache = cache;
        this.fs = fs;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED), r -> {
                    Thread t = new Thread(r, "vod-source-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
    }

    /**
     * Opens the cache folder and serves {@code source} through it. Does not contact the store: a node starts even
     * while the store is down, and its health check says so.
     *
     * @throws IOException when the cache folder cannot be used
     */
    public static RemoteContent open(ContentSource source, SliceCacheSettings settings) throws IOException {
        SliceCache cache;
        FolderLock lock = FolderLock.take(settings.dir());
        try {
            cache = new SliceCache(settings, source);
        } catch (IOException e) {
            lock.close();
            throw new IOException("cannot use the slice cache folder " + settings.dir().toAbsolutePath() + ": "
                    + (e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.getClass().getSimpleName() + " " + e.getMessage()), e);
        }
        ObjectCatalog catalog = new ObjectCatalog(source, settings.revalidate().toNanos(), cache);
        return new RemoteContent(source, cache, new ObjectStoreFileSystem(catalog, cache), lock);
    }

    /** The root folder of the source, served like a local content root. */
    public Path root() {
        return fs.root();
    }

    /** Threads that answer requests for this content (they may block on the store). */
    public ExecutorService workers() {
        return workers;
    }

    public SliceCache cache() {
        return cache;
    }

    public ContentSource source() {
        return source;
    }

    /**
     * Whether the store answered its last check; checked at most once a second however often health is asked,
     * so a load balancer polling many nodes does not turn into requests to the store. Blocks for the check.
     */
    public boolean healthy() {
        long now = System.nanoTime();
        if (!healthKnown || now - healthCheckedAt >= HEALTH_VALID_NANOS) {
            if (NonBlocking.active()) {
                throw NonBlocking.wouldBlock(); // the check is a store call
            }
            synchronized (this) {
                if (!healthKnown || now - healthCheckedAt >= HEALTH_VALID_NANOS) {
                    boolean ok;
                    try {
                        source.check();
                        ok = true;
                    } catch (IOException | RuntimeException e) {
                        ok = false;
                        if (healthy || !healthKnown) {
                            log.error("content source {} is not reachable: {}", source.describe(), e.getMessage());
                        }
                    }
                    if (ok && healthKnown && !healthy) {
                        log.info("content source {} is reachable again", source.describe());
                    }
                    healthy = ok;
                    healthKnown = true;
                    healthCheckedAt = System.nanoTime();
                }
            }
        }
        return healthy;
    }

    @Override
    public void close() {
        workers.shutdownNow();
        cache.close();
        fs.close();
        source.close();
        lock.close();
    }

    @Override
    public String toString() {
        return source.describe();
    }
}
