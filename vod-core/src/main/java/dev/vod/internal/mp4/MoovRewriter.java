package dev.vod.internal.mp4;

import dev.vod.internal.body.Segment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * Writes a new {@code moov} from a parsed {@link Movie}: either cut to {@link TrackCut}s (a seek) or unchanged
 * but with every chunk offset moved (a virtual faststart).
 *
 * <p>Boxes it does not need to change ({@code stsd}, {@code hdlr}, {@code dinf}, {@code udta}, ...) are copied
 * byte for byte. Chunk offsets depend on the moov's own size, which depends on whether each track needs 64-bit
 * offsets; so offsets are first written as placeholders, the layout is settled (upgrading {@code stco} to
 * {@code co64} for any track whose offsets would pass 4 GiB), then the offsets are filled in.
 */
final class MoovRewriter {
    private static final long MAX_32 = 0xffffffffL;
    /** Smallest stco (entries) of a seek output produced lazily ({@link ChunkOffsetGenerator}) rather than written. */
    private static final int LAZY_OFFSETS = 1024;

    private final Movie movie;
    private final ByteBuffer in;
    private final Map<Track, TrackCut> cuts;
    private final Map<Track, ChunkPieces> pieces;
    private final LongUnaryOperator mapOffset;
    private final long bytesBefore;
    private final byte[] prefix;
    private final byte[] suffix;

    private final Map<Track, Boolean> wide = new IdentityHashMap<>();
    private final List<OffsetTable> offsetTables = new ArrayList<>();
    private BoxWriter out;

    private MoovRewriter(Movie movie, Map<Track, TrackCut> cuts, Map<Track, ChunkPieces> pieces,
                         LongUnaryOperator mapOffset, long bytesBefore, byte[] prefix, byte[] suffix) {
        this.movie = movie;
        this.in = movie.buffer();
        this.cuts = cuts;
        this.pieces = pieces;
        this.mapOffset = mapOffset;
        this.bytesBefore = bytesBefore;
        this.prefix = prefix;
        this.suffix = suffix;
    }

    /**
     * {@code before}, then a moov holding only the kept part of each cut track (tracks without a cut are
     * dropped), then {@code after}: the whole generated header of a seek output in one array.
     *
     * @param mapOffset source file offset of a kept chunk to its position relative to the first data byte
     * @param before    output bytes before the moov (the ftyp)
     * @param after     output bytes between the moov and the first data byte (the mdat header)
     */
    static List<Segment> cut(Movie movie, List<TrackCut> cuts, Map<Track, ChunkPieces> pieces,
                             LongUnaryOperator mapOffset, byte[] before, byte[] after) {
        Map<Track, TrackCut> byTrack = new IdentityHashMap<>();
        for (TrackCut c : cuts) {
            byTrack.put(c.track(), c);
        }
        return new MoovRewriter(movie, byTrack, pieces, mapOffset, 0, before, after).write().toSegments();
    }

    /** The same moov with each chunk offset {@code x} replaced by {@code bytesBefore + moovSize + mapOffset(x)}. */
    static byte[] relocate(Movie movie, LongUnaryOperator mapOffset, long bytesBefore) {
        Map<Track, ChunkPieces> pieces = new IdentityHashMap<>();
        for (Track t : movie.tracks()) {
            pieces.put(t, ChunkPieces.whole(t));
        }
        return new MoovRewriter(movie, null, pieces, mapOffset, bytesBefore, new byte[0], new byte[0]).write()
                .toByteArray();
    }

    private BoxWriter write() {
        build();
        long base = bytesBefore + out.length();
        long upgradedBase = base + 4L * totalChunks(); // the largest the moov can grow by upgrading every table
        boolean upgrade = false;
        for (OffsetTable table : offsetTables) {
            if (!table.wide && table.max + upgradedBase > MAX_32) {
                wide.put(table.track, true);
                upgrade = true;
            }
        }
        if (upgrade) {
            build();
            base = bytesBefore + out.length();
        }
        for (OffsetTable table : offsetTables) {
            fillOffsets(table, base);
        }
        return out;
    }

    /** Writes a table's final chunk offsets: {@code base} plus each piece's position in the output's data. */
    private void fillOffsets(OffsetTable table, long base) {
        ChunkPieces p = table.pieces;
        int i = 0;
        if (table.generator != null) {
            fillLazily(table, (DataLayout) mapOffset, base);
            return;
        }
        if (mapOffset instanceof DataLayout layout && p.sorted()) {
            // Pieces in file order fill the layout's ranges one after the other: within a range every offset
            // moves by the same amount, so this is one tight loop per range over the source chunk offsets.
            ChunkTable chunks = p.chunks();
            while (i < p.count()) {
                long source = p.offset(i);
                int range = layout.rangeOf(source);
                long shift = layout.shift(range) + base;
                long limit = layout.nextRangeStart(range);
                writeOffset(table, i++, source + shift);
                if (!table.wide && !chunks.wideOffsets()) { // the usual stco to stco: the tight loop
                    i += chunks.patchOffsets32(out, table.position + 4 * i, p.chunk(i), p.chunk(0) + p.count(),
                            shift, limit);
                    continue;
                }
                for (int chunk = p.chunk(i); i < p.count(); i++, chunk++) {
                    long next = chunks.chunkOffset(chunk); // a whole chunk: its piece starts where it does
                    if (next >= limit) {
                        break;
                    }
                    writeOffset(table, i, next + shift);
                }
            }
            return;
        }
        for (; i < p.count(); i++) {
            writeOffset(table, i, mapOffset.applyAsLong(p.offset(i)) + base);
        }
    }

    /** As the tight loop of {@link #fillOffsets}, but only the runs are noted: entries are made when sent. */
    private static void fillLazily(OffsetTable table, DataLayout layout, long base) {
        ChunkPieces p = table.pieces;
        ChunkTable chunks = p.chunks();
        ChunkOffsetGenerator generator = table.generator;
        generator.clear();
        int i = 0;
        while (i < p.count()) {
            long source = p.offset(i);
            int range = layout.rangeOf(source);
            long shift = layout.shift(range) + base;
            long limit = layout.nextRangeStart(range);
            generator.addRun(i, (int) (source + shift), (int) shift);
            i++;
            i += chunks.chunksBelow(p.chunk(i), p.chunk(0) + p.count(), limit);
        }
    }

    private void writeOffset(OffsetTable table, int i, long value) {
        if (table.wide) {
            out.patchLong(table.position + 8 * i, value);
        } else {
            out.patchInt(table.position + 4 * i, (int) value);
        }
    }

    private long totalChunks() {
        long total = 0;
        for (ChunkPieces p : pieces.values()) {
            total += p.count();
        }
        return total;
    }

    private void build() {
        // Per-thread scratch space: a seek writes megabytes for a long film; only the final copy is allocated.
        out = BoxWriter.scratch((int) Math.min(Integer.MAX_VALUE / 2, prefix.length + movie.size() + 1024));
        offsetTables.clear();
        out.write(prefix);
        int moov = out.begin(BoxTypes.MOOV);
        for (BoxHeader child : movie.children()) {
            if (child.type() == BoxTypes.MVHD && cuts != null) {
                out.copy(in, child);
                long duration = 0;
                for (TrackCut c : cuts.values()) {
                    duration = Math.max(duration, c.trackDuration());
                }
                patchDuration(child, out.length() - (int) child.size(), 16, 24, duration);
            } else if (child.type() == BoxTypes.TRAK) {
                Track track = trackAt(child);
                if (cuts == null || cuts.containsKey(track)) {
                    writeTrak(track);
                }
            } else {
                out.copy(in, child);
            }
        }
        out.end(moov);
        out.write(suffix);
    }

    private Track trackAt(BoxHeader trak) {
        for (Track t : movie.tracks()) {
            if (t.trak.offset() == trak.offset()) {
                return t;
            }
        }
        throw new IllegalStateException("unparsed trak " + trak);
    }

    private void writeTrak(Track track) {
        TrackCut cut = cuts == null ? null : cuts.get(track);
        int trak = out.begin(BoxTypes.TRAK);
        for (BoxHeader child : track.trakChildren) {
            if (child.type() == BoxTypes.TKHD) {
                out.copy(in, child);
                if (cut != null) {
                    patchDuration(child, out.length() - (int) child.size(), 20, 28, cut.trackDuration());
                    writeEdits(cut);
                }
            } else if (child.type() == BoxTypes.EDTS && cut != null) {
                continue; // replaced by the edit list written after tkhd
            } else if (child.type() == BoxTypes.MDIA) {
                writeMdia(track, cut);
            } else {
                out.copy(in, child);
            }
        }
        out.end(trak);
    }

    private void writeMdia(Track track, TrackCut cut) {
        int mdia = out.begin(BoxTypes.MDIA);
        for (BoxHeader child : track.mdiaChildren) {
            if (child.type() == BoxTypes.MDHD && cut != null) {
                out.copy(in, child);
                patchDuration(child, out.length() - (int) child.size(), 16, 24, cut.mediaDuration());
            } else if (child.type() == BoxTypes.MINF) {
                int minf = out.begin(BoxTypes.MINF);
                for (BoxHeader m : track.minfChildren) {
                    if (m.type() == BoxTypes.STBL) {
                        writeStbl(track, cut);
                    } else {
                        out.copy(in, m);
                    }
                }
                out.end(minf);
            } else {
                out.copy(in, child);
            }
        }
        out.end(mdia);
    }

    private void writeStbl(Track track, TrackCut cut) {
        int stbl = out.begin(BoxTypes.STBL);
        for (BoxHeader box : track.stblChildren) {
            int type = box.type();
            if (type == BoxTypes.STCO || type == BoxTypes.CO64) {
                writeChunkOffsets(track);
            } else if (cut == null) {
                out.copy(in, box);
            } else if (type == BoxTypes.STSD || type == BoxTypes.SGPD) {
                out.copy(in, box);
            } else if (type == BoxTypes.STSC) {
                SampleTableWriter.stsc(out, pieces.get(track));
            } else {
                SampleTableWriter.clipped(out, in, track, box, cut.firstSample(), cut.endSample());
            }
        }
        out.end(stbl);
    }

    private void writeChunkOffsets(Track track) {
        ChunkPieces p = pieces.get(track);
        boolean isWide = wide.getOrDefault(track, false);
        int box = out.beginFull(isWide ? BoxTypes.CO64 : BoxTypes.STCO, 0, 0);
        out.writeInt(p.count());
        OffsetTable table = new OffsetTable(track, out.length(), p, isWide);
        // The offsets are written once the moov's size is known; here only the largest is needed. Pieces in file
        // order map to increasing output positions, so the last one is the largest then.
        if (p.count() > 0 && p.sorted()) {
            table.max = mapOffset.applyAsLong(p.offset(p.count() - 1));
        } else {
            for (int i = 0; i < p.count(); i++) {
                table.max = Math.max(table.max, mapOffset.applyAsLong(p.offset(i)));
            }
        }
        ChunkTable chunks = p.chunks();
        if (cuts != null && !isWide && !chunks.wideOffsets() && mapOffset instanceof DataLayout && p.sorted()
                && p.count() >= LAZY_OFFSETS) {
            // A seek output's big table: produced only as far as a Range request reads it.
            table.generator = new ChunkOffsetGenerator(chunks.offsets32Table(), p.chunk(0), p.count());
            out.writeGenerated(4 * p.count(), table.generator);
        } else {
            out.skip(p.count() * (isWide ? 8 : 4));
        }
        offsetTables.add(table);
        out.end(box);
    }

    private void writeEdits(TrackCut cut) {
        boolean small = cut.emptyDelay() <= MAX_32 && cut.editDuration() <= MAX_32
                && cut.mediaStart() <= Integer.MAX_VALUE;
        int edts = out.begin(BoxTypes.EDTS);
        int elst = out.beginFull(BoxTypes.ELST, small ? 0 : 1, 0);
        out.writeInt(cut.emptyDelay() > 0 ? 2 : 1);
        if (cut.emptyDelay() > 0) {
            writeEdit(small, cut.emptyDelay(), -1);
        }
        writeEdit(small, cut.editDuration(), cut.mediaStart());
        out.end(elst);
        out.end(edts);
    }

    private void writeEdit(boolean small, long duration, long mediaTime) {
        if (small) {
            out.writeInt((int) duration);
            out.writeInt((int) mediaTime);
        } else {
            out.writeLong(duration);
            out.writeLong(mediaTime);
        }
        out.writeInt(0x00010000); // rate 1.0
    }

    /**
     * Overwrites the duration field of a copied mvhd/mdhd/tkhd at {@code copyAt}; the field is 32-bit at payload
     * offset {@code v0At} in version 0 boxes (saturated if the new duration does not fit), 64-bit at {@code v1At}.
     */
    private void patchDuration(BoxHeader box, int copyAt, int v0At, int v1At, long duration) {
        int version = MoovParser.version(in, box);
        int at = copyAt + box.headerSize() + (version == 1 ? v1At : v0At);
        if (box.payloadSize() < (version == 1 ? v1At + 8 : v0At + 4)) {
            throw Mp4Problems.malformed(box.name() + " box too short");
        }
        if (version == 1) {
            out.patchLong(at, duration);
        } else {
            out.patchInt(at, (int) Math.min(duration, MAX_32));
        }
    }

    /** A chunk offset table awaiting its final values. */
    private static final class OffsetTable {
        final Track track;
        final int position;
        final ChunkPieces pieces;
        final boolean wide;
        long max;
        /** Set when the entries are produced lazily instead of patched in. */
        ChunkOffsetGenerator generator;

        OffsetTable(Track track, int position, ChunkPieces pieces, boolean wide) {
            this.track = track;
            this.position = position;
            this.pieces = pieces;
            this.wide = wide;
        }
    }
}
