package dev.vod.internal.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GlobalBandwidthTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void startsWithAHundredMillisecondsOfTokens() {
        GlobalBandwidth cap = new GlobalBandwidth(1_000_000, clock);
        assertTrue(cap.tryTake(100_000));
        assertFalse(cap.tryTake(1));
    }

    @Test
    void takingIsAllOrNothing() {
        GlobalBandwidth cap = new GlobalBandwidth(1_000_000, clock);
        assertTrue(cap.tryTake(90_000));
        assertFalse(cap.tryTake(20_000), "only 10 000 left");
        assertTrue(cap.tryTake(10_000));
    }

    @Test
    void refillsAtTheRate() {
        GlobalBandwidth cap = new GlobalBandwidth(1_000_000, clock);
        assertTrue(cap.tryTake(100_000));
        assertEquals(50_000_000L, cap.nanosUntil(50_000));
        clock.advanceMillis(50);
        assertTrue(cap.tryTake(50_000));
        assertFalse(cap.tryTake(1_000));
    }

    @Test
    void idleTimeSavesNoMoreThanTheBurst() {
        GlobalBandwidth cap = new GlobalBandwidth(1_000_000, clock);
        clock.advanceMillis(60_000);
        assertTrue(cap.tryTake(100_000));
        assertFalse(cap.tryTake(1_000));
    }

    @Test
    void aLowCapStillFitsOneWholeSlice() {
        GlobalBandwidth cap = new GlobalBandwidth(100, clock);
        clock.advanceMillis(120_000);
        assertTrue(cap.tryTake(Slices.forRate(100)));
    }

    @Test
    void concurrentTakersNeverExceedTheBucket() throws Exception {
        GlobalBandwidth cap = new GlobalBandwidth(1_000_000, clock);
        AtomicLong taken = new AtomicLong();
        Thread[] threads = new Thread[4];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                for (int j = 0; j < 10_000; j++) {
                    if (cap.tryTake(100)) {
                        taken.addAndGet(100);
                    }
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(100_000, taken.get(), "exactly the burst: the clock did not move");
    }

    @Test
    void reservationsAreServedInTurn() {
        GlobalBandwidth cap = new GlobalBandwidth(1_000_000, clock);
        assertEquals(0, cap.reserve(100_000), "the saved-up burst");
        assertEquals(50_000_000L, cap.reserve(50_000), "next in line: after 50 ms");
        assertEquals(100_000_000L, cap.reserve(50_000), "then the one after");
        clock.advanceMillis(100);
        assertEquals(0, cap.reserve(0));
        assertFalse(cap.tryTake(1), "reserved tokens are not taken twice");
    }
}
