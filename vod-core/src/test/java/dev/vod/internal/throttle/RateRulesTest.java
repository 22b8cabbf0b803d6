package dev.vod.internal.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.RatePolicy;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class RateRulesTest {
    private static final Function<String, String> NO_HEADERS = name -> null;
    private static final LongSupplier NOT_MEDIA = () -> -1;
    private static final LongSupplier ONE_MBIT = () -> 1_000_000;

    @Test
    void nothingConfiguredIsInactive() {
        RateRules rules = new RateRules(0, 0, false, 30, 1.25, null);
        assertFalse(rules.active());
        assertEquals(TransferRate.NONE, rules.choose("GET", "/a", NO_HEADERS, NOT_MEDIA));
    }

    @Test
    void limitRateWithItsFreeBytes() {
        RateRules rules = new RateRules(1000, 5000, false, 30, 1.25, null);
        assertEquals(new TransferRate(1000, 5000, "limit"), rules.choose("GET", "/a", NO_HEADERS, NOT_MEDIA));
    }

    @Test
    void paceIsFactorTimesBitrateAfterBurstSeconds() {
        RateRules rules = new RateRules(0, 0, true, 30, 1.25, null);
        // 1 Mbit/s = 125 000 B/s; × 1.25 = 156 250 B/s; 30 s of media = 3 750 000 bytes.
        assertEquals(new TransferRate(156_250, 3_750_000, "pace"), rules.choose("GET", "/a.mp4", NO_HEADERS,
                ONE_MBIT));
    }

    @Test
    void paceIgnoresBodiesThatAreNotMedia() {
        RateRules rules = new RateRules(0, 0, true, 30, 1.25, null);
        assertEquals(TransferRate.NONE, rules.choose("GET", "/a.bin", NO_HEADERS, NOT_MEDIA));
    }

    @Test
    void theLowerOfLimitAndPaceWins() {
        RateRules rules = new RateRules(100_000, 0, true, 30, 1.25, null);
        assertEquals("limit", rules.choose("GET", "/a.mp4", NO_HEADERS, ONE_MBIT).reason());
        RateRules generous = new RateRules(10_000_000, 0, true, 30, 1.25, null);
        assertEquals("pace", generous.choose("GET", "/a.mp4", NO_HEADERS, ONE_MBIT).reason());
    }

    @Test
    void bitrateIsNotLookedUpWhenPacingIsOff() {
        RateRules rules = new RateRules(1000, 0, false, 30, 1.25, null);
        rules.choose("GET", "/a.mp4", NO_HEADERS, () -> {
            throw new AssertionError("bitrate looked up");
        });
    }

    @Test
    void policyOverridesTheRules() {
        RatePolicy policy = (method, path, header) -> "gold".equals(header.apply("X-Tier")) ? RatePolicy.UNLIMITED
                : path.startsWith("/preview/") ? 2000 : RatePolicy.DEFAULT;
        RateRules rules = new RateRules(1000, 10, false, 30, 1.25, policy);
        assertTrue(rules.active());
        assertEquals(TransferRate.NONE, rules.choose("GET", "/a", name -> "gold", NOT_MEDIA));
        assertEquals(new TransferRate(2000, 10, "policy"), rules.choose("GET", "/preview/a", NO_HEADERS,
                NOT_MEDIA));
        assertEquals("limit", rules.choose("GET", "/a", NO_HEADERS, NOT_MEDIA).reason());
    }
}
