package dev.vod.internal.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.body.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentResolverTest {
    @TempDir
    Path temp;

    private Path root;
    private ContentResolver resolver;

    @BeforeEach
    void createContent() throws IOException {
        root = Files.createDirectories(temp.resolve("content"));
        Files.write(root.resolve("a.mp4"), new byte[1234]);
        Files.setLastModifiedTime(root.resolve("a.mp4"), FileTime.fromMillis(784111777_000L));
        Files.createDirectories(root.resolve("videos/sub"));
        Files.writeString(root.resolve("videos/b c.webm"), "webm");
        Files.createDirectories(root.resolve("confidential"));
        Files.writeString(root.resolve("confidential/secret.mp4"), "secret");
        Files.writeString(root.resolve(".env"), "KEY=1");
        Files.writeString(root.resolve("server.key"), "key");
        Files.writeString(temp.resolve("outside.txt"), "outside");
        resolver = new ContentResolver(root, new AccessPolicy(List.of("*.key")));
    }

    private Resolved resolve(String rawPath) {
        return resolver.resolve(RequestPath.parse(rawPath));
    }

    private int status(String rawPath) {
        return assertThrows(HttpProblem.class, () -> resolve(rawPath)).status();
    }

    @Test
    void regularFileIsStatedOnce() throws IOException {
        Resolved.File file = assertInstanceOf(Resolved.File.class, resolve("/a.mp4"));
        SourceFile source = file.file();
        assertEquals(root.toRealPath().resolve("a.mp4"), source.path());
        assertEquals(1234, source.size());
        assertEquals(784111777_000L, source.lastModified());
    }

    @Test
    void fileInSubdirectoryWithEncodedName() throws IOException {
        Resolved.File file = assertInstanceOf(Resolved.File.class, resolve("/videos/b%20c.webm"));
        assertEquals(root.toRealPath().resolve("videos/b c.webm"), file.file().path());
        assertEquals(4, file.file().size());
    }

    @Test
    void missingFileIs404() {
        assertEquals(404, status("/nope.mp4"));
        assertEquals(404, status("/nope/deeper.mp4"));
    }

    @Test
    void fileUsedAsDirectoryIs404() {
        assertEquals(404, status("/a.mp4/x"));
    }

    @Test
    void fileWithTrailingSlashIs404() {
        assertEquals(404, status("/a.mp4/"));
    }

    @Test
    void rootDirectory() throws IOException {
        Resolved.Directory dir = assertInstanceOf(Resolved.Directory.class, resolve("/"));
        assertEquals(root.toRealPath(), dir.realDir());
        assertEquals(RequestPath.ROOT, dir.path());
    }

    @Test
    void directoryWithTrailingSlash() throws IOException {
        Resolved.Directory dir = assertInstanceOf(Resolved.Directory.class, resolve("/videos/sub/"));
        assertEquals(root.toRealPath().resolve("videos/sub"), dir.realDir());
        assertEquals("/videos/sub/", dir.path().toString());
    }

    @Test
    void directoryWithoutTrailingSlashRedirects() {
        Resolved.Redirect redirect = assertInstanceOf(Resolved.Redirect.class, resolve("/videos/sub"));
        assertEquals("/videos/sub/", redirect.location());
    }

    @Test
    void redirectLocationIsPercentEncoded() throws IOException {
        Files.createDirectories(root.resolve("My Films #1?"));
        Resolved.Redirect redirect = assertInstanceOf(Resolved.Redirect.class, resolve("/My%20Films%20%231%3F"));
        assertEquals("/My%20Films%20%231%3F/", redirect.location());
    }

    @Test
    void redirectLocationIncludesTheMountPath() throws IOException {
        ContentResolver mounted = new ContentResolver(root, AccessPolicy.defaults(), "/media files/");
        Resolved resolved = mounted.resolve(RequestPath.parse("/videos"));
        assertEquals(new Resolved.Redirect("/media%20files/videos/"), resolved);
    }

    @Test
    void mountPointWithoutSlashRedirectsToTheMountPoint() throws IOException {
        ContentResolver mounted = new ContentResolver(root, AccessPolicy.defaults(), "/videos");
        RequestPath mountRoot = RequestPath.parse("/videos").under(RequestPath.parse("/videos/")).orElseThrow();
        assertEquals(new Resolved.Redirect("/videos/"), mounted.resolve(mountRoot));
    }

    @Test
    void confidentialIs403WhetherOrNotItExists() {
        assertEquals(403, status("/confidential/secret.mp4"));
        assertEquals(403, status("/confidential/missing.mp4"));
        assertEquals(403, status("/nowhere/Confidential/missing.mp4"));
        assertEquals(403, status("/confidential/"));
        assertEquals(403, status("/confidential"));
    }

    @Test
    void dotfilesAre403() {
        assertEquals(403, status("/.env"));
        assertEquals(403, status("/.missing"));
        assertEquals(403, status("/%2eenv"));
    }

    @Test
    void denyGlobIs403() {
        assertEquals(403, status("/server.key"));
        assertEquals(403, status("/videos/other.key"));
    }

    @Test
    void symlinkEscapingTheRootIs403() throws IOException {
        Files.createSymbolicLink(root.resolve("escape.txt"), temp.resolve("outside.txt"));
        Files.createSymbolicLink(root.resolve("up"), temp);
        assertEquals(403, status("/escape.txt"));
        assertEquals(403, status("/up/outside.txt"));
        assertEquals(403, status("/up/"));
    }

    @Test
    void symlinkToConfidentialDirectoryIs403() throws IOException {
        Files.createSymbolicLink(root.resolve("innocent"), root.resolve("confidential"));
        assertEquals(403, status("/innocent/secret.mp4"));
        assertEquals(403, status("/innocent/"));
    }

    @Test
    void symlinkToDotfileIs403() throws IOException {
        Files.createSymbolicLink(root.resolve("env.txt"), root.resolve(".env"));
        assertEquals(403, status("/env.txt"));
    }

    @Test
    void symlinkInsideTheRootIsServedAsItsTarget() throws IOException {
        Files.createSymbolicLink(root.resolve("alias.mp4"), root.resolve("a.mp4"));
        Resolved.File file = assertInstanceOf(Resolved.File.class, resolve("/alias.mp4"));
        assertEquals(root.toRealPath().resolve("a.mp4"), file.file().path());
    }

    @Test
    void rootThatIsItselfASymlinkWorks() throws IOException {
        Path link = Files.createSymbolicLink(temp.resolve("link-to-content"), root);
        ContentResolver viaLink = new ContentResolver(link, AccessPolicy.defaults());
        assertEquals(root.toRealPath(), viaLink.realRoot());
        assertInstanceOf(Resolved.File.class, viaLink.resolve(RequestPath.parse("/a.mp4")));
    }

    @Test
    void siblingDirectorySharingTheRootPrefixIsOutside() throws IOException {
        Path sibling = Files.createDirectories(temp.resolve("content2"));
        Files.writeString(sibling.resolve("x.mp4"), "x");
        Files.createSymbolicLink(root.resolve("sib"), sibling);
        assertEquals(403, status("/sib/x.mp4"));
    }

    @Test
    void brokenSymlinkIs404() throws IOException {
        Files.createSymbolicLink(root.resolve("broken.mp4"), root.resolve("gone.mp4"));
        assertEquals(404, status("/broken.mp4"));
    }

    @Test
    void fifoIs404() throws Exception {
        Path fifo = root.resolve("pipe");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            return; // no mkfifo on this platform: nothing to test
        }
        if (mkfifo.waitFor() != 0) {
            return;
        }
        assertEquals(404, status("/pipe"));
    }

    @Test
    void missingRootFailsWithClearMessage() {
        IOException e = assertThrows(IOException.class,
                () -> new ContentResolver(temp.resolve("missing"), AccessPolicy.defaults()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void fileAsRootFailsWithClearMessage() {
        IOException e = assertThrows(IOException.class,
                () -> new ContentResolver(temp.resolve("outside.txt"), AccessPolicy.defaults()));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void invalidMountPathIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new ContentResolver(root, AccessPolicy.defaults(), "/a/%zz/"));
    }
}
