package dev.vod.internal.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vod.internal.HttpProblem;

/**
 * Fuzzes {@link RequestPath#parse}: every input either is rejected with a 400 {@link HttpProblem} or becomes a
 * path whose segments are plain names (no empty, {@code .} or {@code ..} segment; no slash, backslash or control
 * character), and encoding that path and parsing it again gives the same path (decoding happens exactly once).
 */
class RequestPathFuzzTest {
    private static final String[] PIECES = {"/", "..", ".", "%2e", "%2E", "%2f", "%5c", "%25", "%00", "%c0%ae",
        "%e2%82%ac", "\\", ";", "confidential", "a", "%", "%zz", "\u00e9", "\u20ac", "//"};

    @FuzzTest(maxDuration = "15s")
    void parseRejectsOrNormalises(FuzzedDataProvider data) {
        String raw = data.consumeBoolean() ? "/" + pieces(data) : data.consumeRemainingAsString();
        RequestPath path;
        try {
            path = RequestPath.parse(raw);
        } catch (HttpProblem problem) {
            assertEquals(400, problem.status(), problem.getMessage());
            return;
        }
        for (String segment : path.segments()) {
            assertFalse(segment.isEmpty() || segment.equals(".") || segment.equals(".."), "segment " + segment);
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                assertTrue(c >= 0x20 && c != 0x7f && c != '/' && c != '\\', "character " + (int) c + " in " + raw);
            }
        }
        String again = path.isRoot() ? "/" : "/" + path.relativeEncoded() + (path.trailingSlash() ? "/" : "");
        assertEquals(path, RequestPath.parse(again), "re-encoded as " + again);
    }

    private static String pieces(FuzzedDataProvider data) {
        StringBuilder out = new StringBuilder();
        int n = data.consumeInt(0, 30);
        for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
            out.append(data.consumeBoolean() ? data.pickValue(PIECES) : data.consumeString(4));
        }
        return out.toString();
    }
}
