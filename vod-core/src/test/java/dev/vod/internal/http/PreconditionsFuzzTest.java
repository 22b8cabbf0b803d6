package dev.vod.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HashMap;
import java.util.Map;

/**
 * Fuzzes {@link Preconditions#evaluate} and {@link Preconditions#ifRangeAllowsPartial} with arbitrary and
 * near-valid header values, entity tags and times: they never throw, and a few rules hold for every input (no
 * conditional header means proceed; 304 only for GET and HEAD; a weak or absent validator never allows a range
 * through If-Range).
 */
class PreconditionsFuzzTest {
    private static final String[] CONDITIONAL = {"If-Match", "If-None-Match", "If-Modified-Since",
        "If-Unmodified-Since"};

    @FuzzTest(maxDuration = "15s")
    void neverThrowsAndKeepsTheRules(FuzzedDataProvider data) {
        String method = data.pickValue(new String[] {"GET", "HEAD", "POST", "PUT", "DELETE", "get", ""});
        String etag = data.consumeBoolean() ? null : entityTag(data);
        long lastModified = switch (data.consumeInt(0, 2)) {
            case 0 -> -1;
            case 1 -> data.consumeLong(0, 4_102_444_800_000L);
            default -> data.consumeLong();
        };
        long now = data.consumeBoolean() ? System.currentTimeMillis() : data.consumeLong();
        Map<String, String> headers = new HashMap<>();
        for (String name : CONDITIONAL) {
            if (data.consumeBoolean()) {
                headers.put(name, value(data, etag, lastModified));
            }
        }
        String ifRange = data.consumeBoolean() ? null : value(data, etag, lastModified);

        Preconditions.Outcome outcome = Preconditions.evaluate(method, headers::get, etag, lastModified, now);
        boolean partial = Preconditions.ifRangeAllowsPartial(ifRange, etag, lastModified, now);

        assertNotNull(outcome);
        if (headers.isEmpty()) {
            assertEquals(Preconditions.Outcome.PROCEED, outcome);
        }
        if (outcome == Preconditions.Outcome.NOT_MODIFIED) {
            assertTrue(method.equals("GET") || method.equals("HEAD"), "304 for " + method);
        }
        if (ifRange == null) {
            assertTrue(partial, "no If-Range never blocks a range");
        } else if (ifRange.strip().startsWith("W/") || (etag == null && ifRange.strip().startsWith("\""))) {
            assertFalse(partial, "weak or unmatched entity tag allowed a range: " + ifRange + " vs " + etag);
        }
    }

    private static String entityTag(FuzzedDataProvider data) {
        return (data.consumeBoolean() ? "W/" : "") + "\"" + data.consumeAsciiString(12) + "\"";
    }

    /** A header value: free text, the current validators, or lists and dates that are almost right. */
    private static String value(FuzzedDataProvider data, String etag, long lastModified) {
        return switch (data.consumeInt(0, 6)) {
            case 0 -> data.consumeString(64);
            case 1 -> etag == null ? "*" : etag;
            case 2 -> "*";
            case 3 -> entityTag(data) + data.pickValue(new String[] {", ", ",", " ,", ""}) + (etag == null ? ""
                    : etag);
            case 4 -> lastModified >= 0 && lastModified < 253_402_300_799_000L ? HttpDates.format(lastModified)
                    : "Sun, 06 Nov 1994 08:49:37 GMT";
            case 5 -> data.pickValue(new String[] {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                "Sun Nov  6 08:49:37 1994", "Sun, 31 Feb 2021 25:61:61 GMT", "Mon, 01 Jan 10000 00:00:00 GMT",
                "Thu, 01 Jan 1970 00:00:00 GMT", "W/", "\"", "W/\"", ""}) + data.consumeString(8);
            default -> data.consumeAsciiString(40);
        };
    }
}
