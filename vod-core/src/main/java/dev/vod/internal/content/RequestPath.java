package dev.vod.internal.content;

import dev.vod.internal.HttpProblem;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request path decoded and normalised once, as a list of plain (decoded) segments.
 *
 * <p>{@link #parse(String)} turns {@code /videos/My%20Film/../a.mp4} into the segments {@code [videos, a.mp4]}:
 * percent-decoding (strict UTF-8) happens exactly once, then dot-segments are removed as in RFC 3986 §5.2.4 and
 * empty segments ({@code //}) collapse. Everything after this step works on decoded names and never decodes again,
 * so {@code %252e%252e} stays a file literally named {@code %2e%2e}.
 *
 * <p>Rejected with 400: a path not starting with {@code /}; malformed or truncated {@code %xx}; bytes that are not
 * well-formed UTF-8 (overlong forms such as {@code %c0%ae}, encoded surrogates); control characters (below 0x20 and
 * 0x7f) after decoding, NUL included; a backslash, raw or encoded; an encoded slash {@code %2F} inside a segment;
 * a {@code ..} that would climb above the root.
 *
 * <p>Raw characters 0x80–0xFF are taken as the octets the client sent: Netty's HTTP decoder maps each byte of the
 * request line to one char, so a client sending a raw UTF-8 name (curl with a literal {@code é}) is understood.
 * Characters above 0xFF cannot come from the wire and are rejected.
 *
 * <p>The compact constructor enforces the same invariants on hand-built instances (no empty, {@code .},
 * {@code ..} segments, no slash, backslash or control character), so every {@code RequestPath} is safe to resolve.
 *
 * @param segments      decoded path segments, none empty
 * @param trailingSlash whether the path names a directory ({@code /a/b/}); always true for {@link #ROOT}
 */
public record RequestPath(List<String> segments, boolean trailingSlash) {

    /** The root, {@code /}. */
    public static final RequestPath ROOT = new RequestPath(List.of(), true);

    /**
     * Characters kept as they are in an encoded path segment besides the unreserved ones (RFC 3986 pchar minus
     * {@code &} and {@code '}, which are encoded so that an href never needs HTML-specific escaping to be safe).
     */
    private static final String SAFE_SUB_DELIMS = "!$()*+,;=:@";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public RequestPath {
        segments = List.copyOf(segments);
        for (String segment : segments) {
            checkSegment(segment);
        }
    }

    /**
     * Decodes and normalises the path part of a request-target (no query string).
     *
     * @throws HttpProblem 400 when the path is malformed or climbs above the root (see the class comment)
     */
    public static RequestPath parse(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            throw HttpProblem.badRequest("Request path must start with /");
        }
        List<String> segments = new ArrayList<>();
        boolean trailingSlash = false;
        int start = 1;
        while (true) {
            int slash = rawPath.indexOf('/', start);
            int end = slash < 0 ? rawPath.length() : slash;
            String segment = decodeSegment(rawPath, start, end);
            // RFC 3986 remove_dot_segments: a path ending in "", "." or ".." keeps a trailing slash.
            trailingSlash = segment.isEmpty() || segment.equals(".") || segment.equals("..");
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw HttpProblem.badRequest("Request path climbs above the root with '..'");
                }
                segments.remove(segments.size() - 1);
            } else if (!trailingSlash) {
                segments.add(segment);
            }
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        return segments.isEmpty() ? ROOT : new RequestPath(segments, trailingSlash);
    }

    /** Whether this is the root directory (possibly without its trailing slash, see {@link #under}). */
    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** The root-relative path with forward slashes and no leading or trailing slash: {@code a/b}, or "" for root. */
    public String relative() {
        return String.join("/", segments);
    }

    /** The last segment, or "" for the root. */
    public String fileName() {
        return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
    }

    /** The enclosing directory (with a trailing slash); the root is its own parent. */
    public RequestPath parent() {
        return segments.size() <= 1 ? ROOT : new RequestPath(segments.subList(0, segments.size() - 1), true);
    }

    /**
     * This directory's child {@code name}.
     *
     * @throws IllegalArgumentException when {@code name} is not a valid single segment
     */
    public RequestPath child(String name, boolean directory) {
        List<String> childSegments = new ArrayList<>(segments.size() + 1);
        childSegments.addAll(segments);
        childSegments.add(name);
        return new RequestPath(childSegments, directory);
    }

    /**
     * This path relative to a mount point, e.g. {@code /videos/a.mp4} under {@code /videos/} is {@code /a.mp4}.
     * The mount point itself without its slash ({@code /videos}) gives the root <em>without</em> a trailing slash,
     * which {@link ContentResolver} answers with a redirect to the mount point.
     *
     * @return the remainder, or empty when this path is not under {@code mount}
     */
    public Optional<RequestPath> under(RequestPath mount) {
        List<String> prefix = mount.segments();
        if (prefix.isEmpty()) {
            return Optional.of(this);
        }
        if (segments.size() < prefix.size() || !segments.subList(0, prefix.size()).equals(prefix)) {
            return Optional.empty();
        }
        if (segments.size() == prefix.size()) {
            return Optional.of(trailingSlash ? ROOT : new RequestPath(List.of(), false));
        }
        return Optional.of(new RequestPath(segments.subList(prefix.size(), segments.size()), trailingSlash));
    }

    /** The normalised, percent-encoded path, fit for a URL, a {@code Location} header or an href. */
    public String encoded() {
        if (segments.isEmpty()) {
            return "/";
        }
        return "/" + relativeEncoded() + (trailingSlash ? "/" : "");
    }

    /** {@link #relative()}, percent-encoded segment by segment: {@code My%20Films/a.mp4}, or "" for root. */
    public String relativeEncoded() {
        StringBuilder out = new StringBuilder(relative().length() + 16);
        for (String segment : segments) {
            if (out.length() > 0) {
                out.append('/');
            }
            encodeSegment(segment, out);
        }
        return out.toString();
    }

    /** The normalised, decoded path: {@code /a/b}, {@code /a/b/} or {@code /}. Not for URLs: see {@link #encoded()}. */
    @Override
    public String toString() {
        if (segments.isEmpty()) {
            return "/";
        }
        return "/" + relative() + (trailingSlash ? "/" : "");
    }

    /**
     * Percent-encodes one decoded path segment (UTF-8): unreserved characters and {@code !$()*+,;=:@} stay, every
     * other byte becomes {@code %XX}, so {@code /}, {@code ?}, {@code #}, {@code %}, {@code &}, quotes and spaces
     * are all encoded.
     */
    public static String encodeSegment(String segment) {
        StringBuilder out = new StringBuilder(segment.length() + 8);
        encodeSegment(segment, out);
        return out.toString();
    }

    private static void encodeSegment(String segment, StringBuilder out) {
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (isUnreserved(c) || SAFE_SUB_DELIMS.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static String decodeSegment(String raw, int from, int to) {
        ByteBuffer bytes = null;
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c == '%' || c >= 0x80) {
                bytes = ByteBuffer.allocate(to - from);
                break;
            }
        }
        if (bytes == null) {
            // Fast path: plain ASCII with nothing to decode.
            String segment = raw.substring(from, to);
            checkDecodedChars(segment);
            return segment;
        }
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= to) {
                    throw HttpProblem.badRequest("Truncated percent-encoding in request path");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw HttpProblem.badRequest("Malformed percent-encoding in request path");
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else if (c <= 0xFF) {
                bytes.put((byte) c);
            } else {
                throw HttpProblem.badRequest("Request path must be ASCII; percent-encode other characters");
            }
        }
        bytes.flip();
        String segment;
        try {
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            CharBuffer chars = utf8.decode(bytes);
            segment = chars.toString();
        } catch (CharacterCodingException e) {
            throw HttpProblem.badRequest("Request path is not valid UTF-8");
        }
        checkDecodedChars(segment);
        return segment;
    }

    private static void checkDecodedChars(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw HttpProblem.badRequest("Control character in request path");
            }
            if (c == '\\') {
                throw HttpProblem.badRequest("Backslash in request path");
            }
            if (c == '/') {
                throw HttpProblem.badRequest("Encoded slash (%2F) in request path");
            }
        }
    }

    private static void checkSegment(String segment) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException("invalid path segment: '" + segment + "'");
        }
        try {
            checkDecodedChars(segment);
        } catch (HttpProblem e) {
            throw new IllegalArgumentException("invalid path segment: " + e.getMessage());
        }
    }
}
