package dev.vod.server;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Stdin for {@code fetch --interactive} in tests: {@link #send} queues a command line, {@link #end} is end of
 * input. Unlike a {@code PipedInputStream} it does not care which thread writes or whether that thread is still
 * alive, so the download's own listener can type the next command.
 */
final class CommandScript extends InputStream {
    private static final byte[] END = new byte[0];

    private final LinkedBlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    void send(String command) {
        lines.add((command + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void end() {
        lines.add(END);
    }

    @Override
    public synchronized int read() {
        if (ended) {
            return -1;
        }
        while (position == current.length) {
            try {
                current = lines.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            position = 0;
            if (current == END) {
                ended = true;
                return -1;
            }
        }
        return current[position++] & 0xff;
    }

    @Override
    public synchronized int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        int first = read(); // blocks for the next line, like a terminal
        if (first < 0) {
            return -1;
        }
        buffer[offset] = (byte) first;
        int count = 1;
        while (count < length && position < current.length) {
            buffer[offset + count++] = current[position++];
        }
        return count;
    }
}
