package dev.vod.internal.live.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The pure text rules: JSON quoting and reading, display names. */
class ChatTextTest {
    @Test
    void quotingEscapesWhatJsonAndHtmlNeed() {
        assertEquals("\"\\\"\\\\\\n\\r\\t\\u0001\\u003c/script\\u003e \\u0026 \\u2028\"",
                Json.quote("\"\\\n\r\t\u0001</script> & \u2028"));
    }

    @Test
    void aLoneSurrogateIsEscapedAndAPairKept() {
        assertEquals("\"\\ud800 😀\"", Json.quote("\ud800 😀"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"<script>\"\\\n", "\u0000\u001f", "😀 é", "\ud800", ""})
    void quotedTextReadsBackTheSame(String text) {
        assertEquals(text, Json.parse(Json.quote(text)));
    }

    @Test
    void readsNestedObjectsAndArrays() {
        assertEquals(Map.of("a", List.of(Map.of("b", true)), "c", Map.of()),
                Json.parse(" {\"a\":[{\"b\":true}],\"c\":{}} "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\"}", "{\"a\":1,}", "[1 2]", "\"\\x\"", "{} {}", "nul"})
    void rejectsWhatIsNotJson(String text) {
        assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
    }

    @Test
    void rejectsDeepNestingInsteadOfOverflowingTheStack() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(60_000)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'  alice  '|alice",
        "'a\u0007l\ti\r\nce'|alice",
        "'\u202Eevil'|evil",
        "'\u0000\u0001 '|''",
    })
    void namesAreCleanedAndTrimmed(String requested, String kept) {
        assertEquals(kept, DisplayNames.sanitize(requested));
    }

    @Test
    void aNameIsCutAt32CodePointsWithoutSplittingOne() {
        assertEquals("😀".repeat(32), DisplayNames.sanitize("😀".repeat(40)));
    }

    @Test
    void aNullNameIsEmpty() {
        assertEquals("", DisplayNames.sanitize(null));
    }
}
