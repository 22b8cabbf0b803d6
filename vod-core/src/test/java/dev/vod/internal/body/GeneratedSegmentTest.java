package dev.vod.internal.body;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lazily generated segments: slicing produces nothing, and any window's bytes are that window of the whole. */
class GeneratedSegmentTest {
    private static final int LENGTH = 1000;

    /** Byte {@code i} of the block is a function of {@code i} alone. */
    private static final Segment.Generator PATTERN = (from, dst, dstOffset, count) -> {
        for (int k = 0; k < count; k++) {
            long i = from + k;
            dst[dstOffset + k] = (byte) (i * 31 + (i >>> 8));
        }
    };

    private static byte[] bytes(Segment.Generated segment) {
        byte[] out = new byte[(int) segment.length()];
        segment.writeTo(0, out, 0, out.length);
        return out;
    }

    @ParameterizedTest
    @CsvSource({"0, 1000", "0, 0", "1, 998", "999, 1", "500, 500", "123, 456"})
    void aSliceHasTheBytesOfThatWindowOfTheWhole(long from, long count) {
        Segment.Generated whole = new Segment.Generated(LENGTH, PATTERN);
        Segment.Generated slice = (Segment.Generated) whole.slice(from, count);
        assertEquals(count, slice.length());
        assertArrayEquals(Arrays.copyOfRange(bytes(whole), (int) from, (int) (from + count)), bytes(slice));
    }

    @Test
    void aSliceOfASliceIsTheSameWindowOfTheWhole() {
        Segment.Generated whole = new Segment.Generated(LENGTH, PATTERN);
        Segment.Generated inner = (Segment.Generated) whole.slice(100, 800).slice(50, 300);
        assertArrayEquals(Arrays.copyOfRange(bytes(whole), 150, 450), bytes(inner));
    }

    @Test
    void theWholeWindowIsTheSegmentItself() {
        Segment.Generated whole = new Segment.Generated(LENGTH, PATTERN);
        assertSame(whole, whole.slice(0, LENGTH));
    }

    @Test
    void aWindowPastTheEndIsRejected() {
        Segment.Generated whole = new Segment.Generated(LENGTH, PATTERN);
        assertThrows(IndexOutOfBoundsException.class, () -> whole.slice(999, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> whole.writeTo(1, new byte[LENGTH], 0, LENGTH));
    }

    @Test
    void aBodyRangeAcrossSegmentsSlicesTheGeneratedOne() {
        Body body = Body.of(new Segment.Bytes(new byte[] {1, 2, 3}), new Segment.Generated(LENGTH, PATTERN));
        Body window = body.slice(2, 10);
        assertEquals(10, window.length());
        Segment.Generated generated = (Segment.Generated) window.segments().get(1);
        assertEquals(9, generated.length());
        assertEquals(0, generated.offset());
    }
}
