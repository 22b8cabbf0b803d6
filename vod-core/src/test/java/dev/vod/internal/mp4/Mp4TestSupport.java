package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.body.Body;
import dev.vod.internal.body.Segment;
import dev.vod.internal.body.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Sample files, body materialisation, per-sample views of tracks and ffmpeg helpers shared by the MP4 tests. */
final class Mp4TestSupport {
    static final long MAX_MOOV = 64L * 1024 * 1024;

    private Mp4TestSupport() {
    }

    /** One of the sample files of the repository's {@code content/} folder. */
    static Path sample(String name) {
        Path p = Path.of("..", "content", name);
        assertTrue(Files.isRegularFile(p), "missing sample " + p.toAbsolutePath());
        return p;
    }

    static SourceFile sourceFile(Path path) {
        try {
            return new SourceFile(path.toRealPath(), Files.size(path), Files.getLastModifiedTime(path).toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Mp4Index.Parsed parse(Path path) {
        Mp4Index index = Mp4Index.read(sourceFile(path), MAX_MOOV);
        if (index instanceof Mp4Index.Broken b) {
            throw b.problem();
        }
        return assertInstanceOf(Mp4Index.Parsed.class, index);
    }

    /** The bytes of a generated segment ({@link Segment.Bytes} or {@link Segment.Generated}), materialised. */
    static byte[] generatedBytes(Segment s) {
        if (s instanceof Segment.Bytes b) {
            return b.data();
        }
        Segment.Generated g = (Segment.Generated) s;
        byte[] bytes = new byte[Math.toIntExact(g.length())];
        g.writeTo(0, bytes, 0, bytes.length);
        return bytes;
    }

    /** Writes a body's bytes to {@code target} (fine for the small outputs of tests). */
    static Path materialize(Body body, Path target) {
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Segment s : body.segments()) {
                if (s instanceof Segment.Bytes || s instanceof Segment.Generated) {
                    out.write(ByteBuffer.wrap(generatedBytes(s)));
                } else if (s instanceof Segment.FileSlice f) {
                    try (FileChannel in = FileChannel.open(f.file().path())) {
                        long done = 0;
                        while (done < f.length()) {
                            long n = in.transferTo(f.offset() + done, f.length() - done, out);
                            assertTrue(n > 0, "slice past the end of " + f.file().path());
                            done += n;
                        }
                    }
                }
            }
            assertEquals(body.length(), out.size(), "materialised length");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** One sample, expanded from the tables independently of the seek code's run arithmetic. */
    record Sample(long offset, long size, long dts, long duration, long ctsOffset, boolean sync) {
        long cts() {
            return dts + ctsOffset;
        }
    }

    /** Every sample of a track, in decode order, walking chunks and samples one by one. */
    static List<Sample> samples(Track track) {
        List<Sample> out = new ArrayList<>();
        long sample = 0;
        long dts = 0;
        for (int chunk = 0; chunk < track.chunks.chunkCount(); chunk++) {
            ChunkTable.Cursor c = track.chunks.chunkOf(sample);
            assertEquals(chunk, c.chunk(), "chunk walk");
            long offset = c.offset();
            for (long i = 0; i < c.samples(); i++, sample++) {
                long size = track.sizes.size(sample);
                long duration = track.times.duration(sample);
                boolean sync = track.syncSamples == null || track.syncSamples.isSync(sample);
                out.add(new Sample(offset, size, dts, duration, track.compositionOffset(sample), sync));
                offset += size;
                dts += duration;
            }
        }
        assertEquals(track.sampleCount(), out.size(), "samples walked");
        return out;
    }

    /** A whole (test-sized) file. */
    static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path file, long offset, long size) {
        try (FileChannel in = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(size));
            BoxReader.readFully(in, b, offset);
            return b.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- ffmpeg ----

    static boolean hasFfmpeg() {
        return Files.isExecutable(Path.of("/usr/bin/ffmpeg")) && Files.isExecutable(Path.of("/usr/bin/ffprobe"));
    }

    /** Result of running a tool: exit code and combined output. */
    record Run(int exit, String output) {
    }

    static Run run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Run(p.exitValue(), new String(output, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Decodes the whole file; asserts ffmpeg reports no error. */
    static void assertDecodesCleanly(Path file) {
        Run r = run(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(), "-f", "null", "-"));
        assertEquals(0, r.exit(), r.output());
        assertEquals("", r.output(), "ffmpeg errors decoding " + file);
    }

    /** ffprobe's format duration in seconds. */
    static double probeDuration(Path file) {
        Run r = run(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                file.toString()));
        assertEquals(0, r.exit(), r.output());
        return Double.parseDouble(r.output());
    }

    /** Presentation time (s) of the first video packet as ffprobe reports it. */
    static double probeFirstVideoPts(Path file) {
        Run r = run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pts_time",
                "-read_intervals", "%+#1", "-of", "csv=p=0", file.toString()));
        assertEquals(0, r.exit(), r.output());
        return Double.parseDouble(r.output().lines().findFirst().orElseThrow().replace(",", ""));
    }
}
