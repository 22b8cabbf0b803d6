package dev.vod.internal.packager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Segment boundaries: the first key frame at or after each multiple of the target, never a tiny segment twice. */
class SegmentPlannerTest {
    @Test
    void keyFramesEveryTwoSecondsMakeSixSecondSegments() {
        long[] keys = {0, 2000, 4000, 6000, 8000, 10000, 12000, 14000};
        assertArrayEquals(new int[] {0, 3, 6}, SegmentPlanner.boundaries(keys, 6000));
    }

    @Test
    void aGopLongerThanTheTargetGivesOneSegmentPerKeyFrame() {
        long[] keys = {0, 10000, 20000};
        assertArrayEquals(new int[] {0, 1, 2}, SegmentPlanner.boundaries(keys, 6000));
    }

    @Test
    void irregularKeyFramesCutAtTheFirstOneAtOrAfterEachMultiple() {
        long[] keys = {0, 2500, 5000, 7500, 10000, 12500, 15000};
        // multiples 6, 12, 18 s: first key frames at or after them are 7.5 and 12.5 s
        assertArrayEquals(new int[] {0, 3, 5}, SegmentPlanner.boundaries(keys, 6000));
    }

    @Test
    void theGridStaysAnchoredToTheFirstKeyFrameSoRenditionsAgree() {
        long[] keys = {80, 2080, 4080, 6080, 8080};
        assertArrayEquals(new int[] {0, 3}, SegmentPlanner.boundaries(keys, 6000));
    }

    @Test
    void keyFramesThatDoNotAdvanceAreSkipped() {
        long[] keys = {0, 6000, 6000, 5000, 12000};
        assertArrayEquals(new int[] {0, 1, 4}, SegmentPlanner.boundaries(keys, 6000));
    }

    @Test
    void noKeyFramesStillGivesOneSegment() {
        assertArrayEquals(new int[] {0}, SegmentPlanner.boundaries(new long[0], 6000));
    }

    @Test
    void theTargetMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> SegmentPlanner.boundaries(new long[] {0}, 0));
    }
}
