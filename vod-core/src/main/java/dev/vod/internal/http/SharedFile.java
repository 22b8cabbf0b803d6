package dev.vod.internal.http;

import dev.vod.internal.body.SourceFile;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * One open file shared by every slice of one response (a multipart answer or an MP4 seek output may have many),
 * closed when the last user releases it: the response itself, and each file region or chunked reader still queued
 * in the channel. Reference counting is what guarantees the descriptor is closed on completion, on error and on
 * client abort alike.
 */
final class SharedFile extends AbstractReferenceCounted {
    private final FileChannel channel;

    private SharedFile(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Opens {@code file} and checks it is still at least as long as the response needs.
     *
     * @throws IOException when it cannot be opened or has shrunk since it was resolved
     */
    static SharedFile open(SourceFile file, long neededLength) throws IOException {
        FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < neededLength) {
                throw new IOException("file shrank to " + size + " bytes since it was resolved: " + file.path());
            }
            return new SharedFile(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    FileChannel channel() {
        return channel;
    }

    @Override
    protected void deallocate() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a read-only channel has nothing to flush; nothing useful to do.
        }
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        return this;
    }
}
