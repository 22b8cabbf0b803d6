package dev.vod.internal.range;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzzes {@link RangeSpec#parse}: it never throws, and a satisfiable answer is always a short, sorted list of
 * disjoint, non-adjacent ranges inside the representation whose total is at most its length — the property that
 * rules out range amplification. Half the inputs are free text, half are built from plausible range-specs with
 * hostile numbers, so the fuzzer spends its time past the {@code bytes=} prefix.
 */
class RangeSpecFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void parseKeepsEveryInvariant(FuzzedDataProvider data) {
        long length = data.consumeBoolean() ? data.consumeLong(0, 1 << 20) : data.consumeLong(0, Long.MAX_VALUE);
        String header = data.consumeBoolean() ? structured(data) : data.consumeRemainingAsString();

        RangeSpec spec = RangeSpec.parse(header, length);

        assertNotNull(spec);
        if (header.length() > RangeSpec.MAX_HEADER_LENGTH) {
            assertEquals(new RangeSpec.Ignore(), spec, "over-long headers are ignored");
        }
        if (spec instanceof RangeSpec.Satisfiable satisfiable) {
            List<ByteRange> ranges = satisfiable.ranges();
            assertTrue(!ranges.isEmpty() && ranges.size() <= RangeSpec.MAX_RANGES, "range count " + ranges.size());
            long total = 0;
            ByteRange previous = null;
            for (ByteRange r : ranges) {
                assertTrue(r.first() >= 0 && r.first() <= r.last() && r.last() < length, r + " of " + length);
                if (previous != null) {
                    assertTrue(r.first() - previous.last() - 1 >= RangeSpec.COALESCE_GAP,
                            "unmerged " + previous + " and " + r);
                }
                total += r.length();
                previous = r;
            }
            assertTrue(total <= length, "ranges add up to " + total + " of " + length);
        }
    }

    /** {@code bytes=} followed by range-specs made of edge-case numbers, separators and stray characters. */
    private static String structured(FuzzedDataProvider data) {
        StringBuilder header = new StringBuilder(data.pickValue(new String[] {"bytes=", "BYTES =", "bytes= ", "b="}));
        int specs = data.consumeInt(0, 120);
        for (int i = 0; i < specs && data.remainingBytes() > 0; i++) {
            if (i > 0) {
                header.append(data.pickValue(new String[] {",", ", ", ",,", " , ", ";"}));
            }
            switch (data.consumeInt(0, 3)) {
                case 0 -> header.append(number(data)).append('-').append(number(data));
                case 1 -> header.append(number(data)).append('-');
                case 2 -> header.append('-').append(number(data));
                default -> header.append(data.consumeString(6));
            }
        }
        return header.toString();
    }

    private static String number(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 4)) {
            case 0 -> Long.toString(data.consumeLong(0, 2_000_000));
            case 1 -> Long.toString(data.consumeLong(0, Long.MAX_VALUE));
            case 2 -> "18446744073709551615";
            case 3 -> "9".repeat(data.consumeInt(19, 40));
            default -> data.consumeAsciiString(4);
        };
    }
}
