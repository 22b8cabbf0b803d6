package dev.vod.internal.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ResponseRateTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void freeBytesGoAtOnce() {
        ResponseRate rate = new ResponseRate(1000, 5000, clock);
        assertEquals(0, rate.nanosUntil(4000));
        rate.sent(4000);
        assertEquals(1000, rate.allowance(4000), "only the rest of the free part");
    }

    @Test
    void afterTheFreeBytesTheRateApplies() {
        ResponseRate rate = new ResponseRate(100_000, 0, clock);
        assertEquals(0, rate.allowance(10_000), "no credit at the start of the paced phase");
        clock.advanceMillis(100);
        assertEquals(10_000, rate.allowance(50_000));
        rate.sent(10_000);
        assertEquals(0, rate.allowance(10_000));
        assertEquals(100_000_000L, rate.nanosUntil(10_000), "10 000 bytes at 100 kB/s = 100 ms");
    }

    @Test
    void aSliceStraddlingTheFreePartIsPaidBackByWaiting() {
        ResponseRate rate = new ResponseRate(1000, 500, clock);
        assertEquals(0, rate.nanosUntil(1000));
        rate.sent(1000); // 500 free + 500 of debt
        assertEquals(1_000_000_000L, rate.nanosUntil(500), "500 debt + 500 wanted at 1000 B/s");
    }

    @Test
    void creditSavedWhileStalledIsCappedAtOneSecond() {
        ResponseRate rate = new ResponseRate(200_000, 0, clock);
        rate.allowance(1);
        clock.advanceMillis(10_000);
        assertEquals(200_000, rate.allowance(Long.MAX_VALUE));
    }

    @Test
    void creditCapIsAtLeastOneSlice() {
        ResponseRate rate = new ResponseRate(100, 0, clock);
        rate.allowance(1);
        clock.advanceMillis(1000_000);
        assertEquals(Slices.MIN, rate.allowance(Long.MAX_VALUE));
    }

    @Test
    void rejectsZeroRate() {
        assertThrows(IllegalArgumentException.class, () -> new ResponseRate(0, 0, clock));
    }
}
