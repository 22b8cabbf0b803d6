package dev.vod.internal.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexPageTest {
    private static final long MODIFIED = 1_700_000_000_000L; // 2023-11-14 22:13 UTC

    @TempDir
    Path dir;

    private final MimeTypes mime = MimeTypes.defaults();

    private static IndexPage.Entry file(String name, String type) {
        return new IndexPage.Entry(name, false, 1536, MODIFIED, type);
    }

    private static IndexPage.Entry directory(String name) {
        return new IndexPage.Entry(name, true, 0, MODIFIED, null);
    }

    private static IndexPage.Entry title(String name) {
        return new IndexPage.Entry(name, true, 0, MODIFIED, null, true);
    }

    private static List<String> hrefs(String html) {
        Matcher m = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
        return m.results().map(r -> r.group(1)).toList();
    }

    // ---- list

    @Test
    void listsDirectoriesFirstThenFilesByName() throws IOException {
        Files.writeString(dir.resolve("b.mp4"), "b");
        Files.writeString(dir.resolve("A.webm"), "a");
        Files.writeString(dir.resolve("c.txt"), "c");
        Files.createDirectory(dir.resolve("zeta"));
        Files.createDirectory(dir.resolve("Alpha"));
        List<IndexPage.Entry> entries =
                IndexPage.list(dir, RequestPath.ROOT, AccessPolicy.defaults(), mime, 100);
        assertEquals(List.of("Alpha", "zeta", "A.webm", "b.mp4", "c.txt"),
                entries.stream().map(IndexPage.Entry::name).toList());
    }

    @Test
    void entriesCarrySizeTimeAndType() throws IOException {
        Files.write(dir.resolve("clip.mp4"), new byte[4096]);
        Files.setLastModifiedTime(dir.resolve("clip.mp4"), FileTime.fromMillis(MODIFIED));
        Files.createDirectory(dir.resolve("sub"));
        List<IndexPage.Entry> entries =
                IndexPage.list(dir, RequestPath.ROOT, AccessPolicy.defaults(), mime, 100);
        assertEquals(new IndexPage.Entry("clip.mp4", false, 4096, MODIFIED, "video/mp4"), entries.get(1));
        assertTrue(entries.get(0).directory());
        assertNull(entries.get(0).contentType());
    }

    @Test
    void leavesOutDeniedDotAndConfidentialChildren() throws IOException {
        Files.writeString(dir.resolve("ok.mp4"), "x");
        Files.writeString(dir.resolve(".hidden.mp4"), "x");
        Files.createDirectory(dir.resolve(".git"));
        Files.createDirectory(dir.resolve("Confidential"));
        Files.writeString(dir.resolve("server.key"), "x");
        List<IndexPage.Entry> entries =
                IndexPage.list(dir, RequestPath.ROOT, new AccessPolicy(List.of("*.key")), mime, 100);
        assertEquals(List.of("ok.mp4"), entries.stream().map(IndexPage.Entry::name).toList());
    }

    @Test
    void policyIsAskedWithTheFullRequestPath() throws IOException {
        Files.writeString(dir.resolve("a.mp4"), "x");
        RequestPath dirPath = RequestPath.parse("/drafts/");
        List<IndexPage.Entry> entries =
                IndexPage.list(dir, dirPath, new AccessPolicy(List.of("drafts/*.mp4")), mime, 100);
        assertTrue(entries.isEmpty());
    }

    @Test
    void leavesOutBrokenSymlinksAndNamesNoRequestCanCarry() throws IOException {
        Files.writeString(dir.resolve("ok.mp4"), "x");
        Files.createSymbolicLink(dir.resolve("broken.mp4"), dir.resolve("gone"));
        Files.writeString(dir.resolve("back\\slash.mp4"), "x");
        List<IndexPage.Entry> entries =
                IndexPage.list(dir, RequestPath.ROOT, AccessPolicy.defaults(), mime, 100);
        assertEquals(List.of("ok.mp4"), entries.stream().map(IndexPage.Entry::name).toList());
    }

    @Test
    void capsAtLimitKeepingTheFirstInSortOrder() throws IOException {
        for (int i = 9; i >= 0; i--) {
            Files.writeString(dir.resolve("f" + i + ".mp4"), "x");
        }
        Files.createDirectory(dir.resolve("zdir"));
        List<IndexPage.Entry> entries =
                IndexPage.list(dir, RequestPath.ROOT, AccessPolicy.defaults(), mime, 3);
        assertEquals(List.of("zdir", "f0.mp4", "f1.mp4"), entries.stream().map(IndexPage.Entry::name).toList());
    }

    @Test
    void nonPositiveLimitIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> IndexPage.list(dir, RequestPath.ROOT, AccessPolicy.defaults(), mime, 0));
    }

    @Test
    void unreadableDirectoryThrowsIOException() {
        assertThrows(IOException.class, () ->
                IndexPage.list(dir.resolve("missing"), RequestPath.ROOT, AccessPolicy.defaults(), mime, 10));
    }

    // ---- render

    @Test
    void rootPageHasPlayerAndPlayLinkForSampleVideo() {
        String html = IndexPage.render(RequestPath.ROOT, "/", List.of(file("sample.mp4", "video/mp4")));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<meta charset=\"utf-8\">"));
        assertTrue(html.contains("<title>Index of /</title>"));
        assertTrue(html.contains("<video id=\"player\" controls"));
        assertTrue(html.contains("<a href=\"/sample.mp4\">sample.mp4</a>"));
        assertTrue(html.contains("<a class=\"play\" href=\"/sample.mp4\">play</a>"));
        assertTrue(html.contains("getElementById('player')"));
        assertTrue(html.contains("p.src=a.href"));
        assertFalse(html.contains("../"), "no parent link at the root");
    }

    @Test
    void exactlyOneVideoElementAndNoExternalResources() {
        String html = IndexPage.render(RequestPath.ROOT, "/",
                List.of(file("a.mp4", "video/mp4"), file("b.webm", "video/webm")));
        assertEquals(1, html.split("<video", -1).length - 1);
        assertFalse(html.contains("http://"));
        assertFalse(html.contains("https://"));
        assertFalse(html.contains("src=\""));
    }

    @Test
    void onlyAudioAndVideoGetPlayLinks() {
        String html = IndexPage.render(RequestPath.ROOT, "/", List.of(file("a.m4a", "audio/mp4"),
                file("notes.txt", "text/plain; charset=utf-8"), file("list.m3u8", "application/vnd.apple.mpegurl"),
                directory("videos")));
        assertEquals(1, html.split("class=\"play\"", -1).length - 1);
        assertTrue(html.contains("<a class=\"play\" href=\"/a.m4a\">play</a>"));
    }

    @Test
    void directoriesLinkWithTrailingSlash() {
        String html = IndexPage.render(RequestPath.ROOT, "/", List.of(directory("videos")));
        assertTrue(html.contains("<a href=\"/videos/\">videos/</a>"));
    }

    @Test
    void subdirectoryHasParentLinkAndAbsoluteHrefs() {
        RequestPath dirPath = RequestPath.parse("/a/b c/");
        String html = IndexPage.render(dirPath, "/", List.of(file("x.mp4", "video/mp4")));
        assertTrue(html.contains("<title>Index of /a/b c/</title>"));
        assertTrue(html.contains("<a href=\"/a/\">../</a>"));
        assertTrue(html.contains("<a href=\"/a/b%20c/x.mp4\">x.mp4</a>"));
    }

    @Test
    void parentOfTopLevelDirectoryIsTheRoot() {
        String html = IndexPage.render(RequestPath.parse("/a/"), "/", List.of());
        assertTrue(html.contains("<a href=\"/\">../</a>"));
    }

    @Test
    void mountPathPrefixesEveryHref() {
        String html = IndexPage.render(RequestPath.parse("/sub/"), "/media files/",
                List.of(file("x.mp4", "video/mp4")));
        assertTrue(html.contains("<title>Index of /media files/sub/</title>"));
        assertEquals(List.of("/media%20files/", "/media%20files/sub/x.mp4", "/media%20files/sub/x.mp4"),
                hrefs(html));
    }

    @Test
    void hostileNamesAreEscapedInTextAndEncodedInHrefs() {
        String name = "<script>alert(\"x\")</script> & 'q' #1?a=%41 é.mp4";
        String html = IndexPage.render(RequestPath.ROOT, "/", List.of(file(name, "video/mp4")));
        assertFalse(html.contains("<script>alert"), "raw name must not reach the markup");
        assertTrue(html.contains(
                "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; #1?a=%41 é.mp4</a>"));
        String href = "/%3Cscript%3Ealert(%22x%22)%3C%2Fscript%3E%20%26%20%27q%27%20%231%3Fa=%2541%20%C3%A9.mp4";
        assertEquals(List.of(href, href), hrefs(html));
    }

    @Test
    void hrefsDecodeBackToTheOriginalName() {
        String name = "a b#c?d%e&f\"g'h<i>j é 日本.mp4";
        String html = IndexPage.render(RequestPath.ROOT, "/", List.of(file(name, "video/mp4")));
        String href = hrefs(html).get(0);
        assertEquals(List.of(name), RequestPath.parse(href).segments());
    }

    @Test
    void schemeLikeNameCannotBecomeAJavascriptUrl() {
        String html = IndexPage.render(RequestPath.ROOT, "/", List.of(file("javascript:alert(1)", null)));
        assertEquals(List.of("/javascript:alert(1)"), hrefs(html));
    }

    @Test
    void hostileDirectoryPathIsEscapedInTitleAndHeading() {
        RequestPath dirPath = new RequestPath(List.of("<b>&"), true);
        String html = IndexPage.render(dirPath, "/", List.of());
        assertTrue(html.contains("<title>Index of /&lt;b&gt;&amp;/</title>"));
        assertTrue(html.contains("<h1>Index of /&lt;b&gt;&amp;/</h1>"));
        assertFalse(html.contains("<b>"));
    }

    @Test
    void sizesAreHumanReadableWithExactBytesInTitle() {
        String html = IndexPage.render(RequestPath.ROOT, "/", List.of(file("a.mp4", "video/mp4")));
        assertTrue(html.contains("title=\"1536 bytes\">1.5 KiB</td>"));
        assertTrue(html.contains("2023-11-14 22:13"));
    }

    @Test
    void humanSizeUnits() {
        assertEquals("0 B", IndexPage.humanSize(0));
        assertEquals("1023 B", IndexPage.humanSize(1023));
        assertEquals("1.0 KiB", IndexPage.humanSize(1024));
        assertEquals("12.0 MiB", IndexPage.humanSize(12L * 1024 * 1024));
        assertEquals("8.0 EiB", IndexPage.humanSize(Long.MAX_VALUE));
    }

    @Test
    void listThenRenderEndToEnd() throws IOException {
        Files.writeString(dir.resolve("sample.mp4"), "x");
        Files.writeString(dir.resolve(".secret"), "x");
        String html = IndexPage.render(RequestPath.ROOT, "/",
                IndexPage.list(dir, RequestPath.ROOT, AccessPolicy.defaults(), mime, 100));
        assertTrue(html.contains("<a class=\"play\" href=\"/sample.mp4\">play</a>"));
        assertFalse(html.contains(".secret"));
    }

    // ---- titles

    @Test
    void listMarksTheDirectoriesThePredicateCallsTitles() throws IOException {
        Files.createDirectory(dir.resolve("movie"));
        Files.createDirectory(dir.resolve("plain"));
        Files.writeString(dir.resolve("movie.mp4"), "x");
        List<IndexPage.Entry> entries = IndexPage.list(dir, RequestPath.ROOT, AccessPolicy.defaults(), mime, 100,
                link -> true, real -> real.getFileName().toString().equals("movie"));
        assertEquals(List.of("movie", "plain", "movie.mp4"), entries.stream().map(IndexPage.Entry::name).toList());
        assertEquals(List.of(true, false, false), entries.stream().map(IndexPage.Entry::title).toList());
    }

    @Test
    void titlePredicateGetsTheRealPathOfASymlinkedDirectory() throws IOException {
        Path target = Files.createDirectory(dir.resolve("store"));
        Path listed = Files.createDirectory(dir.resolve("listed"));
        Files.createSymbolicLink(listed.resolve("alias"), target);
        List<Path> asked = new ArrayList<>();
        List<IndexPage.Entry> entries = IndexPage.list(listed, RequestPath.ROOT, AccessPolicy.defaults(), mime, 100,
                link -> true, real -> asked.add(real));
        assertEquals(List.of(target.toRealPath()), asked);
        assertTrue(entries.get(0).title());
    }

    @Test
    void titlePredicateIsAskedOnlyAboutKeptDirectories() throws IOException {
        for (String name : List.of("a", "b", "c", "d")) {
            Files.createDirectory(dir.resolve(name));
        }
        Files.writeString(dir.resolve("e.mp4"), "x");
        List<String> asked = new ArrayList<>();
        IndexPage.list(dir, RequestPath.ROOT, AccessPolicy.defaults(), mime, 2, link -> true,
                real -> asked.add(real.getFileName().toString()));
        assertEquals(List.of("a", "b"), asked, "never about files, nor about directories past the cap");
    }

    @Test
    void titlePredicateFailingWithIoTroubleMeansNotATitle() throws IOException {
        Files.createDirectory(dir.resolve("odd"));
        Files.createDirectory(dir.resolve("fine"));
        List<IndexPage.Entry> entries = IndexPage.list(dir, RequestPath.ROOT, AccessPolicy.defaults(), mime, 100,
                link -> true, real -> {
                    if (real.endsWith("odd")) {
                        throw new UncheckedIOException(new IOException("gone"));
                    }
                    return true;
                });
        assertEquals(Set.of("fine"), Set.copyOf(entries.stream().filter(IndexPage.Entry::title)
                .map(IndexPage.Entry::name).toList()));
    }

    @Test
    void existingListOverloadsFindNoTitles() throws IOException {
        Files.createDirectory(dir.resolve("movie"));
        assertFalse(IndexPage.list(dir, RequestPath.ROOT, AccessPolicy.defaults(), mime, 100).get(0).title());
        assertFalse(IndexPage.list(dir, RequestPath.ROOT, AccessPolicy.defaults(), mime, 100, link -> true)
                .get(0).title());
    }

    @Test
    void onlyDirectoriesCanBeTitles() {
        assertThrows(IllegalArgumentException.class,
                () -> new IndexPage.Entry("x.mp4", false, 1, MODIFIED, "video/mp4", true));
        assertFalse(file("x.mp4", "video/mp4").title());
    }

    @Test
    void titleIsOneRowLinkingToItsPlayerWithAFilesLink() {
        String html = IndexPage.render(RequestPath.ROOT, "/", List.of(title("sample-title")));
        assertTrue(html.contains("<tr class=\"title\"><td><a class=\"title\" href=\"/sample-title/player.html\">"
                + "sample-title/</a><a class=\"files\" href=\"/sample-title/\">files</a></td>"
                + "<td class=\"size\">-</td><td>2023-11-14 22:13</td>"
                + "<td><a class=\"player\" href=\"/sample-title/player.html\">\u25B6 play</a></td></tr>"), html);
        assertEquals(List.of("/sample-title/player.html", "/sample-title/", "/sample-title/player.html"),
                hrefs(html));
        assertEquals(1, html.split("<tr class=\"title\">", -1).length - 1);
    }

    @Test
    void titlePlayLinkIsNotLoadedIntoTheInlineVideo() {
        // The inline script takes over a.play links and sets them as the <video> src; a player page is no video.
        String html = IndexPage.render(RequestPath.ROOT, "/", List.of(title("t"), file("x.mp4", "video/mp4")));
        assertEquals(1, html.split("class=\"play\"", -1).length - 1);
        assertTrue(html.contains("<a class=\"play\" href=\"/x.mp4\">play</a>"), "plain files keep their play link");
    }

    @Test
    void titleAmongPlainDirectoriesKeepsTheirRows() {
        String html = IndexPage.render(RequestPath.ROOT, "/", List.of(title("t"), directory("d")));
        assertTrue(html.contains("<tr><td><a href=\"/d/\">d/</a></td>"));
        assertFalse(html.contains("/d/player.html"));
    }

    @Test
    void hostileTitleNameIsEscapedInTextAndEncodedInHrefs() {
        String name = "<b>\"x\"<i> & 'q' #1?a=%41 é"; // a possible directory name: no slash
        String html = IndexPage.render(RequestPath.ROOT, "/", List.of(title(name)));
        assertFalse(html.contains("<b>"));
        assertFalse(html.contains("<i>"));
        assertTrue(html.contains(">&lt;b&gt;&quot;x&quot;&lt;i&gt; &amp; &#39;q&#39; #1?a=%41 é/</a>"));
        String folder = "/%3Cb%3E%22x%22%3Ci%3E%20%26%20%27q%27%20%231%3Fa=%2541%20%C3%A9/";
        assertEquals(List.of(folder + "player.html", folder, folder + "player.html"), hrefs(html));
        assertEquals(List.of(name, "player.html"), RequestPath.parse(hrefs(html).get(0)).segments());
    }

    @Test
    void titleHrefsCarryTheMountAndDirectory() {
        String html = IndexPage.render(RequestPath.parse("/a b/"), "/media files/", List.of(title("t 1")));
        assertEquals(List.of("/media%20files/", "/media%20files/a%20b/t%201/player.html",
                "/media%20files/a%20b/t%201/", "/media%20files/a%20b/t%201/player.html"), hrefs(html));
    }

    @Test
    void listThenRenderShowsATitle() throws IOException {
        Files.createDirectory(dir.resolve("sample-title"));
        String html = IndexPage.render(RequestPath.ROOT, "/", IndexPage.list(dir, RequestPath.ROOT,
                AccessPolicy.defaults(), mime, 100, link -> true, real -> true));
        assertTrue(html.contains("<a class=\"player\" href=\"/sample-title/player.html\">"));
    }
}
