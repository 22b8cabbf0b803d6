package dev.vod.internal.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PlayerPageTest {
    private static String page() {
        return PlayerPage.render("sample-title", "master.m3u8", "./");
    }

    private static List<String> matches(String regex, String html) {
        Matcher m = Pattern.compile(regex).matcher(html);
        return m.results().map(r -> r.group(1)).toList();
    }

    @Test
    void isACompleteUtf8Page() {
        String html = page();
        assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
        assertTrue(html.contains("<meta charset=\"utf-8\">"));
        assertTrue(html.contains("<title>sample-title</title>"));
        assertTrue(html.contains("<h1>sample-title</h1>"));
        assertTrue(html.endsWith("</html>\n"));
    }

    @Test
    void hostileTitleNameIsEscapedEverywhere() {
        String name = "<script>alert(\"x\")</script> & 'q' </title><img src=x onerror=alert(1)>";
        String html = PlayerPage.render(name, "master.m3u8", "./");
        String escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; "
                + "&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;";
        assertTrue(html.contains("<title>" + escaped + "</title>"));
        assertTrue(html.contains("<h1>" + escaped + "</h1>"));
        assertFalse(html.contains("<script>alert"));
        assertFalse(html.contains("<img"));
        // The page's own two script elements, nothing the name could have added.
        assertEquals(2, html.split("<script", -1).length - 1);
    }

    @Test
    void urlsAreEscapedAttributesAndNeverPartOfTheScript() {
        String html = PlayerPage.render("t", "m\"aster'<x>.m3u8", "/a&b/\"c/");
        assertTrue(html.contains("data-src=\"m&quot;aster&#39;&lt;x&gt;.m3u8\""));
        assertTrue(html.contains("<a id=\"files\" href=\"/a&amp;b/&quot;c/\">files</a>"));
        assertFalse(html.contains("m\"aster"));
        String script = html.substring(html.indexOf("<script>"));
        assertFalse(script.contains("aster"), "the script reads the URL from data-src");
    }

    @Test
    void loadsHlsJsRelativelyAndNothingElse() {
        String html = page();
        assertEquals(List.of("hls.min.js"), matches("<script src=\"([^\"]*)\"", html));
        assertTrue(html.indexOf("<script src=\"hls.min.js\">") < html.indexOf("<script>\n"),
                "hls.js must be loaded before the script that uses it");
        assertEquals(List.of("./", "master.m3u8"), matches("href=\"([^\"]*)\"", html));
        assertFalse(html.contains("http://"));
        assertFalse(html.contains("https://"));
        assertFalse(html.contains("<link"));
    }

    @Test
    void videoElementIsMutedInlineWithControlsAndTheRelativeMasterPlaylist() {
        assertTrue(page().contains(
                "<video id=\"player\" controls muted playsinline data-src=\"master.m3u8\"></video>"));
    }

    @Test
    void qualityMenuStartsWithAutoOnly() {
        String html = page();
        assertTrue(html.contains("<select id=\"quality\"><option value=\"-1\" selected>Auto</option></select>"));
        assertEquals(1, html.split("<option", -1).length - 1, "levels are added by the script");
    }

    @Test
    void statsPanelHasEveryIdOnce() {
        String html = page();
        assertTrue(html.contains("<dl id=\"stats\">"));
        for (String id : List.of("stat-level", "stat-bitrate", "stat-bandwidth", "stat-buffer", "stat-dropped",
                "stat-mode", "error", "quality", "player", "files")) {
            assertEquals(1, html.split("id=\"" + id + "\"", -1).length - 1, id);
        }
    }

    @Test
    void scriptWiresTheHooksTestsRelyOn() {
        String html = page();
        for (String hook : List.of("Hls.isSupported()", "new Hls(", "hls.loadSource(src)", "hls.attachMedia(video)",
                "canPlayType('application/vnd.apple.mpegurl')", "Hls.Events.MANIFEST_PARSED",
                "Hls.Events.LEVEL_SWITCHED", "Hls.Events.ERROR", "window.vodPlayer = {hls: null, video: video}",
                "window.vodPlayer.hls = hls", "window.vodLevelSwitches = []", "document.body.dataset.ready = '1'",
                "document.body.dataset.error = code", "hls.currentLevel = parseInt(menu.value, 10)",
                "hls.bandwidthEstimate", "getVideoPlaybackQuality", "setInterval(update, 1000)")) {
            assertTrue(html.contains(hook), hook);
        }
    }

    @Test
    void nonAsciiTitleIsKeptAsUtf8Text() {
        assertTrue(PlayerPage.render("vidéo 日本", "master.m3u8", "./").contains("<h1>vidéo 日本</h1>"));
    }
}
