package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.testing.ExternalTool;
import dev.vod.testing.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium on a live channel's page while ffmpeg publishes: hls.js plays the live HLS, its
 * {@code currentTime} advances, the live panel shows the latency and the server's ingest stats, and the chat
 * relays a message with its text shown as text.
 */
@Tag("browser")
class LiveBrowserTest {
    @TempDir
    Path temp;

    @Test
    void theLivePagePlaysShowsStatsAndChats() throws Exception {
        Path ffmpeg = ExternalTool.find("ffmpeg");
        assumeTrue(ffmpeg != null, "ffmpeg is not installed");
        VodServer server = VodServer.builder().root(Files.createDirectories(temp.resolve("root"))).host("127.0.0.1")
                .port(0).live(LiveSettings.withToken("t").withChat(true)).buildServer();
        server.start();
        String base = "http://127.0.0.1:" + server.address().getPort();
        try (LivePublisher publisher = LivePublisher.start(ffmpeg, base + "/live/show?token=t", 40, 0, "640x360");
             HeadlessChromium chromium = HeadlessChromium.start(temp.resolve("profile"), "--mute-audio")) {
            ChromeDriver browser = chromium.browser();
            waitForSegment(base);
            browser.get(base + "/live/show/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(40));
            double first = wait.withMessage("live playback starting").until(d -> number(browser,
                    "var v = window.vodPlayer.video; return v.currentTime > 0.5 && !v.paused ? v.currentTime : null;"));
            double later = wait.withMessage("currentTime advancing").until(d -> number(browser,
                    "var v = window.vodPlayer.video; return v.currentTime > " + (first + 2) + " ? v.currentTime : null;"));
            assertTrue(later > first + 2);
            double latency = wait.withMessage("the latency shown").until(d -> number(browser,
                    "var v = document.getElementById('stat-latency').getAttribute('data-value');"
                            + " return v ? parseFloat(v) : null;"));
            assertTrue(latency > 0 && latency < 20, "latency behind live: " + latency);
            double fps = wait.withMessage("the ingest FPS shown").until(d -> number(browser,
                    "var v = document.getElementById('stat-fps').getAttribute('data-value');"
                            + " return v ? parseFloat(v) : null;"));
            assertEquals(25, fps, 1.5);

            // The chat: a message with markup in it comes back as text.
            wait.withMessage("the chat connecting").until(d -> browser.findElement(By.id("chat-status")).getText()
                    .contains("in chat"));
            browser.findElement(By.id("chat-text")).sendKeys("<b>hello</b>");
            browser.findElement(By.cssSelector("#chat-form button")).click();
            String line = wait.withMessage("the message relayed").until(d -> {
                var items = browser.findElements(By.cssSelector("#chat-log li"));
                return items.isEmpty() ? null : items.get(items.size() - 1).getText();
            });
            assertTrue(line.endsWith(": <b>hello</b>"), line);
            assertEquals(0, browser.findElements(By.cssSelector("#chat-log b")).size(), "no markup from a message");
            Map<?, ?> error = (Map<?, ?>) browser.executeScript(
                    "var v = window.vodPlayer.video; return {e: v.error ? v.error.code : null};");
            assertEquals(null, error.get("e"), "no media error");
        } finally {
            server.close();
        }
    }

    private static void waitForSegment(String base) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            var r = LiveChannelsTestAccess.get(base + "/live/show/main/index.m3u8");
            if (r.contains("seg-1.m4s")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no segments published");
    }

    private static Double number(ChromeDriver browser, String script) {
        Object v = browser.executeScript(script);
        return v instanceof Number n ? n.doubleValue() : null;
    }

    /** Plain GETs for the waits. */
    private static final class LiveChannelsTestAccess {
        static String get(String url) throws Exception {
            var client = java.net.http.HttpClient.newHttpClient();
            var r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        }
    }
}
