package dev.vod.internal.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a slice cache folder to one server: two processes (or two servers in one JVM) sharing one would delete each
 * other's slices as they arrive and count each other's bytes against their own limit. A lock on {@code .lock} in the
 * folder, taken at start and given back at close; the operating system drops it if the process dies.
 */
final class FolderLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir}, creating it if missing.
     *
     * @throws IOException when it cannot be created, or another server uses it
     */
    static FolderLock take(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot use the slice cache folder " + dir.toAbsolutePath() + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
        FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("the slice cache folder " + dir.toAbsolutePath()
                    + " is in use by another vod server; give each its own --cache-dir");
        }
        return new FolderLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock anyway
        }
    }
}
