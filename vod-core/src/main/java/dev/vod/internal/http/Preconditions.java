package dev.vod.internal.http;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Conditional requests (RFC 9110 §13): decides 304 / 412 / go on from the validators of what a 200 would send.
 *
 * <p>{@link #evaluate} follows the order of §13.2.2 exactly:
 * <ol>
 *   <li>{@code If-Match} present: false → 412. {@code *} is true (a representation exists); otherwise true only
 *       if a listed tag matches the current ETag by <em>strong</em> comparison (a weak tag never does; no current
 *       ETag → false).</li>
 *   <li>else {@code If-Unmodified-Since} present and valid, Last-Modified known: modified after it → 412.</li>
 *   <li>{@code If-None-Match} present: {@code *}, or a listed tag matching by <em>weak</em> comparison → 304 for
 *       GET and HEAD, 412 for other methods.</li>
 *   <li>else GET or HEAD with a valid {@code If-Modified-Since}, Last-Modified known: not modified since → 304.</li>
 *   <li>otherwise proceed (then If-Range / Range).</li>
 * </ol>
 * Dates compare at whole seconds (HTTP-dates have no fraction). Invalid dates are ignored, as RFC 9110 requires.
 * An {@code If-Modified-Since} later than the server's clock is ignored too (Apache does the same, RFC 2616 said
 * so): otherwise a client with a fast clock would keep getting 304 for a file that changed in the meantime.
 * A malformed entity-tag list matches nothing (so a garbled {@code If-Match} fails and a garbled
 * {@code If-None-Match} never yields 304).
 *
 * <p>The header function should return the field value, or {@code null} when absent, looking names up
 * case-insensitively (Netty's {@code HttpHeaders::get} does). For {@code If-Match} and {@code If-None-Match}, if a
 * client sends several field lines, joining them with {@code ", "} is the correct combined value; returning only
 * the first line just ignores the rest of the list.
 */
public final class Preconditions {

    /** What the conditional headers decide. */
    public enum Outcome {
        /** Conditions hold (or there are none): go on to Range and a 200/206. */
        PROCEED,
        /** 304 Not Modified (GET/HEAD only). */
        NOT_MODIFIED,
        /** 412 Precondition Failed. */
        PRECONDITION_FAILED
    }

    private Preconditions() {
    }

    /**
     * Evaluates the conditional headers of a request against the selected representation.
     *
     * @param method             request method, e.g. {@code GET} (case-sensitive, as methods are)
     * @param header             header value by name, {@code null} when absent
     * @param etag               current entity tag with quotes (e.g. {@code "5f3a-1e240"}), {@code null} if none
     * @param lastModifiedMillis current Last-Modified in epoch milliseconds, {@code -1} when unknown
     */
    public static Outcome evaluate(String method, Function<String, String> header, String etag,
                                   long lastModifiedMillis) {
        return evaluate(method, header, etag, lastModifiedMillis, System.currentTimeMillis());
    }

    /** As {@link #evaluate(String, Function, String, long)} at the given current time. */
    static Outcome evaluate(String method, Function<String, String> header, String etag, long lastModifiedMillis,
                            long nowMillis) {
        boolean lastModifiedKnown = lastModifiedMillis != -1;
        String ifMatch = header.apply("If-Match");
        if (ifMatch != null) {
            if (!listMatches(ifMatch, etag, true)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            long since = HttpDates.parse(header.apply("If-Unmodified-Since"));
            if (since != HttpDates.INVALID && lastModifiedKnown && seconds(lastModifiedMillis) > seconds(since)) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        boolean getOrHead = method.equals("GET") || method.equals("HEAD");
        String ifNoneMatch = header.apply("If-None-Match");
        if (ifNoneMatch != null) {
            if (listMatches(ifNoneMatch, etag, false)) {
                return getOrHead ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
            }
        } else if (getOrHead && lastModifiedKnown) {
            long since = HttpDates.parse(header.apply("If-Modified-Since"));
            if (since != HttpDates.INVALID && seconds(since) <= seconds(nowMillis)
                    && seconds(lastModifiedMillis) <= seconds(since)) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * Whether a Range may be honoured given {@code If-Range} (RFC 9110 §13.1.5); when false, send the whole
     * representation with 200. True when the header is absent; for an entity tag, true only if it strongly matches
     * the current one (a weak tag never does); for an HTTP-date, true only if it equals Last-Modified to the
     * second and Last-Modified is a strong validator — at least a second old (§8.8.2.2), since a file could change
     * twice within one second. Anything unparseable is false.
     *
     * @param ifRange            the If-Range header value, {@code null} when absent
     * @param etag               current entity tag with quotes, {@code null} if none
     * @param lastModifiedMillis current Last-Modified in epoch milliseconds, {@code -1} when unknown
     */
    public static boolean ifRangeAllowsPartial(String ifRange, String etag, long lastModifiedMillis) {
        return ifRangeAllowsPartial(ifRange, etag, lastModifiedMillis, System.currentTimeMillis());
    }

    /** As {@link #ifRangeAllowsPartial(String, String, long)} at the given current time. */
    static boolean ifRangeAllowsPartial(String ifRange, String etag, long lastModifiedMillis, long nowMillis) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("W/") || value.startsWith("\"")) {
            List<EntityTag> tags = EntityTag.parseList(value);
            EntityTag current = EntityTag.parse(etag);
            return tags != null && tags.size() == 1 && current != null && tags.get(0).strongMatch(current);
        }
        long date = HttpDates.parse(value);
        return date != HttpDates.INVALID && lastModifiedMillis != -1
                && seconds(date) == seconds(lastModifiedMillis)
                && seconds(lastModifiedMillis) < seconds(nowMillis);
    }

    /** If-Match / If-None-Match: {@code *}, or any listed tag matching the current one. */
    private static boolean listMatches(String field, String etag, boolean strong) {
        if (field.strip().equals("*")) {
            return true;
        }
        EntityTag current = EntityTag.parse(etag);
        List<EntityTag> tags = EntityTag.parseList(field);
        if (current == null || tags == null) {
            return false;
        }
        for (EntityTag tag : tags) {
            if (strong ? tag.strongMatch(current) : tag.weakMatch(current)) {
                return true;
            }
        }
        return false;
    }

    private static long seconds(long millis) {
        return Math.floorDiv(millis, 1000);
    }

    /**
     * An entity-tag: {@code "xyzzy"} or weak {@code W/"xyzzy"} (RFC 9110 §8.8.3).
     *
     * @param weak   whether it has the {@code W/} prefix
     * @param opaque the characters between the quotes
     */
    record EntityTag(boolean weak, String opaque) {

        /** Same opaque tag and neither weak (§8.8.3.2). */
        boolean strongMatch(EntityTag other) {
            return !weak && !other.weak && opaque.equals(other.opaque);
        }

        /** Same opaque tag, weak or not. */
        boolean weakMatch(EntityTag other) {
            return opaque.equals(other.opaque);
        }

        /** One entity-tag, or {@code null} when {@code value} is null or not exactly one tag. */
        static EntityTag parse(String value) {
            if (value == null) {
                return null;
            }
            List<EntityTag> tags = parseList(value);
            return tags != null && tags.size() == 1 ? tags.get(0) : null;
        }

        /**
         * A comma-separated list of entity-tags with optional whitespace and empty elements, or {@code null} when
         * malformed. Quoted tags may contain commas ({@code "a,b"} is one tag).
         */
        static List<EntityTag> parseList(String field) {
            List<EntityTag> tags = new ArrayList<>(2);
            int i = 0;
            int n = field.length();
            while (true) {
                while (i < n && (field.charAt(i) == ',' || isOws(field.charAt(i)))) {
                    i++;
                }
                if (i >= n) {
                    return tags.isEmpty() ? null : tags;
                }
                boolean weak = field.startsWith("W/", i);
                if (weak) {
                    i += 2;
                }
                if (i >= n || field.charAt(i) != '"') {
                    return null;
                }
                int close = i + 1;
                while (close < n && field.charAt(close) != '"') {
                    if (!isEtagChar(field.charAt(close))) {
                        return null;
                    }
                    close++;
                }
                if (close >= n) {
                    return null;
                }
                tags.add(new EntityTag(weak, field.substring(i + 1, close)));
                i = close + 1;
                while (i < n && isOws(field.charAt(i))) {
                    i++;
                }
                if (i < n && field.charAt(i) != ',') {
                    return null;
                }
            }
        }

        /** etagc = %x21 / %x23-7E / obs-text (the quote is the delimiter, handled by the caller). */
        private static boolean isEtagChar(char c) {
            return c == 0x21 || (c >= 0x23 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
        }

        private static boolean isOws(char c) {
            return c == ' ' || c == '\t';
        }
    }
}
