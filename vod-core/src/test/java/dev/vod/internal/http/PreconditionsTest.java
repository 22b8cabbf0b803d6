package dev.vod.internal.http;

import static dev.vod.internal.http.Preconditions.Outcome.NOT_MODIFIED;
import static dev.vod.internal.http.Preconditions.Outcome.PRECONDITION_FAILED;
import static dev.vod.internal.http.Preconditions.Outcome.PROCEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.http.Preconditions.EntityTag;
import dev.vod.internal.http.Preconditions.Outcome;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PreconditionsTest {
    private static final String ETAG = "\"5f3a-1e240\"";
    /** Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT, with a sub-second part as file systems report. */
    private static final long MODIFIED = 784111777_250L;
    private static final String AT_MODIFIED = "Sun, 06 Nov 1994 08:49:37 GMT";
    private static final String SECOND_BEFORE = "Sun, 06 Nov 1994 08:49:36 GMT";
    private static final String SECOND_AFTER = "Sun, 06 Nov 1994 08:49:38 GMT";
    private static final long NOW = 1_700_000_000_000L;

    private static Outcome get(String... nameValues) {
        return evaluate("GET", nameValues);
    }

    private static Outcome evaluate(String method, String... nameValues) {
        return evaluateWith(method, ETAG, MODIFIED, nameValues);
    }

    private static Outcome evaluateWith(String method, String etag, long modified, String... nameValues) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put(nameValues[i], nameValues[i + 1]);
        }
        return Preconditions.evaluate(method, headers::get, etag, modified, NOW);
    }

    private static boolean ifRange(String value) {
        return Preconditions.ifRangeAllowsPartial(value, ETAG, MODIFIED, NOW);
    }

    @Test
    void noConditionsProceed() {
        assertEquals(PROCEED, get());
    }

    // ---- If-Match

    @Test
    void ifMatchSameStrongTagProceeds() {
        assertEquals(PROCEED, get("If-Match", ETAG));
    }

    @Test
    void ifMatchOtherTagFails() {
        assertEquals(PRECONDITION_FAILED, get("If-Match", "\"other\""));
    }

    @Test
    void ifMatchStarProceeds() {
        assertEquals(PROCEED, get("If-Match", "*"));
    }

    @Test
    void ifMatchStarProceedsEvenWithoutCurrentEtag() {
        assertEquals(PROCEED, evaluateWith("GET", null, MODIFIED, "If-Match", "*"));
    }

    @Test
    void ifMatchTagWithoutCurrentEtagFails() {
        assertEquals(PRECONDITION_FAILED, evaluateWith("GET", null, MODIFIED, "If-Match", ETAG));
    }

    @Test
    void ifMatchListContainingTagProceeds() {
        assertEquals(PROCEED, get("If-Match", "\"a\", " + ETAG + ",\"b\""));
    }

    @Test
    void ifMatchListWithoutTagFails() {
        assertEquals(PRECONDITION_FAILED, get("If-Match", "\"a\", \"b\""));
    }

    @Test
    void ifMatchWeakTagNeverMatchesStrongly() {
        assertEquals(PRECONDITION_FAILED, get("If-Match", "W/" + ETAG));
    }

    @Test
    void ifMatchAgainstWeakCurrentTagFails() {
        assertEquals(PRECONDITION_FAILED, evaluateWith("GET", "W/" + ETAG, MODIFIED, "If-Match", ETAG));
    }

    @Test
    void ifMatchMalformedFails() {
        assertEquals(PRECONDITION_FAILED, get("If-Match", "5f3a-1e240"));
    }

    @Test
    void ifMatchFailureWinsOverIfNoneMatch() {
        assertEquals(PRECONDITION_FAILED, get("If-Match", "\"other\"", "If-None-Match", ETAG));
    }

    @Test
    void ifMatchSuccessThenIfNoneMatchGives304() {
        assertEquals(NOT_MODIFIED, get("If-Match", ETAG, "If-None-Match", ETAG));
    }

    // ---- If-Unmodified-Since

    @Test
    void ifUnmodifiedSinceAfterModificationProceeds() {
        assertEquals(PROCEED, get("If-Unmodified-Since", SECOND_AFTER));
    }

    @Test
    void ifUnmodifiedSinceEqualToModificationProceeds() {
        // Last-Modified has a .250 fraction; HTTP dates compare at whole seconds.
        assertEquals(PROCEED, get("If-Unmodified-Since", AT_MODIFIED));
    }

    @Test
    void ifUnmodifiedSinceBeforeModificationFails() {
        assertEquals(PRECONDITION_FAILED, get("If-Unmodified-Since", SECOND_BEFORE));
    }

    @Test
    void ifUnmodifiedSinceInvalidIsIgnored() {
        assertEquals(PROCEED, get("If-Unmodified-Since", "yesterday"));
    }

    @Test
    void ifUnmodifiedSinceIgnoredWhenLastModifiedUnknown() {
        assertEquals(PROCEED, evaluateWith("GET", ETAG, -1, "If-Unmodified-Since", SECOND_BEFORE));
    }

    @Test
    void ifUnmodifiedSinceIgnoredWhenIfMatchPresent() {
        assertEquals(PROCEED, get("If-Match", ETAG, "If-Unmodified-Since", SECOND_BEFORE));
    }

    // ---- If-None-Match

    @Test
    void ifNoneMatchSameTagIs304() {
        assertEquals(NOT_MODIFIED, get("If-None-Match", ETAG));
    }

    @Test
    void ifNoneMatchSameTagOnHeadIs304() {
        assertEquals(NOT_MODIFIED, evaluate("HEAD", "If-None-Match", ETAG));
    }

    @Test
    void ifNoneMatchOtherTagProceeds() {
        assertEquals(PROCEED, get("If-None-Match", "\"other\""));
    }

    @Test
    void ifNoneMatchStarIs304() {
        assertEquals(NOT_MODIFIED, get("If-None-Match", "*"));
    }

    @Test
    void ifNoneMatchListContainingTagIs304() {
        assertEquals(NOT_MODIFIED, get("If-None-Match", "\"a\" ,W/\"b\", " + ETAG));
    }

    @Test
    void ifNoneMatchListWithoutTagProceeds() {
        assertEquals(PROCEED, get("If-None-Match", "\"a\", W/\"b\""));
    }

    @Test
    void ifNoneMatchWeakTagMatchesWeakly() {
        assertEquals(NOT_MODIFIED, get("If-None-Match", "W/" + ETAG));
    }

    @Test
    void ifNoneMatchAgainstWeakCurrentTagMatchesWeakly() {
        assertEquals(NOT_MODIFIED, evaluateWith("GET", "W/" + ETAG, MODIFIED, "If-None-Match", ETAG));
    }

    @Test
    void ifNoneMatchWithoutCurrentEtagProceeds() {
        assertEquals(PROCEED, evaluateWith("GET", null, MODIFIED, "If-None-Match", ETAG));
    }

    @Test
    void ifNoneMatchMatchOnOtherMethodsFails() {
        assertEquals(PRECONDITION_FAILED, evaluate("POST", "If-None-Match", ETAG));
        assertEquals(PRECONDITION_FAILED, evaluate("PUT", "If-None-Match", "*"));
    }

    @Test
    void ifNoneMatchMalformedProceeds() {
        assertEquals(PROCEED, get("If-None-Match", "5f3a-1e240"));
    }

    @Test
    void ifNoneMatchTagContainingCommaIsOneTag() {
        assertEquals(NOT_MODIFIED, evaluateWith("GET", "\"a,b\"", MODIFIED, "If-None-Match", "\"x\", \"a,b\""));
        assertEquals(PROCEED, evaluateWith("GET", "\"a,b\"", MODIFIED, "If-None-Match", "\"a\", \"b\""));
    }

    // ---- If-None-Match takes precedence over If-Modified-Since

    @Test
    void ifNoneMatchMismatchIgnoresIfModifiedSinceThatWouldGive304() {
        assertEquals(PROCEED, get("If-None-Match", "\"other\"", "If-Modified-Since", SECOND_AFTER));
    }

    @Test
    void ifNoneMatchMatchGives304EvenIfModifiedSinceWouldNot() {
        assertEquals(NOT_MODIFIED, get("If-None-Match", ETAG, "If-Modified-Since", SECOND_BEFORE));
    }

    // ---- If-Modified-Since

    @Test
    void ifModifiedSinceBeforeModificationProceeds() {
        assertEquals(PROCEED, get("If-Modified-Since", SECOND_BEFORE));
    }

    @Test
    void ifModifiedSinceAfterModificationIs304() {
        assertEquals(NOT_MODIFIED, get("If-Modified-Since", SECOND_AFTER));
    }

    @Test
    void ifModifiedSinceEqualToModificationIs304() {
        assertEquals(NOT_MODIFIED, get("If-Modified-Since", AT_MODIFIED));
    }

    @Test
    void ifModifiedSinceInvalidIsIgnored() {
        assertEquals(PROCEED, get("If-Modified-Since", "Sun, 6 Nov 1994 08:49:37 GMT"));
    }

    @Test
    void ifModifiedSinceInTheFutureIsIgnored() {
        assertEquals(PROCEED, get("If-Modified-Since", HttpDates.format(NOW + 60_000)));
    }

    @Test
    void ifModifiedSinceAtNowIsHonoured() {
        assertEquals(NOT_MODIFIED, get("If-Modified-Since", HttpDates.format(NOW)));
    }

    @Test
    void ifModifiedSinceIgnoredForOtherMethods() {
        assertEquals(PROCEED, evaluate("POST", "If-Modified-Since", SECOND_AFTER));
    }

    @Test
    void ifModifiedSinceOnHeadIs304() {
        assertEquals(NOT_MODIFIED, evaluate("HEAD", "If-Modified-Since", SECOND_AFTER));
    }

    @Test
    void ifModifiedSinceIgnoredWhenLastModifiedUnknown() {
        assertEquals(PROCEED, evaluateWith("GET", ETAG, -1, "If-Modified-Since", SECOND_AFTER));
    }

    @Test
    void ifModifiedSinceObsoleteFormatsAreHonoured() {
        assertEquals(NOT_MODIFIED, get("If-Modified-Since", "Sun Nov  6 08:49:37 1994"));
        assertEquals(NOT_MODIFIED, get("If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT"));
    }

    @Test
    void methodIsCaseSensitive() {
        assertEquals(PRECONDITION_FAILED, evaluate("get", "If-None-Match", ETAG));
    }

    @Test
    void headerNamesAreLookedUpWithTheirCanonicalSpelling() {
        List<String> asked = new java.util.ArrayList<>();
        Preconditions.evaluate("GET", name -> {
            asked.add(name);
            return null;
        }, ETAG, MODIFIED, NOW);
        assertEquals(List.of("If-Match", "If-Unmodified-Since", "If-None-Match", "If-Modified-Since"), asked);
    }

    @Test
    void publicOverloadUsesTheClock() {
        assertEquals(NOT_MODIFIED, Preconditions.evaluate("GET",
                name -> name.equals("If-Modified-Since") ? AT_MODIFIED : null, ETAG, MODIFIED));
    }

    // ---- If-Range

    @Test
    void ifRangeAbsentAllowsPartial() {
        assertTrue(ifRange(null));
    }

    @Test
    void ifRangeStrongMatchAllowsPartial() {
        assertTrue(ifRange(ETAG));
    }

    @Test
    void ifRangeStrongMismatchSendsWhole() {
        assertFalse(ifRange("\"other\""));
    }

    @Test
    void ifRangeWeakTagSendsWhole() {
        assertFalse(ifRange("W/" + ETAG));
    }

    @Test
    void ifRangeAgainstWeakCurrentTagSendsWhole() {
        assertFalse(Preconditions.ifRangeAllowsPartial(ETAG, "W/" + ETAG, MODIFIED, NOW));
    }

    @Test
    void ifRangeTagWithoutCurrentEtagSendsWhole() {
        assertFalse(Preconditions.ifRangeAllowsPartial(ETAG, null, MODIFIED, NOW));
    }

    @Test
    void ifRangeListIsNotASingleTagAndSendsWhole() {
        assertFalse(ifRange(ETAG + ", " + ETAG));
    }

    @Test
    void ifRangeExactDateAllowsPartial() {
        assertTrue(ifRange(AT_MODIFIED));
    }

    @Test
    void ifRangeDateOneSecondLaterSendsWhole() {
        assertFalse(ifRange(SECOND_AFTER));
    }

    @Test
    void ifRangeDateOneSecondEarlierSendsWhole() {
        assertFalse(ifRange(SECOND_BEFORE));
    }

    @Test
    void ifRangeDateWhenLastModifiedUnknownSendsWhole() {
        assertFalse(Preconditions.ifRangeAllowsPartial(AT_MODIFIED, ETAG, -1, NOW));
    }

    @Test
    void ifRangeDateOfFileModifiedThisSecondIsWeakAndSendsWhole() {
        long now = MODIFIED + 500; // still within the Last-Modified second
        assertFalse(Preconditions.ifRangeAllowsPartial(AT_MODIFIED, ETAG, MODIFIED, now));
        assertTrue(Preconditions.ifRangeAllowsPartial(AT_MODIFIED, ETAG, MODIFIED, MODIFIED + 1000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "5f3a-1e240", "\"unterminated", "W/", "*", "Sun, 6 Nov 1994 08:49:37 GMT"})
    void ifRangeGarbageSendsWhole(String value) {
        assertFalse(ifRange(value));
    }

    // ---- entity-tag parsing

    @Test
    void entityTagListParsing() {
        assertEquals(List.of(new EntityTag(false, "a"), new EntityTag(true, "b"), new EntityTag(false, "")),
                EntityTag.parseList(" \"a\" ,\tW/\"b\",,\"\" "));
    }

    @Test
    void entityTagWithCommaAndObsText() {
        assertEquals(List.of(new EntityTag(false, "a,b"), new EntityTag(false, "caf\u00e9")),
                EntityTag.parseList("\"a,b\", \"caf\u00e9\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " , ", "a", "\"a", "\"a\" \"b\"", "\"a\"b", "w/\"a\"", "W/a", "\"a b\"", "\"a\u0001\"",
        "\"a\",b"})
    void malformedEntityTagListsAreNull(String field) {
        assertNull(EntityTag.parseList(field));
    }
}
