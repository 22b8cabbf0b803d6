package dev.vod.internal.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessPolicyTest {
    private final AccessPolicy defaults = AccessPolicy.defaults();

    private static AccessPolicy deny(String... globs) {
        return new AccessPolicy(List.of(globs));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a.mp4", "videos/a.mp4", "videos/", "not-confidential/a.mp4", "confidentials/x",
        "a.confidential", "x/y/z/w.mp4", "a..b", "dir.d/file"})
    void ordinaryPathsAreAllowed(String path) {
        assertTrue(defaults.allows(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"confidential", "confidential/a.mp4", "a/confidential/b.mp4", "CONFIDENTIAL/x",
        "Confidential", "a/ConFidenTial", "x/confidential/"})
    void confidentialSegmentIsDeniedInAnyCase(String path) {
        assertFalse(defaults.allows(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {".env", ".git/config", "a/.hidden.mp4", "a/.git/HEAD", ".", "..", "a/../b", ".x/"})
    void dotSegmentsAreDenied(String path) {
        assertFalse(defaults.allows(path), path);
    }

    @Test
    void requestPathAndStringFormAgree() {
        RequestPath path = RequestPath.parse("/a/Confidential/b.mp4");
        assertFalse(defaults.allows(path));
        assertFalse(defaults.allows(path.relative()));
        assertTrue(defaults.allows(RequestPath.parse("/a/b.mp4")));
        assertTrue(defaults.allows(RequestPath.ROOT));
    }

    @Test
    void emptySegmentsInStringFormAreIgnored() {
        assertTrue(defaults.allows("/a//b.mp4/"));
        assertFalse(deny("a/b.key").allows("a//b.key"));
    }

    @Test
    void extensionGlobMatchesAtTopLevel() {
        assertFalse(deny("*.key").allows("server.key"));
    }

    @Test
    void extensionGlobMatchesInSubdirectoriesByFileName() {
        AccessPolicy policy = deny("*.key");
        assertFalse(policy.allows("a/b/server.key"));
        assertTrue(policy.allows("a/b/server.mp4"));
        assertTrue(policy.allows("keys/a.mp4"));
    }

    @Test
    void deniedDirectoryHidesItsSubtree() {
        AccessPolicy policy = deny("private");
        assertFalse(policy.allows("private"));
        assertFalse(policy.allows("private/a.mp4"));
        assertFalse(policy.allows("x/private/a.mp4"));
        assertTrue(policy.allows("privately/a.mp4"));
    }

    @Test
    void doubleStarGlobDeniesContentsAtAnyDepth() {
        AccessPolicy policy = deny("private/**");
        assertFalse(policy.allows("private/a.mp4"));
        assertFalse(policy.allows("private/x/y/a.mp4"));
        assertTrue(policy.allows("public/a.mp4"));
    }

    @Test
    void anchoredGlobMatchesFullRelativePath() {
        AccessPolicy policy = deny("a/*.mp4");
        assertFalse(policy.allows("a/x.mp4"));
        assertTrue(policy.allows("b/x.mp4"));
        assertTrue(policy.allows("b/a/x.mp4"));
    }

    @Test
    void leadingDoubleStarSlashAlsoMatchesTopLevel() {
        AccessPolicy policy = deny("**/*.part");
        assertFalse(policy.allows("a.part"));
        assertFalse(policy.allows("x/y/a.part"));
        assertTrue(policy.allows("a.mp4"));
    }

    @Test
    void leadingSlashIsRootRelative() {
        AccessPolicy policy = deny("/drafts/**");
        assertFalse(policy.allows("drafts/a.mp4"));
        assertTrue(policy.allows("final/a.mp4"));
    }

    @Test
    void braceAndCharacterClassGlobs() {
        AccessPolicy policy = deny("*.{key,pem}", "tmp[0-9]");
        assertFalse(policy.allows("a/b.pem"));
        assertFalse(policy.allows("c.key"));
        assertFalse(policy.allows("tmp3/a.mp4"));
        assertTrue(policy.allows("tmpx/a.mp4"));
    }

    @Test
    void globsAreCaseSensitive() {
        AccessPolicy policy = deny("*.key");
        assertTrue(policy.allows("A.KEY"));
    }

    @Test
    void rootIsAllowedEvenWithCatchAllGlob() {
        AccessPolicy policy = deny("**");
        assertTrue(policy.allows(""));
        assertFalse(policy.allows("a.mp4"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[abc", "{a,b", "a{b{c}}", "[z-a]"})
    void invalidGlobSyntaxFailsAtConstructionNamingTheGlob(String glob) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> deny(glob));
        assertTrue(e.getMessage().contains("Invalid deny glob '" + glob + "'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "/"})
    void blankGlobIsRejected(String glob) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> deny(glob));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void denyGlobsAreKeptAsConfigured() {
        assertEquals(List.of("*.key", "/a/**"), deny("*.key", "/a/**").denyGlobs());
    }
}
