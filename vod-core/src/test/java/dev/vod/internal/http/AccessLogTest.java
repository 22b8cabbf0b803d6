package dev.vod.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The access log's figures: one decimal, a dot whatever the locale. */
class AccessLogTest {
    @ParameterizedTest
    @CsvSource({"0, 0.0", "0.04, 0.0", "0.06, 0.1", "0.4, 0.4", "1.95, 2.0", "53.34, 53.3", "8012.44, 8012.4",
        "4526.4, 4526.4", "123456789.0, 123456789.0", "-1.5, -1.5"})
    void tenthsAreRoundedToOneDecimal(double value, String expected) {
        assertEquals(expected, AccessLog.tenths(value));
    }
}
