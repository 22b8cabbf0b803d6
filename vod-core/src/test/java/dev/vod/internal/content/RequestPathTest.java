package dev.vod.internal.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.HttpProblem;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPathTest {

    private static HttpProblem badRequest(String raw) {
        HttpProblem problem = assertThrows(HttpProblem.class, () -> RequestPath.parse(raw));
        assertEquals(400, problem.status());
        return problem;
    }

    @Test
    void rootIsEmptyWithTrailingSlash() {
        RequestPath root = RequestPath.parse("/");
        assertTrue(root.isRoot());
        assertTrue(root.trailingSlash());
        assertEquals(List.of(), root.segments());
        assertEquals("/", root.toString());
        assertEquals("", root.relative());
        assertEquals("/", root.encoded());
    }

    @Test
    void simpleFile() {
        RequestPath path = RequestPath.parse("/videos/a.mp4");
        assertEquals(List.of("videos", "a.mp4"), path.segments());
        assertFalse(path.trailingSlash());
        assertFalse(path.isRoot());
        assertEquals("/videos/a.mp4", path.toString());
        assertEquals("videos/a.mp4", path.relative());
        assertEquals("a.mp4", path.fileName());
    }

    @Test
    void directoryKeepsTrailingSlash() {
        RequestPath path = RequestPath.parse("/videos/");
        assertEquals(List.of("videos"), path.segments());
        assertTrue(path.trailingSlash());
        assertEquals("/videos/", path.toString());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/a/./b, /a/b",
        "/a/b/.., /a/",
        "/a/b/., /a/b/",
        "/a/b/../c, /a/c",
        "/./a, /a",
        "/a/.., /",
        "/.., ''",
        "//a///b//, /a/b/",
        "//, /",
        "/a//b, /a/b",
        "/%2e%2e/x, ''",
        "/a/%2e%2e/b, /b",
        "/a/%2E/b, /a/b",
        "/a/.%2e/b, /b",
        "/a/b/%2e%2e, /a/",
    })
    void removesDotSegmentsAndCollapsesSlashes(String raw, String expected) {
        if (expected.isEmpty()) {
            badRequest(raw);
        } else {
            assertEquals(expected, RequestPath.parse(raw).toString());
        }
    }

    @Test
    void climbingAboveRootSaysSo() {
        HttpProblem problem = badRequest("/a/../../etc/passwd");
        assertTrue(problem.getMessage().contains("above the root"), problem.getMessage());
    }

    @Test
    void encodedDotDotClimbingAboveRootIsRejected() {
        badRequest("/%2e%2e/%2e%2e/etc/passwd");
    }

    @Test
    void decodesPercentEncodingOnce() {
        assertEquals(List.of("My Film", "a b.mp4"), RequestPath.parse("/My%20Film/a%20b.mp4").segments());
    }

    @Test
    void doubleEncodedDotDotIsALiteralName() {
        assertEquals(List.of("%2e%2e", "x"), RequestPath.parse("/%252e%252e/x").segments());
    }

    @Test
    void decodesUtf8() {
        assertEquals(List.of("vidéo.mp4"), RequestPath.parse("/vid%C3%A9o.mp4").segments());
        assertEquals(List.of("日本"), RequestPath.parse("/%E6%97%A5%E6%9C%AC").segments());
        assertEquals(List.of("\uD83C\uDFAC"), RequestPath.parse("/%F0%9F%8E%AC").segments());
    }

    @Test
    void rawUtf8OctetsAsNettyPassesThemAreDecoded() {
        // Netty maps each request-line byte to one char: "é" sent raw arrives as \u00C3\u00A9.
        assertEquals(List.of("vidéo.mp4"), RequestPath.parse("/vid\u00C3\u00A9o.mp4").segments());
    }

    @Test
    void charactersAboveLatin1AreRejected() {
        badRequest("/\u65E5");
    }

    @Test
    void lowerAndUpperCaseHexDigitsBothDecode() {
        assertEquals(List.of("a_bé"), RequestPath.parse("/a_b%c3%a9").segments());
        assertEquals(List.of("a_bé"), RequestPath.parse("/a_b%C3%A9").segments());
    }

    @Test
    void plusIsNotASpaceInPaths() {
        assertEquals(List.of("a+b"), RequestPath.parse("/a+b").segments());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%", "/a%", "/a%2", "/%zz", "/%2g", "/%g2", "/a%%20", "/%-1"})
    void malformedPercentEncodingIs400(String raw) {
        badRequest(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/%c0%ae",            // overlong '.'
        "/%c0%ae%c0%ae/x",    // overlong '..'
        "/%c0%af",            // overlong '/'
        "/%e0%80%ae",         // 3-byte overlong '.'
        "/%ed%a0%80",         // UTF-16 surrogate encoded in UTF-8
        "/%f4%90%80%80",      // above U+10FFFF
        "/%ff",               // never valid
        "/%c3",               // truncated sequence
        "/%80",               // lone continuation byte
        "/\u00C3x",           // raw truncated sequence
    })
    void invalidUtf8Is400(String raw) {
        HttpProblem problem = badRequest(raw);
        assertTrue(problem.getMessage().contains("UTF-8"), problem.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%00b", "/a%00", "/%0a", "/%0d%0a", "/%1f", "/%7f", "/a\u0000b", "/a\tb", "/a\u007fb"})
    void controlCharactersAre400(String raw) {
        badRequest(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\\b", "/a%5cb", "/a%5Cb", "/..\\..\\windows", "/%5c..%5c..%5cwin.ini"})
    void backslashRawOrEncodedIs400(String raw) {
        badRequest(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%2fb", "/a%2Fb", "/%2F", "/..%2f..%2fetc%2fpasswd", "/%2e%2e%2f"})
    void encodedSlashIs400(String raw) {
        badRequest(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "http://host/a", "*", "%2fa"})
    void pathNotStartingWithSlashIs400(String raw) {
        badRequest(raw);
    }

    @Test
    void nullIs400() {
        badRequest(null);
    }

    @Test
    void encodedEscapesEverythingOutsidePathSafeCharacters() {
        RequestPath path = new RequestPath(List.of("a b", "x#y?z%&'\"<>", "vidéo"), false);
        assertEquals("/a%20b/x%23y%3Fz%25%26%27%22%3C%3E/vid%C3%A9o", path.encoded());
        assertEquals("a%20b/x%23y%3Fz%25%26%27%22%3C%3E/vid%C3%A9o", path.relativeEncoded());
    }

    @Test
    void encodedKeepsUnreservedAndSafeSubDelims() {
        assertEquals("/aZ0-._~!$()*+,;=:@/", new RequestPath(List.of("aZ0-._~!$()*+,;=:@"), true).encoded());
    }

    @Test
    void encodeThenParseRoundTrips() {
        RequestPath original = new RequestPath(List.of("a b", "x#y?z%", "vidéo", "日本", "%2e%2e"), true);
        assertEquals(original, RequestPath.parse(original.encoded()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "a\\b", "a\u0000", "\n"})
    void constructorRejectsUnsafeSegments(String segment) {
        assertThrows(IllegalArgumentException.class, () -> new RequestPath(List.of(segment), false));
    }

    @Test
    void parentAndChild() {
        RequestPath dir = RequestPath.parse("/a/b/");
        assertEquals("/a/", dir.parent().toString());
        assertEquals(RequestPath.ROOT, RequestPath.parse("/a").parent());
        assertEquals(RequestPath.ROOT, RequestPath.ROOT.parent());
        assertEquals("/a/b/c.mp4", dir.child("c.mp4", false).toString());
        assertEquals("/a/b/d/", dir.child("d", true).toString());
        assertThrows(IllegalArgumentException.class, () -> dir.child("..", true));
    }

    @Test
    void underMountStripsThePrefix() {
        RequestPath mount = RequestPath.parse("/videos/");
        assertEquals(Optional.of(RequestPath.parse("/a/b.mp4")), RequestPath.parse("/videos/a/b.mp4").under(mount));
        assertEquals(Optional.of(RequestPath.ROOT), RequestPath.parse("/videos/").under(mount));
    }

    @Test
    void mountPointWithoutSlashIsRootWithoutTrailingSlash() {
        Optional<RequestPath> inside = RequestPath.parse("/videos").under(RequestPath.parse("/videos/"));
        assertTrue(inside.isPresent());
        assertTrue(inside.get().isRoot());
        assertFalse(inside.get().trailingSlash());
    }

    @Test
    void pathsOutsideTheMountAreNotUnderIt() {
        RequestPath mount = RequestPath.parse("/videos/");
        assertTrue(RequestPath.parse("/videosX/a").under(mount).isEmpty());
        assertTrue(RequestPath.parse("/other/a").under(mount).isEmpty());
        assertTrue(RequestPath.ROOT.under(mount).isEmpty());
    }

    @Test
    void everythingIsUnderTheRootMount() {
        RequestPath path = RequestPath.parse("/a/b");
        assertEquals(Optional.of(path), path.under(RequestPath.ROOT));
    }

    @Test
    void dotDotCannotLeaveTheMountAfterNormalisation() {
        // normalised first, so /videos/../secret is /secret, which is not under /videos/
        assertTrue(RequestPath.parse("/videos/../secret").under(RequestPath.parse("/videos/")).isEmpty());
    }
}
