package dev.vod.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link FetchListener} for tests that records the requests a fetch sends and can drive an interactive fetch
 * deterministically: at the first progress report at or past {@code commandAt} bytes it types {@code command}
 * and holds the download thread until the command has taken effect, so the download notices it before reading
 * on; after a pause it runs {@code whilePaused} and then types {@code p}.
 */
class FetchRecorder implements FetchListener {
    final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    final List<Integer> statuses = new CopyOnWriteArrayList<>();
    volatile long pausedAt = -1;

    private final CommandScript stdin;
    private final long commandAt;
    private final String command;
    private final Runnable whilePaused;
    private final CountDownLatch commandApplied = new CountDownLatch(1);
    private boolean commandSent;

    /** Only records. */
    FetchRecorder() {
        this(null, Long.MAX_VALUE, null, () -> { });
    }

    FetchRecorder(CommandScript stdin, long commandAt, String command, Runnable whilePaused) {
        this.stdin = stdin;
        this.commandAt = commandAt;
        this.command = command;
        this.whilePaused = whilePaused;
    }

    /** Pauses once past {@code pauseAt}, runs {@code whilePaused}, then plays to the end. */
    static FetchRecorder pauseThenPlay(CommandScript stdin, long pauseAt, Runnable whilePaused) {
        return new FetchRecorder(stdin, pauseAt, "t", whilePaused);
    }

    /** Pauses once past {@code pauseAt}, replaces {@code source} with {@code replacement} while paused, then plays. */
    static FetchRecorder pauseReplaceThenPlay(CommandScript stdin, long pauseAt, java.nio.file.Path replacement,
                                              java.nio.file.Path source) {
        return pauseThenPlay(stdin, pauseAt, () -> {
            try {
                java.nio.file.Files.copy(replacement, source, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    /** Stops once past {@code stopAt}. */
    static FetchRecorder stopAt(CommandScript stdin, long stopAt) {
        return new FetchRecorder(stdin, stopAt, "q", () -> { });
    }

    @Override
    public void requestSent(int number, Map<String, String> headers) {
        requests.add(Map.copyOf(headers));
    }

    @Override
    public void responseReceived(int number, int status) {
        statuses.add(status);
    }

    @Override
    public void progress(long bytes, long total) {
        if (command != null && !commandSent && bytes >= commandAt) {
            commandSent = true;
            stdin.send(command);
            try {
                if (!commandApplied.await(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("command '" + command + "' not applied within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void stateChanged(PlayControls.State state) {
        if (state != PlayControls.State.PLAYING) {
            commandApplied.countDown();
        }
    }

    @Override
    public void paused(long bytes) {
        pausedAt = bytes;
        whilePaused.run();
        stdin.send("p");
    }

    /** Writes {@code bytes} bytes of seeded random data to {@code file}, without holding them all at once. */
    static void writeRandomFile(Path file, long bytes, long seed) throws IOException {
        java.util.Random random = new Random(seed);
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }
}
