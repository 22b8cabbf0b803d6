package dev.vod.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class SizeConverterTest {

    @Test
    void mebibyteSuffixIsPowerOf1024() {
        assertEquals(5_242_880L, SizeConverter.parse("5MiB"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "0, 0",
        "1048576, 1048576",
        "512k, 524288",
        "512K, 524288",
        "512KiB, 524288",
        "5M, 5242880",
        "5m, 5242880",
        "5mib, 5242880",
        "2G, 2147483648",
        "2GiB, 2147483648",
        "1T, 1099511627776",
        "64MiB, 67108864",
    })
    void acceptsPlainNumbersAndBinarySuffixes(String text, long expected) {
        assertEquals(expected, SizeConverter.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "1.5M", "5MB", "5 M", "M", "5X", "abc", "0x10", "5Mi"})
    void refusesAnythingElse(String text) {
        assertThrows(TypeConversionException.class, () -> SizeConverter.parse(text));
    }

    @Test
    void refusesSizesBeyondLongRange() {
        assertThrows(TypeConversionException.class, () -> SizeConverter.parse("9999999999T"));
        assertThrows(TypeConversionException.class, () -> SizeConverter.parse("99999999999999999999"));
    }
}
