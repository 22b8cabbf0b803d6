package dev.vod.internal.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.HttpProblem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing {@code ?start=&end=&exact=} from decoded query parameters. */
class SeekRequestTest {

    private static Optional<SeekRequest> parse(String... pairs) {
        java.util.LinkedHashMap<String, List<String>> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return Mp4Service.seekRequest(params);
    }

    @Test
    void neitherStartNorEndMeansNoSeek() {
        assertEquals(Optional.empty(), Mp4Service.seekRequest(Map.of()));
        assertEquals(Optional.empty(), parse("exact", "true", "t", "5"));
    }

    @Test
    void decimalSecondsRoundedToMilliseconds() {
        SeekRequest r = parse("start", "95.5", "end", "120").orElseThrow();
        assertEquals(95.5, r.start());
        assertEquals(120, r.end());
        assertFalse(r.exact());
        assertEquals(95_500, r.startMillis());
        assertEquals("s95.5-e120", r.tag());
        assertEquals(1_235, parse("start", "1.2345").orElseThrow().startMillis());
        assertEquals(500, parse("start", ".5").orElseThrow().startMillis());
        assertEquals(7_000, parse("start", "7.").orElseThrow().startMillis());
    }

    @Test
    void endAloneStartsAtZero() {
        SeekRequest r = parse("end", "30").orElseThrow();
        assertFalse(r.hasStart());
        assertTrue(r.hasEnd());
        assertEquals(0, r.startMillis());
        assertEquals("s0-e30", r.tag());
    }

    @Test
    void endNotAfterStartIsIgnored() {
        assertFalse(parse("start", "10", "end", "5").orElseThrow().hasEnd());
        assertFalse(parse("start", "10", "end", "10").orElseThrow().hasEnd());
        assertFalse(parse("start", "10", "end", "10.0004").orElseThrow().hasEnd(), "same millisecond");
        assertEquals("s10", parse("start", "10", "end", "5").orElseThrow().tag());
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "1", "yes", "", "TRUE"})
    void exactFlagTrue(String value) {
        SeekRequest r = parse("start", "3", "exact", value).orElseThrow();
        assertTrue(r.exact());
        assertEquals("s3-x", r.tag());
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "0", "no"})
    void exactFlagFalse(String value) {
        assertFalse(parse("start", "3", "exact", value).orElseThrow().exact());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "NaN", "Infinity", "1e400", "1e3", "", " 5", "5 ", "+5", "1.2.3", "0x10",
            "1,5", "١٢", "9999999999999", "1.0000000001", "-0", "."})
    void badStartIs400WithAMessage(String value) {
        HttpProblem p = assertThrows(HttpProblem.class, () -> parse("start", value));
        assertEquals(400, p.status());
        assertTrue(p.getMessage().startsWith("start must be a non-negative number of seconds"), p.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-3", "NaN"})
    void badEndIs400(String value) {
        HttpProblem p = assertThrows(HttpProblem.class, () -> parse("start", "1", "end", value));
        assertEquals(400, p.status());
        assertTrue(p.getMessage().startsWith("end must be"), p.getMessage());
    }

    @Test
    void badExactIs400() {
        assertEquals(400, assertThrows(HttpProblem.class, () -> parse("start", "1", "exact", "maybe")).status());
    }

    @Test
    void repeatedParameterIs400() {
        HttpProblem p = assertThrows(HttpProblem.class, () -> parse("start", "1", "start", "2"));
        assertEquals(400, p.status());
        assertTrue(p.getMessage().contains("more than once"));
    }

    @Test
    void messageDoesNotEchoControlCharactersOrLongInput() {
        HttpProblem p = assertThrows(HttpProblem.class, () -> parse("start", "\r\nX-Evil: 1" + "9".repeat(100)));
        assertFalse(p.getMessage().contains("\r") || p.getMessage().contains("\n"));
        assertTrue(p.getMessage().length() < 120, p.getMessage());
    }

    @Test
    void constructorRejectsNegativeAndInfiniteValues() {
        assertThrows(IllegalArgumentException.class, () -> new SeekRequest(-1, Double.NaN, false));
        assertThrows(IllegalArgumentException.class, () -> new SeekRequest(Double.POSITIVE_INFINITY, 1, false));
    }
}
