package dev.vod.internal.live;

import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A copy of one live segment's bytes in a file on a RAM file system ({@code /dev/shm}), so that viewers get them
 * with sendfile, as nginx sends its HLS fragments: the kernel passes the file's pages to the socket, where a
 * buffer in the JVM is copied into the kernel once per viewer (that copy was 9% of vod's CPU samples with perf at
 * 500 live viewers of a 1 Mbit/s channel).
 *
 * <p>The file is unlinked as soon as it is open: nothing is left behind when the server stops or crashes, and no
 * path can be opened again later (no race between a viewer and an eviction). The segment holds one reference, the
 * publisher one while it appends, and every response in flight one ({@link #region}); the descriptor is closed
 * when the last is released. Appends come from the publisher's event loop only; regions are read by any.
 */
final class SpoolFile extends AbstractReferenceCounted {
    private final FileChannel channel;
    private long size;

    private SpoolFile(FileChannel channel) {
        this.channel = channel;
    }

    /** A new, empty spool file in {@code dir}, already unlinked. @throws IOException when it cannot be made */
    static SpoolFile create(Path dir) throws IOException {
        Path path = Files.createTempFile(dir, "vod-live-", ".m4s");
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } finally {
            Files.deleteIfExists(path);
        }
        return new SpoolFile(channel);
    }

    /**
     * Appends {@code data} (not released, its indexes unchanged) and returns the offset it starts at.
     * @throws IOException when the file system refuses it (full)
     */
    long append(ByteBuf data) throws IOException {
        long at = size;
        long position = at;
        for (ByteBuffer b : data.nioBuffers()) {
            while (b.hasRemaining()) {
                position += channel.write(b, position);
            }
        }
        size = position;
        return at;
    }

    /** {@code length} bytes from {@code offset}, as a file region that holds a reference to this file. */
    FileRegion region(long offset, long length) {
        retain();
        return new Region(this, offset, length);
    }

    @Override
    protected void deallocate() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // The file is already unlinked: closing frees it, there is nothing to flush or report.
        }
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        return this;
    }

    /**
     * A {@link DefaultFileRegion} over the shared channel (Netty's epoll and NIO transports send exactly this class
     * with sendfile) that releases its reference to the spool when done instead of closing the channel.
     */
    private static final class Region extends DefaultFileRegion {
        private final SpoolFile spool;

        Region(SpoolFile spool, long position, long count) {
            super(spool.channel, position, count);
            this.spool = spool;
        }

        @Override
        protected void deallocate() {
            spool.release();
        }
    }
}
