package dev.vod.internal.http;

import dev.vod.VodConfig;
import dev.vod.internal.body.Body;
import dev.vod.internal.body.Representation;
import dev.vod.internal.range.ByteRange;
import dev.vod.internal.range.MultipartByteranges;
import dev.vod.internal.range.RangeSpec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/**
 * Turns a {@link Representation} and the request's conditional and Range headers into a reply: validators and
 * caching headers, then 304/412 (RFC 9110 §13), then 200/206/multipart/416 (§14), then the per-response cap.
 *
 * <p>Range is ignored on HEAD, so HEAD answers with the headers of a plain GET. With a cap ({@code maxChunk}) a
 * larger body is answered 206 with its first {@code maxChunk} bytes, a range is shortened to the cap, and a
 * multi-range request is answered with its first range only, so no body ever exceeds the cap.
 */
final class RepresentationReply {
    private final long maxChunk;
    /** Longest max-age of a playlist or manifest: a title whose files change is seen changed this soon. */
    static final long PLAYLIST_MAX_AGE_SECONDS = 10;

    private final String cacheControl;
    private final String playlistCacheControl;

    RepresentationReply(VodConfig config) {
        this.maxChunk = config.maxChunk();
        this.cacheControl = config.cacheMaxAge() == null ? null : "max-age=" + config.cacheMaxAge().toSeconds();
        this.playlistCacheControl = config.cacheMaxAge() == null ? null
                : "max-age=" + Math.min(PLAYLIST_MAX_AGE_SECONDS, config.cacheMaxAge().toSeconds());
    }

    /** Playlists and manifests (HLS, DASH, manifest.txt): short-lived in caches, unlike the media they list. */
    static boolean isPlaylist(String contentType) {
        return contentType.startsWith("application/vnd.apple.mpegurl") || contentType.startsWith("application/dash+xml")
                || contentType.startsWith("text/plain");
    }

    Reply reply(HttpRequest request, Representation representation, boolean head) {
        HttpHeaders requestHeaders = request.headers();
        String etag = representation.etag();
        long lastModified = representation.lastModified();
        HttpHeaders headers = validatorHeaders(representation);

        Preconditions.Outcome outcome = Preconditions.evaluate(
                request.method().name(), name -> joined(requestHeaders, name), etag, lastModified);
        if (outcome == Preconditions.Outcome.NOT_MODIFIED) {
            return new Reply(HttpResponseStatus.NOT_MODIFIED, headers, Body.empty(), false, false);
        }
        if (outcome == Preconditions.Outcome.PRECONDITION_FAILED) {
            return sendUnlessHead(Reply.error(412, "a precondition failed", false), head);
        }

        headers.set(HttpHeaderNames.CONTENT_TYPE, representation.contentType());
        headers.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        Body body = representation.body();
        long length = body.length();

        String range = head ? null : requestHeaders.get(HttpHeaderNames.RANGE);
        if (range != null
                && Preconditions.ifRangeAllowsPartial(requestHeaders.get(HttpHeaderNames.IF_RANGE), etag, lastModified)) {
            RangeSpec spec = RangeSpec.parse(range, length);
            if (spec instanceof RangeSpec.Unsatisfiable) {
                Reply reply = Reply.error(416, "no requested range overlaps the " + length + "-byte representation",
                        false);
                reply.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + length);
                return reply;
            }
            if (spec instanceof RangeSpec.Satisfiable satisfiable) {
                List<ByteRange> ranges = satisfiable.ranges();
                if (ranges.size() == 1 || maxChunk > 0) {
                    return partial(headers, body, capped(ranges.get(0)), head);
                }
                MultipartByteranges.Multipart multipart =
                        MultipartByteranges.build(body, ranges, representation.contentType(), length);
                headers.set(HttpHeaderNames.CONTENT_TYPE, multipart.contentTypeHeader());
                return new Reply(HttpResponseStatus.PARTIAL_CONTENT, headers, multipart.body(), !head, false);
            }
        }
        if (maxChunk > 0 && length > maxChunk) {
            return partial(headers, body, new ByteRange(0, maxChunk - 1), head);
        }
        return new Reply(HttpResponseStatus.OK, headers, body, !head, false);
    }

    /** All lines of a header as one comma-separated value, as RFC 9110 §5.3 allows for list headers. */
    private static String joined(HttpHeaders headers, String name) {
        java.util.Iterator<String> values = headers.valueStringIterator(name);
        if (!values.hasNext()) {
            return null; // the common case
        }
        String first = values.next();
        if (!values.hasNext()) {
            return first; // one line: no list, no joining
        }
        return String.join(", ", headers.getAll(name)); // rare; getAll keeps the order the lines came in
    }

    private HttpHeaders validatorHeaders(Representation representation) {
        HttpHeaders headers = Reply.newHeaders();
        if (representation.etag() != null) {
            headers.set(HttpHeaderNames.ETAG, representation.etag());
        }
        if (representation.lastModified() >= 0) {
            headers.set(HttpHeaderNames.LAST_MODIFIED, HttpDates.format(representation.lastModified()));
        }
        if (representation.etag() == null) {
            // Generated pages (index listings) change with the directory: always revalidate.
            headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        } else if (cacheControl != null) {
            // Files and segments keep the configured max-age: a changed source gets a new ETag, so a cache that
            // revalidates after it never serves a mix. Playlists are capped short (see PLAYLIST_MAX_AGE_SECONDS).
            headers.set(HttpHeaderNames.CACHE_CONTROL,
                    isPlaylist(representation.contentType()) ? playlistCacheControl : cacheControl);
        }
        return headers;
    }

    private ByteRange capped(ByteRange range) {
        if (maxChunk > 0 && range.length() > maxChunk) {
            return new ByteRange(range.first(), range.first() + maxChunk - 1);
        }
        return range;
    }

    private static Reply partial(HttpHeaders headers, Body body, ByteRange range, boolean head) {
        headers.set(HttpHeaderNames.CONTENT_RANGE,
                "bytes " + range.first() + "-" + range.last() + "/" + body.length());
        return new Reply(HttpResponseStatus.PARTIAL_CONTENT, headers, body.slice(range.first(), range.length()),
                !head, false);
    }

    private static Reply sendUnlessHead(Reply reply, boolean head) {
        return head ? reply.withoutBody() : reply;
    }
}
