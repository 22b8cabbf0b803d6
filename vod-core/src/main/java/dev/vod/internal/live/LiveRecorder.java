package dev.vod.internal.live;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one publish into {@code DIR/NAME[-RENDITION]-yyyyMMdd-HHmmss.mp4}: the init segment and every fragment,
 * as a fragmented MP4 — which vod serves, seeks and packages like any other file. It is written as
 * {@code .mp4.part} and renamed when the publish ends, so a half-written recording is never served as a title.
 * Writes happen on one background thread (an event loop must not wait for a disk); if the disk falls more than
 * 256 fragments behind, the recording stops with a WARN rather than hold memory.
 */
final class LiveRecorder {
    private static final Logger log = LoggerFactory.getLogger("vod.live");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path part;
    private final Path done;
    private final ExecutorService writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(256), r -> {
                Thread t = new Thread(r, "vod-live-record");
                t.setDaemon(true);
                return t;
            });
    private FileChannel file;
    private volatile boolean failed;

    LiveRecorder(Path dir, String channel, String rendition) {
        String base = channel + (rendition.equals(LiveChannel.MAIN) ? "" : "-" + rendition) + "-"
                + LocalDateTime.now().format(STAMP);
        this.done = dir.resolve(base + ".mp4");
        this.part = dir.resolve(base + ".mp4.part");
    }

    void init(byte[] bytes) {
        submit(() -> {
            if (file == null) {
                Files.createDirectories(part.getParent());
                file = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                write(java.nio.ByteBuffer.wrap(bytes));
            }
        });
    }

    void fragment(ByteBuf data) {
        ByteBuf copy = data.retainedDuplicate();
        if (!submit(() -> {
            try {
                if (file != null) {
                    write(copy.nioBuffer());
                }
            } finally {
                copy.release();
            }
        })) {
            copy.release();
        }
    }

    private void write(java.nio.ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            file.write(bytes);
        }
    }

    /** Ends the recording: closes and renames it into place. */
    void finish() {
        submit(() -> {
            if (file != null) {
                file.close();
                file = null;
                Files.move(part, done, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.info("live recording {}", done);
            }
        });
        writer.shutdown();
    }

    private interface Io {
        void run() throws IOException;
    }

    private boolean submit(Io task) {
        if (failed) {
            return false;
        }
        try {
            writer.execute(() -> {
                if (failed) {
                    return;
                }
                try {
                    task.run();
                } catch (IOException e) {
                    failed = true;
                    log.warn("live recording {} stopped: {}", part, e.toString());
                }
            });
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (!writer.isShutdown()) {
                failed = true;
                log.warn("live recording {} stopped: the disk cannot keep up", part);
            }
            return false;
        }
    }
}
