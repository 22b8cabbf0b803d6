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
     * Opens {@code file}. Its size is not checked again here (that would be one more system call per request):
     * if the file shrinks after it was resolved, the file region fails while sending and the connection is
     * closed, so the client sees a short body, never wrong bytes.
     *
     * @throws IOException when it cannot be opened
     */
    static SharedFile open(SourceFile file) throws IOException {
        return new SharedFile(FileChannel.open(file.path(), StandardOpenOption.READ));
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
