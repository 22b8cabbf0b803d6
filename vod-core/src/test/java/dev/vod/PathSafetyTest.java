package dev.vod;

import static dev.vod.testing.RawHttp.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Traversal, encoding tricks, symlinks, dotfiles and confidential paths, sent as exact bytes. Every secret in the
 * fixtures contains "SECRET", so one assertion checks that no byte of any of them ever leaks.
 */
class PathSafetyTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension(b -> b.deny("**/*.bin.part").deny("private/**"));

    private RawHttp.Response fetch(String target) throws Exception {
        RawHttp.Response r = RawHttp.exchange(server.address(), get(target));
        assertFalse(r.bodyText().contains("SECRET"), target + " leaked: " + r.bodyText());
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/../etc/passwd", "/..%2fetc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%252e%252e/etc/passwd",
        "/%c0%ae%c0%ae/etc/passwd", "/.%2e/etc/passwd", "/dir/../../etc/passwd", "/dir/..%5c..%5cetc/passwd",
        "/..\\..\\etc\\passwd", "/..;/etc/passwd", "/hello.txt%00.mp4", "/%00", "/dir/%2e%2e/%2e%2e/",
        "/%e0%80%ae%e0%80%ae/", "/%", "/%zz", "/%c3", "/a%0d%0aSet-Cookie:x"})
    void traversalAndEncodingTricksNeverEscapeTheRoot(String target) throws Exception {
        int status = fetch(target).status();
        assertTrue(status == 400 || status == 403 || status == 404, target + " -> " + status);
    }

    @Test
    void dotSegmentsInsideTheRootAreResolved() throws Exception {
        assertEquals("inner\n", fetch("/dir/sub/../inner.txt").bodyText());
        assertEquals("inner\n", fetch("/dir/./inner.txt").bodyText());
    }

    @Test
    void climbingAboveTheRootIsABadRequest() throws Exception {
        assertEquals(400, fetch("/../hello.txt").status());
    }

    @Test
    void percentEncodedNamesAreDecodedOnce() throws Exception {
        assertEquals(200, fetch("/hell%6f.txt").status());
        assertEquals(404, fetch("/hell%256f.txt").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/confidential/secret.txt", "/confidential/", "/confidential", "/CONFIDENTIAL/secret.txt",
        "/dir/Confidential/secret.txt", "/%63onfidential/secret.txt", "/dir/../confidential/secret.txt",
        "/confidential/missing.txt", "/nothing/here/confidential", "/to-confidential/secret.txt",
        "/dir/./Confidential/", "/cOnFiDeNtIaL/x"})
    void confidentialPathsAre403WhetherOrNotTheyExist(String target) throws Exception {
        // /to-confidential is a symbolic link on disk; a store has no links, so there it is simply not found.
        int expected = ServerExtension.onStore() && target.startsWith("/to-") ? 404 : 403;
        assertEquals(expected, fetch(target).status(), target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.hidden", "/.git/config", "/.git/", "/%2ehidden"})
    void dotfilesAndDotDirectoriesAreHidden(String target) throws Exception {
        int status = fetch(target).status();
        assertTrue(status == 403 || status == 404, target + " -> " + status);
    }

    @Test
    void symlinksOutOfTheRootAreRefused() throws Exception {
        assumeFalse(ServerExtension.onStore(), "a store has no symbolic links");
        assertEquals(403, fetch("/escape/passwd").status());
        assertEquals(403, fetch("/escape.txt").status());
    }

    @Test
    void aFileSwappedForAnEscapingSymlinkIsRefusedAtOnceDespiteTheResolutionCache() throws Exception {
        java.nio.file.Path file = server.root().resolve("swapped.txt");
        java.nio.file.Files.writeString(file, "fine\n");
        assertEquals("fine\n", fetch("/swapped.txt").bodyText()); // now cached as resolved
        java.nio.file.Files.delete(file);
        java.nio.file.Files.createSymbolicLink(file, server.root().resolve("escape.txt").toRealPath());
        int status = fetch("/swapped.txt").status();
        assertTrue(status == 403 || status == 404, "status " + status);
    }

    @Test
    void symlinksInsideTheRootAreFollowed() throws Exception {
        assumeFalse(ServerExtension.onStore(), "a store has no symbolic links");
        assertEquals("hello, vod\n", fetch("/inside-link.txt").bodyText());
    }

    @Test
    void denyRulesFromConfigurationAnswer403() throws Exception {
        assertEquals(403, fetch("/private/anything").status());
    }

    @Test
    void missingFileIs404() throws Exception {
        assertEquals(404, fetch("/nope.mp4").status());
    }

    @Test
    void directoryWithoutSlashRedirectsWith301() throws Exception {
        RawHttp.Response r = fetch("/dir");
        assertEquals(301, r.status());
        assertEquals("/dir/", r.header("Location"));
    }

    @Test
    void directoryWithSlashGivesAnIndexPageWithoutHiddenEntries() throws Exception {
        RawHttp.Response r = fetch("/");
        assertEquals(200, r.status());
        assertTrue(r.header("Content-Type").startsWith("text/html"));
        String html = r.bodyText();
        assertTrue(html.contains("sample.mp4"), html);
        assertTrue(html.contains("<video"), html);
        assertFalse(html.contains(".hidden"), html);
        assertFalse(html.toLowerCase().contains("confidential"), html);
    }
}
