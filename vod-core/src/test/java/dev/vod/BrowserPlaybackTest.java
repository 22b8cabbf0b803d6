package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.testing.Fixtures;
import dev.vod.testing.HeadlessChromium;
import dev.vod.testing.RecordingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser plays and seeks every sample through the index page's own player: headless Chromium driven by
 * chromedriver, both from the system (Debian's {@code chromium} and {@code chromium-driver}; CI installs them).
 * Selenium is given both paths, so Selenium Manager never looks anything up or downloads anything. Skipped when
 * Chromium or chromedriver is not installed.
 *
 * <p>Besides what the page shows ({@code currentTime} advancing, no {@code video.error}, playback resuming after a
 * seek), the server records what the browser asked for: every request carrying {@code Range} must have been
 * answered 206 (or 304 when the browser revalidated a range it had cached), which is what lets a browser seek.
 * The samples are about 1 MB, which Chromium fetches in one response; so each sample is also played from a second
 * server with a {@link VodConfig#maxChunk() cap} of 128 KiB per response, where the browser has to continue with
 * further Range requests, jump to the end of the moov-at-end MP4 for its index, and fetch from the middle to seek.
 */
@Tag("browser")
class BrowserPlaybackTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    static Path temp;

    private static final long CHUNK = 128 * 1024;

    private static RecordingServer wholeServer;
    private static RecordingServer chunkedServer;
    private static HeadlessChromium chromium;
    private static ChromeDriver browser;

    @BeforeAll
    static void startServerAndBrowser() throws Exception {
        Path root = Fixtures.create(Files.createDirectory(temp.resolve("root")));
        wholeServer = new RecordingServer(VodConfig.builder().root(root).build());
        chunkedServer = new RecordingServer(VodConfig.builder().root(root).maxChunk(CHUNK).build());

        chromium = HeadlessChromium.start(temp.resolve("profile"));
        browser = chromium.browser();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        for (RecordingServer server : new RecordingServer[] {wholeServer, chunkedServer}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @ParameterizedTest(name = "{0} from the {1} server")
    @CsvSource({"sample.mp4, whole", "sample-moov-at-end.mp4, whole", "sample.webm, whole",
        "sample.mp4, chunked", "sample-moov-at-end.mp4, chunked", "sample.webm, chunked"})
    void playsSeeksAndResumesThroughTheIndexPagePlayer(String name, String kind) {
        boolean chunked = kind.equals("chunked");
        RecordingServer server = chunked ? chunkedServer : wholeServer;
        browser.get(server.url("/"));
        assertEquals("Index of /", browser.getTitle());
        server.clear();
        js("document.getElementById('player').muted = true;");
        browser.findElement(By.cssSelector("a.play[href='/" + name + "']")).click();

        Map<String, Object> playing = awaitPlayer("currentTime advancing past 1 s",
                "p.currentTime > 1 && !p.paused");
        assertTrue(((String) playing.get("src")).endsWith("/" + name), "player source " + playing.get("src"));

        js("document.getElementById('player').currentTime = 8;");
        Map<String, Object> resumed = awaitPlayer("playback resuming after seeking to 8 s",
                "!p.seeking && p.currentTime >= 8.5");
        assertTrue(((Number) resumed.get("time")).doubleValue() >= 8, "resumed at " + resumed.get("time"));

        List<RecordingServer.Exchange> requests = server.exchangesFor("/" + name);
        assertFalse(requests.isEmpty(), "the browser never asked for /" + name);
        List<RecordingServer.Exchange> ranged = requests.stream().filter(e -> e.range() != null).toList();
        assertFalse(ranged.isEmpty(), "the browser sent no Range request for " + name + ": " + requests);
        for (RecordingServer.Exchange e : ranged) {
            // Chromium revalidates ranges it has cached: 304 is then the right answer (RFC 9110 §13.2.2).
            assertTrue(e.status() == 206 || (e.conditional() && e.status() == 304),
                    "Range " + e.range() + " for " + name + " got " + e.status() + ": " + e);
        }
        if (chunked) {
            assertTrue(ranged.stream().anyMatch(e -> !e.range().startsWith("bytes=0-")),
                    "with 128 KiB responses the browser must have asked for later bytes: " + requests);
            assertTrue(ranged.stream().allMatch(e -> e.status() == 304 || e.contentRange() != null),
                    "every 206 carries Content-Range: " + requests);
        }
    }

    @Test
    void aSeekUrlPlaysFromTheRequestedTime() {
        browser.get(wholeServer.url("/"));
        wholeServer.clear();
        js("var p = document.getElementById('player'); p.muted = true; p.src = '/sample.mp4?start=6'; p.play();");
        Map<String, Object> playing = awaitPlayer("the seek output playing past 1 s", "p.currentTime > 1 && !p.paused");
        // The output's timeline starts at 0 (as nginx's does) and holds the film from its 6 s key frame on:
        // 6 of the 12 seconds.
        double duration = ((Number) js("return document.getElementById('player').duration;")).doubleValue();
        assertTrue(Math.abs(duration - 6) < 0.5, "duration of the seek output: " + duration + ", " + playing);
        List<RecordingServer.Exchange> requests = wholeServer.exchangesFor("/sample.mp4?start=6");
        assertFalse(requests.isEmpty(), "the browser never asked for the seek URL");
        for (RecordingServer.Exchange e : requests) {
            assertTrue(e.status() == 200 || e.status() == 206 || e.status() == 304, "answered " + e.status());
        }
    }

    /** Waits until {@code condition} (JS over the player {@code p}) holds; fails at once on a media error. */
    private static Map<String, Object> awaitPlayer(String what, String condition) {
        String script = "var p = document.getElementById('player');"
                + "return {ok: !!(" + condition + "), error: p.error ? p.error.code + ' ' + p.error.message : null,"
                + " time: p.currentTime, src: p.currentSrc, state: p.readyState, paused: p.paused};";
        @SuppressWarnings("unchecked")
        Map<String, Object> state = new WebDriverWait(browser, PATIENCE).withMessage(what).until(driver -> {
            Map<String, Object> s = (Map<String, Object>) ((JavascriptExecutor) driver).executeScript(script);
            assertNull(s.get("error"), "media error while waiting for " + what + ": " + s);
            return Boolean.TRUE.equals(s.get("ok")) ? s : null;
        });
        return state;
    }

    private static Object js(String script) {
        return browser.executeScript(script);
    }

}
