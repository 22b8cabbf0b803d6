package dev.vod.internal.body;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a response sends: an immutable list of {@link Segment}s and their total length.
 *
 * <p>A plain file is one file slice; a multipart/byteranges answer interleaves generated boundary blocks with
 * slices; an MP4 seek output is a generated header (ftyp + moov + mdat header) followed by file slices. Any byte
 * range of any of them is {@link #slice(long, long)}, so ranges need no special case per kind of body.
 */
public final class Body {
    private static final Body EMPTY = new Body(List.of(), 0);

    private final List<Segment> segments;
    private final long length;

    private Body(List<Segment> segments, long length) {
        this.segments = segments;
        this.length = length;
    }

    /** A body made of these segments, in order. Empty segments are dropped. */
    public static Body of(List<? extends Segment> segments) {
        List<Segment> kept = new ArrayList<>(segments.size());
        long total = 0;
        for (Segment s : segments) {
            if (s.length() > 0) {
                kept.add(s);
                total = Math.addExact(total, s.length());
            }
        }
        return kept.isEmpty() ? EMPTY : new Body(List.copyOf(kept), total);
    }

    /** A body made of these segments, in order. */
    public static Body of(Segment... segments) {
        return of(List.of(segments));
    }

    /** The whole of a file; built once per file snapshot ({@link SourceFile#wholeBody()}). */
    public static Body ofFile(SourceFile file) {
        return file.wholeBody();
    }

    /** What {@link SourceFile#wholeBody()} caches: one slice of all of the file (none when it is empty). */
    static Body buildWhole(SourceFile file) {
        return file.size() == 0 ? EMPTY : new Body(List.of(new Segment.FileSlice(file, 0, file.size())), file.size());
    }

    /** Generated UTF-8 text (an HTML page, an error message). */
    public static Body ofText(String text) {
        return of(new Segment.Bytes(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The empty body. */
    public static Body empty() {
        return EMPTY;
    }

    public List<Segment> segments() {
        return segments;
    }

    public long length() {
        return length;
    }

    /**
     * The bytes {@code [offset, offset + count)} of this body, as a body of (sub-)segments.
     *
     * @throws IndexOutOfBoundsException when the window is not inside this body
     */
    public Body slice(long offset, long count) {
        if (offset < 0 || count < 0 || offset + count > length || offset + count < 0) {
            throw new IndexOutOfBoundsException("window " + offset + "+" + count + " of " + length);
        }
        if (offset == 0 && count == length) {
            return this;
        }
        List<Segment> out = new ArrayList<>();
        long segmentStart = 0;
        long end = offset + count;
        for (Segment s : segments) {
            long segmentEnd = segmentStart + s.length();
            if (segmentEnd > offset && segmentStart < end) {
                long from = Math.max(offset, segmentStart) - segmentStart;
                long to = Math.min(end, segmentEnd) - segmentStart;
                out.add(s.slice(from, to - from));
            }
            if (segmentEnd >= end) {
                break;
            }
            segmentStart = segmentEnd;
        }
        return of(out);
    }

    @Override
    public String toString() {
        return "Body[" + length + " bytes in " + segments.size() + " segments]";
    }
}
