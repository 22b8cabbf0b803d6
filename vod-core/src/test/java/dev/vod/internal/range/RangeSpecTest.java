package dev.vod.internal.range;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RangeSpecTest {
    private static final long LEN = 10_000;

    private static List<ByteRange> ranges(String header, long length) {
        return assertInstanceOf(RangeSpec.Satisfiable.class, RangeSpec.parse(header, length)).ranges();
    }

    private static List<ByteRange> ranges(String header) {
        return ranges(header, LEN);
    }

    private static ByteRange r(long first, long last) {
        return new ByteRange(first, last);
    }

    private static void ignored(String header, long length) {
        assertInstanceOf(RangeSpec.Ignore.class, RangeSpec.parse(header, length), header);
    }

    private static void unsatisfiable(String header, long length) {
        assertInstanceOf(RangeSpec.Unsatisfiable.class, RangeSpec.parse(header, length), header);
    }

    // ---- ByteRange

    @Test
    void byteRangeLengthIsInclusive() {
        assertEquals(1, r(0, 0).length());
        assertEquals(500, r(0, 499).length());
    }

    @Test
    void byteRangeContentRangeValues() {
        assertEquals("bytes 0-499/1234", r(0, 499).contentRange(1234));
        assertEquals("bytes */1234", ByteRange.unsatisfiedContentRange(1234));
    }

    @Test
    void byteRangeRejectsNegativeOrReversed() {
        assertThrows(IllegalArgumentException.class, () -> r(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> r(5, 4));
    }

    // ---- single ranges

    @Test
    void firstToLast() {
        assertEquals(List.of(r(0, 499)), ranges("bytes=0-499"));
    }

    @Test
    void singleByte() {
        assertEquals(List.of(r(0, 0)), ranges("bytes=0-0"));
    }

    @Test
    void openEnded() {
        assertEquals(List.of(r(9500, 9999)), ranges("bytes=9500-"));
    }

    @Test
    void lastPosBeyondEndIsClamped() {
        assertEquals(List.of(r(100, 9999)), ranges("bytes=100-20000"));
    }

    @Test
    void lastByteOnly() {
        assertEquals(List.of(r(9999, 9999)), ranges("bytes=9999-"));
    }

    @Test
    void suffix() {
        assertEquals(List.of(r(9500, 9999)), ranges("bytes=-500"));
    }

    @Test
    void suffixLongerThanRepresentationIsWhole() {
        assertEquals(List.of(r(0, 9999)), ranges("bytes=-20000"));
    }

    @Test
    void suffixEqualToLengthIsWhole() {
        assertEquals(List.of(r(0, 9999)), ranges("bytes=-10000"));
    }

    @Test
    void suffixZeroIsUnsatisfiable() {
        unsatisfiable("bytes=-0", LEN);
    }

    @Test
    void wholeRangeIsSatisfiable() {
        RangeSpec.Satisfiable spec = assertInstanceOf(RangeSpec.Satisfiable.class, RangeSpec.parse("bytes=0-", LEN));
        assertTrue(spec.isSingle());
        assertEquals(LEN, spec.totalLength());
    }

    // ---- unsatisfiable

    @Test
    void firstPosAtLengthIsUnsatisfiable() {
        unsatisfiable("bytes=10000-", LEN);
        unsatisfiable("bytes=10000-10005", LEN);
    }

    @Test
    void allRangesBeyondEndIsUnsatisfiable() {
        unsatisfiable("bytes=20000-30000, 40000-", LEN);
    }

    @Test
    void oneSatisfiableAmongUnsatisfiableIsServed() {
        assertEquals(List.of(r(0, 9)), ranges("bytes=20000-30000, 0-9"));
    }

    @Test
    void anyRangeOnZeroLengthIsUnsatisfiable() {
        unsatisfiable("bytes=0-", 0);
        unsatisfiable("bytes=0-0", 0);
        unsatisfiable("bytes=0-10, 5-", 0);
    }

    @Test
    void suffixOnZeroLengthIsIgnored() {
        ignored("bytes=-5", 0);
        ignored("bytes=0-1, -5", 0);
    }

    @Test
    void suffixZeroOnZeroLengthIsUnsatisfiable() {
        unsatisfiable("bytes=-0", 0);
    }

    // ---- syntax leniency

    @ParameterizedTest
    @ValueSource(strings = {"BYTES=0-9", "Bytes=0-9", "bytes =0-9", "bytes= 0-9", " bytes = 0-9 ", "bytes=\t0-9\t",
        "bytes=0-9,", "bytes=,0-9", "bytes=0-9,,", "bytes=0-4,,5-9", "bytes=0-4 , 5-9"})
    void toleratedSyntax(String header) {
        assertEquals(List.of(r(0, 9)), ranges(header));
    }

    @Test
    void leadingZerosAreDigits() {
        assertEquals(List.of(r(5, 9)), ranges("bytes=0005-0009"));
    }

    // ---- malformed: ignored

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "bytes", "bytes=", "bytes=,", "bytes= , ,", "items=0-9", "bytes0-9", "byte=0-9",
        "bytes=abc", "bytes=0", "bytes=-", "bytes=--5", "bytes=5-3", "bytes=+1-5", "bytes=1-+5", "bytes=-+5",
        "bytes=-5-", "bytes=0-1-2", "bytes=0 - 5", "bytes=0x10-20", "bytes=1.5-2", "bytes=0-9,x", "bytes=0-9;a",
        "bytes=0-9, 5-3", "bytes=\u0661-5", "bytes=-\u0035\u0661", "bytes=0-9,bytes=10-19"})
    void malformedIsIgnored(String header) {
        ignored(header, LEN);
    }

    @Test
    void negativeRepresentationLengthIsIgnored() {
        ignored("bytes=0-1", -1);
    }

    // ---- overflow

    @Test
    void overflowingLastPosIsClampedToEnd() {
        assertEquals(List.of(r(0, 9999)), ranges("bytes=0-99999999999999999999999"));
    }

    @Test
    void lastPosAtLongMaxIsClampedToEnd() {
        assertEquals(List.of(r(0, 9999)), ranges("bytes=0-" + Long.MAX_VALUE));
    }

    @Test
    void overflowingFirstPosIsUnsatisfiable() {
        unsatisfiable("bytes=99999999999999999999999-", LEN);
        unsatisfiable("bytes=99999999999999999999999-999999999999999999999999", LEN);
    }

    @Test
    void overflowingSuffixIsWhole() {
        assertEquals(List.of(r(0, 9999)), ranges("bytes=-99999999999999999999999"));
    }

    @Test
    void hugeRepresentationNearLongMax() {
        long length = Long.MAX_VALUE;
        assertEquals(List.of(r(Long.MAX_VALUE - 10, Long.MAX_VALUE - 1)), ranges("bytes=-10", length));
        assertEquals(List.of(r(0, Long.MAX_VALUE - 1)), ranges("bytes=0-", length));
        assertEquals(List.of(r(5, Long.MAX_VALUE - 1)), ranges("bytes=5-99999999999999999999999", length));
    }

    // ---- multiple ranges and coalescing

    @Test
    void separateRangesStaySeparate() {
        assertEquals(List.of(r(0, 99), r(5000, 5099)), ranges("bytes=0-99,5000-5099"));
    }

    @Test
    void rangesAreSorted() {
        assertEquals(List.of(r(0, 99), r(5000, 5099)), ranges("bytes=5000-5099,0-99"));
    }

    @Test
    void overlappingRangesAreMerged() {
        assertEquals(List.of(r(0, 199)), ranges("bytes=0-149,100-199"));
    }

    @Test
    void containedRangeIsAbsorbed() {
        assertEquals(List.of(r(0, 999)), ranges("bytes=0-999,10-20"));
    }

    @Test
    void adjacentRangesAreMerged() {
        assertEquals(List.of(r(0, 199)), ranges("bytes=0-99,100-199"));
    }

    @Test
    void smallGapIsMerged() {
        // 79 bytes between 99 and 179
        assertEquals(List.of(r(0, 299)), ranges("bytes=0-99,179-299"));
    }

    @Test
    void gapOfCoalesceGapBytesIsKept() {
        // exactly 80 bytes (100..179) between the ranges
        assertEquals(List.of(r(0, 99), r(180, 299)), ranges("bytes=0-99,180-299"));
    }

    @Test
    void duplicateRangesCollapse() {
        assertEquals(List.of(r(0, 0)), ranges("bytes=0-0,0-0,0-0"));
    }

    @Test
    void suffixAndOpenRangesMerge() {
        assertEquals(List.of(r(0, 9), r(9000, 9999)), ranges("bytes=0-9,-500,9000-"));
    }

    @Test
    void firstAndLastByte() {
        assertEquals(List.of(r(0, 0), r(9999, 9999)), ranges("bytes=0-0,-1"));
    }

    // ---- hostile requests

    @Test
    void hundredRangesAreAllowed() {
        StringBuilder header = new StringBuilder("bytes=");
        for (int i = 0; i < 100; i++) {
            header.append(i * 100).append('-').append(i * 100).append(',');
        }
        assertEquals(100, ranges(header.toString()).size());
    }

    @Test
    void moreThanHundredRangesAreIgnored() {
        StringBuilder header = new StringBuilder("bytes=0-0");
        for (int i = 1; i <= 100; i++) {
            header.append(',').append(i * 100).append('-').append(i * 100);
        }
        ignored(header.toString(), LEN * 10);
    }

    @Test
    void emptyElementsDoNotCountTowardTheLimit() {
        assertEquals(List.of(r(0, 0)), ranges("bytes=0-0" + ",".repeat(500)));
    }

    @Test
    void apacheKillerHeaderIsIgnored() {
        // CVE-2011-3192 sends "bytes=0-,5-0,5-1,5-2,...": 5-0 has last < first, so the whole header is malformed.
        StringBuilder header = new StringBuilder("bytes=0-");
        for (int i = 0; i < 99; i++) {
            header.append(",5-").append(i);
        }
        ignored(header.toString(), LEN);
    }

    @Test
    void overlappingRangesBecomeOneRangeNoLongerThanTheFile() {
        // A well-formed variant of the same attack: every range overlaps the first.
        StringBuilder header = new StringBuilder("bytes=0-");
        for (int i = 5; i < 104; i++) {
            header.append(",5-").append(i);
        }
        RangeSpec.Satisfiable spec =
                assertInstanceOf(RangeSpec.Satisfiable.class, RangeSpec.parse(header.toString(), LEN));
        assertEquals(List.of(r(0, 9999)), spec.ranges());
        assertEquals(LEN, spec.totalLength());
    }

    @Test
    void manyTinyRangesCloseTogetherMergeIntoOne() {
        StringBuilder header = new StringBuilder("bytes=");
        for (int i = 0; i < 100; i++) {
            header.append(i * 2).append('-').append(i * 2).append(',');
        }
        assertEquals(List.of(r(0, 198)), ranges(header.toString()));
    }

    @Test
    void headerLongerThanLimitIsIgnored() {
        String header = "bytes=0-0," + " ".repeat(RangeSpec.MAX_HEADER_LENGTH);
        ignored(header, LEN);
    }

    @Test
    void randomRangesAlwaysGiveDisjointSortedRangesWithinTheFile() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int round = 0; round < 2000; round++) {
            long length = random.nextLong(0, 5000);
            StringBuilder header = new StringBuilder("bytes=");
            int count = random.nextInt(1, 20);
            for (int i = 0; i < count; i++) {
                long a = random.nextLong(0, 6000);
                long b = a + random.nextLong(0, 2000);
                header.append(random.nextInt(4) == 0 ? "-" + random.nextLong(0, 6000) : a + "-" + b).append(',');
            }
            RangeSpec spec = RangeSpec.parse(header.toString(), length);
            if (spec instanceof RangeSpec.Satisfiable satisfiable) {
                long previousLast = -RangeSpec.COALESCE_GAP - 2;
                for (ByteRange range : satisfiable.ranges()) {
                    assertTrue(range.first() - previousLast - 1 >= RangeSpec.COALESCE_GAP, header::toString);
                    assertTrue(range.last() < length, header::toString);
                    previousLast = range.last();
                }
                assertTrue(satisfiable.totalLength() <= length);
            } else {
                assertFalse(spec instanceof RangeSpec.Ignore && length > 0, header::toString);
            }
        }
    }

    @Test
    void satisfiableRequiresARange() {
        assertThrows(IllegalArgumentException.class, () -> new RangeSpec.Satisfiable(List.of()));
    }
}
