package dev.vod.internal.mp4;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.body.Body;
import dev.vod.internal.body.Representation;
import dev.vod.internal.body.Segment;
import dev.vod.internal.body.SourceFile;
import java.util.List;
import java.util.Optional;

/**
 * The virtual faststart layout of a file whose moov follows its media data: the boxes up to the ftyp, the moov
 * with every chunk offset moved by the moov's size, then everything else in its original order — all file
 * slices except the moov. Players can start before downloading the whole file, and Range/HEAD apply to this
 * layout like to any body.
 */
final class Faststart {
    private Faststart() {
    }

    /** Empty when the file is fragmented or its moov already precedes all media data. */
    static Optional<Representation> build(SourceFile file, String contentType, Mp4Index.Parsed index) {
        Optional<Body> body = index.faststart().get();
        if (body == null) {
            try {
                body = layout(file, index); // racing threads compute the same body; either copy may be kept
            } catch (HttpProblem problem) {
                body = Optional.empty(); // chunk offsets that do not fit the layout: serve the file as it is
            }
            index.faststart().compareAndSet(null, body);
        }
        return body.map(b -> new Representation(b, contentType, SeekOutput.etag(file, "fs"), file.lastModified()));
    }

    private static Optional<Body> layout(SourceFile file, Mp4Index.Parsed index) {
        if (index.fragmented()) {
            return Optional.empty();
        }
        BoxHeader moov = index.moovBox();
        boolean mediaBeforeMoov = false;
        for (BoxHeader box : index.topLevel()) {
            mediaBeforeMoov |= box.type() == BoxTypes.MDAT && box.offset() < moov.offset();
        }
        if (!mediaBeforeMoov) {
            return Optional.empty();
        }
        long prefixEnd = index.ftyp() != null ? index.ftyp().end() : 0;
        long gap = moov.offset() - prefixEnd;
        byte[] relocated = MoovRewriter.relocate(index.movie(), offset -> {
            if (offset >= prefixEnd && offset < moov.offset()) {
                return offset - prefixEnd;
            }
            if (offset >= moov.end() && offset <= file.size()) {
                return gap + offset - moov.end();
            }
            throw Mp4Problems.malformed("chunk offset " + offset + " is outside the media data");
        }, prefixEnd);
        return Optional.of(Body.of(List.of(
                new Segment.FileSlice(file, 0, prefixEnd),
                new Segment.Bytes(relocated),
                new Segment.FileSlice(file, prefixEnd, gap),
                new Segment.FileSlice(file, moov.end(), file.size() - moov.end()))));
    }
}
