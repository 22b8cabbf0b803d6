package dev.vod.internal.range;

import java.util.List;

/**
 * What a {@code Range} request header asks for, decided against the representation's length (RFC 9110 §14).
 *
 * <pre>
 * Range: bytes=0-499            → Satisfiable[0-499]                      (206)
 * Range: bytes=-500             → Satisfiable[last 500 bytes]             (206)
 * Range: bytes=0-0,-1           → Satisfiable[0-0, len-1..len-1]           (206 multipart)
 * Range: bytes=5000- (len 1000) → Unsatisfiable                           (416, Content-Range: bytes *&#47;1000)
 * Range: items=0-1, bytes=x     → Ignore                                  (200, whole body)
 * </pre>
 *
 * <p>Choices, each allowed by RFC 9110:
 * <ul>
 *   <li><b>Malformed headers are ignored</b> (§14.2: a server MAY ignore the Range header): an unknown unit, a
 *       syntax error anywhere in the set, a {@code last-pos} below its {@code first-pos}, signs or other
 *       characters in numbers — the client gets a normal 200. Only a <em>well-formed</em> set with no satisfiable
 *       range is 416.</li>
 *   <li>Tolerated: unit in any case ({@code BYTES=}), optional whitespace around {@code =} and around list
 *       elements, empty list elements ({@code bytes=0-1,,2-3}). At least one range-spec is required.</li>
 *   <li>{@code last-pos} beyond the end is clamped to the end, however large (numbers that overflow a
 *       {@code long} count as "huge": a huge {@code last-pos} reaches the end, a huge {@code first-pos} is past
 *       it). {@code -n} with {@code n} larger than the length means the whole representation; {@code -0} is
 *       unsatisfiable.</li>
 *   <li>A zero-length representation has no satisfiable range: {@code bytes=0-} is 416. A suffix range
 *       ({@code bytes=-5}) on it is ignored instead (200 with the empty body): RFC-wise it is "satisfiable" but
 *       there is no byte a 206 could name.</li>
 *   <li>Ranges are sorted and merged when they overlap, touch, or are separated by fewer than
 *       {@link #COALESCE_GAP} bytes (a multipart part header costs about that much). The result is a set of
 *       disjoint ranges, so the body sent is never longer than the representation — the amplification behind
 *       CVE-2011-3192 ("Apache Killer") cannot happen. Sorting departs from the SHOULD of §14.6 (keep the
 *       client's order); §14.2 allows it for requests with many or unordered small ranges, and no real client
 *       depends on the order.</li>
 *   <li>Hostile limits: more than {@link #MAX_RANGES} range-specs, or a header longer than
 *       {@link #MAX_HEADER_LENGTH} characters, is ignored (200 whole). Parsing never throws.</li>
 * </ul>
 *
 * <p>Whether a Range applies at all (GET only, {@code If-Range}) is the caller's decision, made before calling
 * {@link #parse}.
 */
public sealed interface RangeSpec permits RangeSpec.Ignore, RangeSpec.Unsatisfiable, RangeSpec.Satisfiable {

    /** Range-specs allowed in one header; more is treated as an attack and ignored. */
    int MAX_RANGES = 100;

    /** Longest Range header value considered; longer ones are ignored. */
    int MAX_HEADER_LENGTH = 8192;

    /** Ranges separated by fewer bytes than this are merged into one. */
    long COALESCE_GAP = 80;

    /** Serve the whole representation with 200, as if there were no Range header. */
    record Ignore() implements RangeSpec {
    }

    /** Answer 416 with {@code Content-Range: bytes *}{@code /length}. */
    record Unsatisfiable() implements RangeSpec {
    }

    /**
     * Answer 206 with these ranges: one range as a single part, several as {@code multipart/byteranges}.
     *
     * @param ranges at least one; sorted, disjoint, non-adjacent, all inside the representation
     */
    record Satisfiable(List<ByteRange> ranges) implements RangeSpec {
        public Satisfiable {
            ranges = List.copyOf(ranges);
            if (ranges.isEmpty()) {
                throw new IllegalArgumentException("no ranges");
            }
        }

        /** Whether there is exactly one range (a plain 206 rather than multipart). */
        public boolean isSingle() {
            return ranges.size() == 1;
        }

        /** Total number of bytes in all ranges. */
        public long totalLength() {
            long total = 0;
            for (ByteRange range : ranges) {
                total += range.length();
            }
            return total;
        }
    }

    /**
     * Decides what a Range header asks of a representation of {@code length} bytes. Never throws.
     *
     * @param rangeHeader the header value, or {@code null} when absent
     * @param length      the representation's length in bytes
     */
    static RangeSpec parse(String rangeHeader, long length) {
        return RangeParser.parse(rangeHeader, length);
    }
}
