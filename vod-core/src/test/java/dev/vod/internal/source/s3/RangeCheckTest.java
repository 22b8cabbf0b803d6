package dev.vod.internal.source.s3;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vod.ContentSource.SourceException;
import dev.vod.ContentSource.SourceException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link RangeCheck}: is the answer's head the answer to "bytes 100-199 of version "v1""? */
class RangeCheckTest {
    private static Kind kindOf(String etag, String contentRange, Long length) {
        return assertThrows(SourceException.class,
                () -> RangeCheck.verify(etag, contentRange, length, "\"v1\"", 100, 100, "s3://b/k")).kind();
    }

    @Test
    void theRightAnswerPasses() {
        assertDoesNotThrow(() -> RangeCheck.verify("\"v1\"", "bytes 100-199/5000", 100L, "\"v1\"", 100, 100, "k"));
        assertDoesNotThrow(() -> RangeCheck.verify("v1", "bytes 100-199/*", null, "\"v1\"", 100, 100, "k"));
        assertDoesNotThrow(() -> RangeCheck.verify(null, "bytes 100-199/5000", 100L, "\"v1\"", 100, 100, "k"));
    }

    @Test
    void aWholeObjectThatIsTheRangePasses() {
        assertDoesNotThrow(() -> RangeCheck.verify("\"v1\"", null, 100L, "\"v1\"", 0, 100, "k"));
    }

    @Test
    void anotherVersionIsChanged() {
        assertEquals(Kind.CHANGED, kindOf("\"v2\"", "bytes 100-199/5000", 100L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes 100-149/150", "bytes 0-99/5000", "bytes 100-299/5000"})
    void otherBytesAreChanged(String contentRange) {
        assertEquals(Kind.CHANGED, kindOf("\"v1\"", contentRange, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes */5000", "100-199/5000", "bytes=100-199", "bytes 100-199", "items 100-199/5",
            "bytes 99999999999999999999-1/2", ""})
    void unreadableContentRangeIsUnavailable(String contentRange) {
        assertEquals(Kind.UNAVAILABLE, kindOf("\"v1\"", contentRange, 100L));
    }

    @Test
    void noContentRangeOnAPartIsUnavailable() {
        assertEquals(Kind.UNAVAILABLE, kindOf("\"v1\"", null, 5000L));
    }

    @Test
    void aLengthThatContradictsTheRangeIsUnavailable() {
        assertEquals(Kind.UNAVAILABLE, kindOf("\"v1\"", "bytes 100-199/5000", 50L));
    }
}
