package dev.vod.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FetchRangeTest {

    @Test
    void closedRangeResumesInsideItself() {
        FetchRange range = FetchRange.parse("1000-1999");
        assertEquals("bytes=1000-1999", range.headerAfter(0));
        assertEquals("bytes=1500-1999", range.headerAfter(500));
        assertEquals(1000, range.length());
    }

    @Test
    void openRangeStaysOpen() {
        FetchRange range = FetchRange.parse("3000-");
        assertEquals("bytes=3000-", range.headerAfter(0));
        assertEquals("bytes=3100-", range.headerAfter(100));
        assertEquals(-1, range.length());
    }

    @Test
    void singleByteRange() {
        assertEquals(1, FetchRange.parse("7-7").length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "-100", "5-1", "a-b", "1-2-3", "1,2", "bytes=0-1", "0x10-20", "1 - 2",
        "99999999999999999999-"})
    void refusesAnythingButFirstLastOrFirstDash(String text) {
        assertThrows(IllegalArgumentException.class, () -> FetchRange.parse(text));
    }
}
