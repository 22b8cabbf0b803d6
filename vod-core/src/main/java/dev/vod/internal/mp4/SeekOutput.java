package dev.vod.internal.mp4;

import dev.vod.internal.body.Body;
import dev.vod.internal.body.Representation;
import dev.vod.internal.body.Segment;
import dev.vod.internal.body.SourceFile;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the response body of a seek ({@code ?start=}/{@code ?end=}) from a parsed file.
 *
 * <p>Progressive file: {@code ftyp} + rewritten {@code moov} + {@code mdat} header, generated, then file slices
 * of the kept samples (see {@link DataLayout}). Fragmented file: {@code ftyp} and {@code moov} verbatim, then the
 * moof/mdat fragments from the one holding the start through the one holding the end, all as file slices.
 */
final class SeekOutput {
    private static final long MAX_32 = 0xffffffffL;

    private SeekOutput() {
    }

    static Representation build(SourceFile file, String contentType, Mp4Index.Parsed index, SeekRequest request,
                                SeekHeaderCache headers) {
        Body body;
        if (index.fragmented()) {
            body = fragmented(file, index, request);
        } else {
            Movie movie = index.movie();
            List<TrackCut> cuts = SeekPlanner.plan(movie, request);
            body = headers.get(file, movie.tracks(), cuts, () -> progressive(file, index, cuts));
        }
        return new Representation(body, contentType, etag(file, request.tag()), file.lastModified());
    }

    /** A strong tag derived from the file's: {@code "<file tag>-<suffix>"}. */
    static String etag(SourceFile file, String suffix) {
        String fileTag = file.etag();
        return fileTag.substring(0, fileTag.length() - 1) + "-" + suffix + "\"";
    }

    private static Body progressive(SourceFile file, Mp4Index.Parsed index, List<TrackCut> cuts) {
        Movie movie = index.movie();
        Map<Track, ChunkPieces> pieces = new IdentityHashMap<>();
        List<ChunkPieces> all = new ArrayList<>();
        for (TrackCut cut : cuts) {
            ChunkPieces p = ChunkPieces.of(cut, file.size());
            pieces.put(cut.track(), p);
            all.add(p);
        }
        DataLayout layout = DataLayout.of(all);
        BoxWriter mdat = new BoxWriter(16);
        if (layout.length() + 8 > MAX_32) {
            mdat.writeInt(1);
            mdat.writeInt(BoxTypes.MDAT);
            mdat.writeLong(layout.length() + 16);
        } else {
            mdat.writeInt((int) (layout.length() + 8));
            mdat.writeInt(BoxTypes.MDAT);
        }
        List<Segment> header = MoovRewriter.cut(movie, cuts, pieces, layout, index.ftypBytes(), mdat.toByteArray());
        List<Segment> segments = new ArrayList<>();
        segments.addAll(header);
        segments.addAll(layout.slices(file));
        return Body.of(segments);
    }

    private static Body fragmented(SourceFile file, Mp4Index.Parsed index, SeekRequest request) {
        FragmentIndex fragments = index.fragments();
        long timescale = fragments.timescale();
        long start = Timescales.fromMillis(request.startMillis(), timescale);
        if (fragments.endTime() >= 0 && start >= fragments.endTime()) {
            throw Mp4Problems.startOutOfRange(request.startMillis() / 1000.0,
                    Timescales.seconds(fragments.endTime(), timescale));
        }
        int first = fragments.unitAt(start);
        int last = fragments.size() - 1;
        if (request.hasEnd()) {
            last = Math.max(first, fragments.unitAt(Timescales.fromMillis(request.endMillis(), timescale) - 1));
        }
        List<Segment> segments = new ArrayList<>();
        BoxHeader ftyp = index.ftyp();
        BoxHeader moov = index.moovBox();
        if (ftyp != null && ftyp.end() == moov.offset()) {
            segments.add(new Segment.FileSlice(file, ftyp.offset(), moov.end() - ftyp.offset()));
        } else {
            if (ftyp != null) {
                segments.add(new Segment.FileSlice(file, ftyp.offset(), ftyp.size()));
            }
            segments.add(new Segment.FileSlice(file, moov.offset(), moov.size()));
        }
        long from = fragments.offset(first);
        segments.add(new Segment.FileSlice(file, from, fragments.end(last) - from));
        return Body.of(segments);
    }
}
