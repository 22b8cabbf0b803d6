package dev.vod;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ffmpeg as a live publisher for tests: a test pattern and a tone, encoded at real time, pushed with
 * {@code -method PUT} as fragmented MP4 — the command the docs give publishers.
 */
final class LivePublisher implements AutoCloseable {
    private final Process process;
    private final Path log;

    private LivePublisher(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts publishing {@code seconds} of 640x360 25 fps (key frame every 2 s) to {@code url}.
     *
     * @param fragmentMicros 0 for one fragment per GOP, else ffmpeg's {@code -frag_duration} (LL-HLS parts)
     */
    static LivePublisher start(Path ffmpeg, String url, int seconds, long fragmentMicros, String size)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg.toString(), "-v", "error", "-nostdin", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=25", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=44100", "-t", String.valueOf(seconds), "-c:v", "libx264",
                "-preset", "ultrafast", "-g", "50", "-sc_threshold", "0", "-b:v", "600k", "-c:a", "aac", "-f", "mp4",
                "-movflags", "frag_keyframe+empty_moov+default_base_moof"));
        if (fragmentMicros > 0) {
            cmd.addAll(List.of("-frag_duration", String.valueOf(fragmentMicros)));
        }
        cmd.addAll(List.of("-method", "PUT", url));
        Path log = java.nio.file.Files.createTempFile("vod-publisher", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        return new LivePublisher(pb.start(), log);
    }

    /** What ffmpeg printed (errors only: it runs with -v error). */
    String output() {
        try {
            return java.nio.file.Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Waits for ffmpeg to finish; its exit code, or -1 on timeout. */
    int await(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** Kills the publisher mid-stream (its TCP connection drops). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
        try {
            java.nio.file.Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temp file left behind
        }
    }
}
