package dev.vod.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDatesTest {
    /** Sun, 06 Nov 1994 08:49:37 GMT — the example of RFC 9110 §5.6.7. */
    private static final long RFC_EXAMPLE = 784111777_000L;

    @Test
    void formatsTheRfcExample() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(RFC_EXAMPLE));
    }

    @Test
    void formatPadsSingleDigitDayUnlikeRfc1123Formatter() {
        long millis = Instant.parse("2024-03-05T04:03:02Z").toEpochMilli();
        assertEquals("Tue, 05 Mar 2024 04:03:02 GMT", HttpDates.format(millis));
        // The JDK's RFC_1123 formatter would write "Tue, 5 Mar 2024", which is not IMF-fixdate.
        assertEquals("Tue, 5 Mar 2024 04:03:02 GMT",
                DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC)));
    }

    @Test
    void formatDropsMilliseconds() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(RFC_EXAMPLE + 999));
    }

    @Test
    void formatsEpochAndBeforeEpoch() {
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", HttpDates.format(0));
        assertEquals("Wed, 31 Dec 1969 23:59:59 GMT", HttpDates.format(-1));
    }

    @Test
    void formatClampsToFourDigitYears() {
        assertEquals("Fri, 31 Dec 9999 23:59:59 GMT", HttpDates.format(Long.MAX_VALUE));
        assertEquals("Mon, 01 Jan 0001 00:00:00 GMT", HttpDates.format(Long.MIN_VALUE));
    }

    @Test
    void formatAgreesWithJavaTimeOnRandomInstants() {
        DateTimeFormatter reference =
                DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 5000; i++) {
            long millis = random.nextLong(-2_000_000_000_000L, 4_000_000_000_000L);
            String formatted = HttpDates.format(millis);
            assertEquals(reference.format(Instant.ofEpochMilli(millis)), formatted);
            assertEquals(Math.floorDiv(millis, 1000) * 1000, HttpDates.parse(formatted));
        }
    }

    @Test
    void parsesImfFixdate() {
        assertEquals(RFC_EXAMPLE, HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT"));
    }

    @Test
    void parsesRfc850() {
        assertEquals(RFC_EXAMPLE, HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT", 2025));
    }

    @Test
    void parsesAsctimeWithSpacePaddedDay() {
        assertEquals(RFC_EXAMPLE, HttpDates.parse("Sun Nov  6 08:49:37 1994"));
    }

    @Test
    void parsesAsctimeWithTwoDigitDay() {
        assertEquals(RFC_EXAMPLE + 10 * 86_400_000L, HttpDates.parse("Wed Nov 16 08:49:37 1994"));
    }

    @Test
    void rfc850TwoDigitYearMoreThanFiftyYearsAheadIsLastCentury() {
        long in2070 = Instant.parse("2070-01-01T00:00:00Z").toEpochMilli();
        long in1980 = Instant.parse("1980-01-01T00:00:00Z").toEpochMilli();
        assertEquals(in2070, HttpDates.parse("Wednesday, 01-Jan-70 00:00:00 GMT", 2025));
        assertEquals(in1980, HttpDates.parse("Tuesday, 01-Jan-80 00:00:00 GMT", 2025));
        assertEquals(Instant.parse("2025-01-01T00:00:00Z").toEpochMilli(),
                HttpDates.parse("Wednesday, 01-Jan-25 00:00:00 GMT", 2025));
    }

    @Test
    void namesAreCaseInsensitive() {
        assertEquals(RFC_EXAMPLE, HttpDates.parse("SUN, 06 NOV 1994 08:49:37 gmt"));
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertEquals(RFC_EXAMPLE, HttpDates.parse("  Sun, 06 Nov 1994 08:49:37 GMT\t"));
    }

    @Test
    void dayNameIsNotCheckedAgainstTheDate() {
        assertEquals(RFC_EXAMPLE, HttpDates.parse("Mon, 06 Nov 1994 08:49:37 GMT"));
    }

    @Test
    void leapSecondReadsAsFiftyNine() {
        assertEquals(Instant.parse("2016-12-31T23:59:59Z").toEpochMilli(),
                HttpDates.parse("Sat, 31 Dec 2016 23:59:60 GMT"));
    }

    @Test
    void leapDay() {
        assertEquals(Instant.parse("2024-02-29T12:00:00Z").toEpochMilli(),
                HttpDates.parse("Thu, 29 Feb 2024 12:00:00 GMT"));
    }

    @Test
    void beforeEpochIsValidAndNotInvalid() {
        long parsed = HttpDates.parse("Wed, 31 Dec 1969 23:59:59 GMT");
        assertEquals(-1000, parsed);
        assertNotEquals(HttpDates.INVALID, parsed);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "garbage", "0", "784111777",
        "Sun, 6 Nov 1994 08:49:37 GMT",      // unpadded day (RFC 1123 formatter output)
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 +0000",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 29 Feb 2023 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06-Nov-1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08-49-37 GMT",
        "Sun, 06 Nov 199x 08:49:37 GMT",
        "Sun, +6 Nov 1994 08:49:37 GMT",
        "Sun,  06 Nov 1994 08:49:37 GMT",
        "Sunday, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 UTC",
        "Sunday, 06-Nov-9x 08:49:37 GMT",
        "Sun, 06-Nov-94 08:49:37 GMT",
        "Someday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 08:49:37  1994",
        "Sun Nov x6 08:49:37 1994",
        "2024-03-05T04:03:02Z"})
    void invalidDatesAreInvalid(String value) {
        assertEquals(HttpDates.INVALID, HttpDates.parse(value));
    }

    @Test
    void nowIsImfFixdateOfTheCurrentSecond() {
        long before = System.currentTimeMillis() / 1000 * 1000;
        String now = HttpDates.now();
        long after = System.currentTimeMillis();
        long parsed = HttpDates.parse(now);
        assertTrue(parsed >= before && parsed <= after, now);
        assertEquals(29, now.length());
    }

    @Test
    void nowIsCachedWithinTheSecond() {
        String first = HttpDates.now();
        String second = HttpDates.now();
        // Either the same cached instance, or the clock moved to the next second in between.
        if (first.equals(second)) {
            assertSame(first, second);
        } else {
            assertTrue(HttpDates.parse(second) > HttpDates.parse(first));
        }
    }
}
