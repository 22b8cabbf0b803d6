package dev.vod.internal.mp4;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.body.Body;
import dev.vod.internal.body.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What parsing a file once tells every later request about it; this is what {@link Mp4Cache} keeps.
 *
 * <p>Outcomes are values, failures included, so a broken or hostile file is parsed once, not once per request.
 */
sealed interface Mp4Index {

    /** Memory the entry holds, roughly, for the cache's byte budget. */
    long weight();

    /** Not an MP4/MOV (no plausible first box, or no moov): served as a plain file. */
    record NotMp4() implements Mp4Index {
        @Override
        public long weight() {
            return 64;
        }
    }

    /** An MP4 that cannot be processed; every seek on it answers with this problem. */
    record Broken(HttpProblem problem) implements Mp4Index {
        @Override
        public long weight() {
            return 256;
        }
    }

    /**
     * A parsed MP4.
     *
     * @param topLevel  the file's top-level boxes
     * @param ftyp      the ftyp box (file offsets), or null when the file has none
     * @param ftypBytes the ftyp box bytes (empty when none)
     * @param moovBox   the moov box (file offsets)
     * @param movie     the parsed moov
     * @param fragments fragment index when the file is fragmented, else null
     * @param faststart the virtual faststart body once built (it is the same for every request)
     */
    record Parsed(List<BoxHeader> topLevel, BoxHeader ftyp, byte[] ftypBytes, BoxHeader moovBox, Movie movie,
                  FragmentIndex fragments, AtomicReference<Optional<Body>> faststart) implements Mp4Index {
        @Override
        public long weight() {
            // moov bytes, the run indexes built over them, and room for a relocated copy (faststart)
            return moovBox.size() * 3 + movie.indexBytes() + ftypBytes.length + topLevel.size() * 48L
                    + (fragments == null ? 0 : fragments.size() * 16L);
        }

        boolean fragmented() {
            return fragments != null;
        }
    }

    /** Largest ftyp accepted; real ones list a handful of brands in a few dozen bytes. */
    int MAX_FTYP_BYTES = 64 * 1024;

    /** Parses {@code file}; never throws an {@link HttpProblem} (it becomes {@link Broken}). */
    static Mp4Index read(SourceFile file, long maxMoovBytes) {
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            if (channel.size() < file.size()) {
                return new Broken(Mp4Problems.malformed("file shrank since it was opened"));
            }
            return read(channel, file.size(), maxMoovBytes);
        } catch (HttpProblem problem) {
            return new Broken(problem);
        } catch (IOException | UncheckedIOException e) {
            return new Broken(new HttpProblem(500, "cannot read MP4 file"));
        } catch (IndexOutOfBoundsException | ArithmeticException | IllegalArgumentException
                 | BufferUnderflowException e) {
            // Safety net for a check we missed: hostile input must end as a clean 422.
            return new Broken(Mp4Problems.malformed("inconsistent boxes (" + e.getClass().getSimpleName() + ")"));
        }
    }

    private static Mp4Index read(FileChannel channel, long size, long maxMoovBytes) {
        List<BoxHeader> top = BoxReader.topLevel(channel, size);
        if (top == null) {
            return new NotMp4();
        }
        BoxHeader moov = BoxReader.find(top, BoxTypes.MOOV);
        if (moov == null) {
            return new NotMp4();
        }
        if (moov.size() > maxMoovBytes || moov.size() > Integer.MAX_VALUE - 64) {
            throw Mp4Problems.moovTooLarge(moov.size(), maxMoovBytes);
        }
        ByteBuffer moovBytes = ByteBuffer.allocate((int) moov.size());
        BoxReader.readFully(channel, moovBytes, moov.offset());
        Movie movie = MoovParser.parse(moovBytes.array());
        BoxHeader ftyp = BoxReader.find(top, BoxTypes.FTYP);
        if (ftyp != null && ftyp.offset() > moov.offset()) {
            ftyp = null; // an ftyp after the moov cannot lead the output
        }
        byte[] ftypBytes = new byte[0];
        if (ftyp != null) {
            if (ftyp.size() > MAX_FTYP_BYTES) {
                throw Mp4Problems.malformed("ftyp of " + ftyp.size() + " bytes");
            }
            ByteBuffer b = ByteBuffer.allocate((int) ftyp.size());
            BoxReader.readFully(channel, b, ftyp.offset());
            ftypBytes = b.array();
        }
        for (Track track : movie.tracks()) {
            checkChunksInside(track, size);
        }
        boolean hasMoof = BoxReader.find(top, BoxTypes.MOOF) != null;
        FragmentIndex fragments = movie.fragmented() && hasMoof ? FragmentIndex.build(channel, top, movie) : null;
        return new Parsed(List.copyOf(top), ftyp, ftypBytes, moov, movie, fragments, new AtomicReference<>());
    }

    /** Every chunk of the track must lie inside the file; checked once here so later requests can trust it. */
    private static void checkChunksInside(Track track, long fileSize) {
        if (track.chunks.chunkCount() == 0) {
            return;
        }
        ChunkTable.Cursor chunk = track.chunks.chunkOf(0);
        do {
            long offset = chunk.offset();
            long length = track.sizes.sum(chunk.firstSample(), chunk.firstSample() + chunk.samples());
            if (offset < 0 || length < 0 || offset > fileSize - length) {
                throw Mp4Problems.malformed("track " + track.trackId + " chunk " + (chunk.chunk() + 1)
                        + " lies outside the file");
            }
        } while (chunk.next());
    }
}
