package dev.vod.internal.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vod.internal.HttpProblem;
import dev.vod.internal.content.RequestPath;

/**
 * Fuzzes the request-target the way a request goes through it: {@link RequestTarget#parse}, then
 * {@link RequestTarget#under} a mount path, then {@link RequestPath#parse}. Each input must end either as a valid
 * path or as an {@link HttpProblem} (status 400–599); any other exception is a bug. A parsed target's path starts
 * with {@code /} and contains neither the query nor a fragment.
 */
class RequestTargetFuzzTest {
    private static final String[] MOUNTS = {"/", "/videos/", "/a/b/"};
    private static final String[] PREFIXES = {"/", "/videos/", "/videos", "http://h", "http://h/videos/",
        "HTTPS://h:8080/", "http:/", "ftp://h/", "//", "*", "", "?", "#"};

    @FuzzTest(maxDuration = "15s")
    void parseThenResolveEndsInAPathOrAProblem(FuzzedDataProvider data) {
        String mount = data.pickValue(MOUNTS);
        String uri = data.consumeBoolean() ? data.pickValue(PREFIXES) + data.consumeRemainingAsString()
                : data.consumeRemainingAsString();
        try {
            RequestTarget target = RequestTarget.parse(uri);
            assertTrue(target.path().startsWith("/"), "path of " + uri + ": " + target.path());
            assertFalse(target.path().contains("?") || target.path().contains("#"), "path " + target.path());
            RequestTarget under = target.under(mount);
            if (under != null && !under.path().isEmpty()) {
                assertTrue(under.path().startsWith("/"), "under " + mount + ": " + under.path());
                RequestPath.parse(under.path());
            }
        } catch (HttpProblem problem) {
            assertTrue(problem.status() >= 400 && problem.status() <= 599, "status " + problem.status());
        }
    }
}
