package dev.vod.internal.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NptRangeTest {
    @Test
    void anAbsentHeaderResumes() {
        assertSame(NptRange.RESUME, NptRange.parse(null));
        assertSame(NptRange.RESUME, NptRange.parse(" "));
    }

    @Test
    void openEndedFromSeconds() {
        assertEquals(new NptRange(6, -1), NptRange.parse("npt=6-"));
        assertEquals(new NptRange(6.5, -1), NptRange.parse("npt=6.5-"));
    }

    @Test
    void withAnEnd() {
        assertEquals(new NptRange(1, 4.25), NptRange.parse("npt=1-4.25"));
    }

    @Test
    void nowResumes() {
        assertTrue(NptRange.parse("npt=now-").resumes());
    }

    @Test
    void hoursMinutesSeconds() {
        assertEquals(new NptRange(3723.5, -1), NptRange.parse("npt=1:02:03.5-"));
    }

    @Test
    void aTimeParameterIsIgnored() {
        assertEquals(new NptRange(2, -1), NptRange.parse("npt=2-;time=19970123T143720Z"));
    }

    @Test
    void spacesAndCase() {
        assertEquals(new NptRange(3, -1), NptRange.parse(" NPT=3 - "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"smpte=0:10:20-", "clock=19961108T142300Z-", "npt=", "npt=5", "npt=-5-", "npt=a-",
        "npt=5-2", "npt=1:60:00-", "npt=1:2-", "npt=Infinity-", "npt=NaN-", "bytes=0-100"})
    void otherUnitsAndMalformedRangesAreNull(String header) {
        assertNull(NptRange.parse(header));
    }

    @Test
    void formatsAsAReplyStatesIt() {
        assertEquals("npt=4.000-12.000", NptRange.format(4, 12));
        assertEquals("npt=0.500-", NptRange.format(0.5, -1));
    }
}
