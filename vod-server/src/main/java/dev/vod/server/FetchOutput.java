package dev.vod.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where fetched bytes go: a file, opened only once a response is good so a failed fetch leaves no empty file, or
 * stdout. A file can start over from byte 0 when the server's copy changed; stdout cannot take back what it wrote.
 */
abstract sealed class FetchOutput implements AutoCloseable {

    /** Creates the file if it is not there yet: called once a response is good, so even an empty body leaves one. */
    abstract void open() throws IOException;

    /** Appends {@code length} bytes of {@code buffer}. */
    abstract void write(byte[] buffer, int length) throws IOException;

    /** Drops everything written so far; false if this output cannot (stdout after the first byte). */
    abstract boolean restart() throws IOException;

    /** Makes what was written visible, e.g. before a pause. */
    abstract void flush() throws IOException;

    @Override
    public abstract void close() throws IOException;

    /** What the human metrics line names as the destination. */
    abstract String describe();

    static FetchOutput toFile(Path path) {
        return new ToFile(path);
    }

    static FetchOutput toStream(OutputStream stream) {
        return new ToStream(stream);
    }

    private static final class ToFile extends FetchOutput {
        private final Path path;
        private FileChannel channel;

        ToFile(Path path) {
            this.path = path;
        }

        @Override
        void open() throws IOException {
            if (channel == null) {
                channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            }
        }

        @Override
        void write(byte[] buffer, int length) throws IOException {
            open();
            ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, length);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }

        @Override
        boolean restart() throws IOException {
            if (channel != null) {
                channel.truncate(0);
                channel.position(0);
            }
            return true;
        }

        @Override
        void flush() {
            // FileChannel writes go straight to the file; nothing is buffered here
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }

        @Override
        String describe() {
            return path.toString();
        }
    }

    private static final class ToStream extends FetchOutput {
        private final OutputStream stream;
        private boolean written;

        ToStream(OutputStream stream) {
            this.stream = stream;
        }

        @Override
        void open() {
            // stdout is always open
        }

        @Override
        void write(byte[] buffer, int length) throws IOException {
            written |= length > 0;
            stream.write(buffer, 0, length);
        }

        @Override
        boolean restart() {
            return !written;
        }

        @Override
        void flush() throws IOException {
            stream.flush();
        }

        @Override
        public void close() throws IOException {
            stream.flush(); // never close stdout: the caller owns it
        }

        @Override
        String describe() {
            return "stdout";
        }
    }
}
