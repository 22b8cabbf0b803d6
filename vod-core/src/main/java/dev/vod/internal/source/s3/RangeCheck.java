package dev.vod.internal.source.s3;

import dev.vod.ContentSource.SourceException;
import dev.vod.ContentSource.SourceException.Kind;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the head of a ranged GET's answer is the answer to what was asked: the version asked for, and exactly
 * the bytes asked for. Pure logic on the three headers that decide it, so it is tested without a store:
 *
 * <pre>
 * asked:    Range: bytes=100-199, If-Match: "v1"
 * right:    206, ETag: "v1", Content-Range: bytes 100-199/5000, Content-Length: 100
 * CHANGED:  ETag: "v2" (a store that ignores If-Match), Content-Range: bytes 100-149/150 (shorter than vod knew)
 * UNAVAILABLE: no Content-Range on a part of the object (a store that ignores Range), or a length that
 *          contradicts the range
 * </pre>
 */
final class RangeCheck {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");

    private RangeCheck() {
    }

    /**
     * Throws when the answer is not bytes {@code [offset, offset + length)} of version {@code etag}.
     *
     * @param answerEtag    the answer's {@code ETag}, or null when it had none (then only the range is checked)
     * @param contentRange  its {@code Content-Range}, or null
     * @param contentLength its {@code Content-Length}, or null
     * @param where         the object, for the message ({@code s3://media/films/a.mp4})
     */
    static void verify(String answerEtag, String contentRange, Long contentLength, String etag, long offset,
                       long length, String where) throws SourceException {
        if (answerEtag != null && !S3ContentSource.quoted(answerEtag).equals(S3ContentSource.quoted(etag))) {
            throw new SourceException(Kind.CHANGED, where + ": changed (asked for " + etag + ", the store sent "
                    + S3ContentSource.quoted(answerEtag) + ")");
        }
        long last = offset + length - 1;
        if (contentRange == null) {
            // A whole-object answer is right only when the whole object is the range.
            if (offset == 0 && contentLength != null && contentLength == length) {
                return;
            }
            throw new SourceException(Kind.UNAVAILABLE, where + ": the store ignored Range: bytes=" + offset + "-"
                    + last);
        }
        Matcher range = CONTENT_RANGE.matcher(contentRange.trim());
        if (!range.matches()) {
            throw new SourceException(Kind.UNAVAILABLE, where + ": unreadable Content-Range '" + contentRange + "'");
        }
        if (Long.parseLong(range.group(1)) != offset || Long.parseLong(range.group(2)) != last) {
            throw new SourceException(Kind.CHANGED, where + ": changed (asked for bytes " + offset + "-" + last
                    + ", the store sent " + contentRange + ")");
        }
        if (contentLength != null && contentLength != length) {
            throw new SourceException(Kind.UNAVAILABLE, where + ": Content-Length " + contentLength
                    + " contradicts Content-Range " + contentRange);
        }
    }
}
