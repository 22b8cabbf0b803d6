package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.testing.Fixtures;
import dev.vod.testing.HeadlessChromium;
import dev.vod.testing.RecordingServer;
import dev.vod.testing.TitleFixture;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Adaptive streaming in a real browser: headless Chromium (driven as in {@link BrowserPlaybackTest}) plays the
 * sample title ({@link TitleFixture}) through vod's own player page ({@code T/player.html}, hls.js) and through
 * dash.js, while {@link RecordingServer} notes every request. Skipped when Chromium or chromedriver is missing.
 *
 * <p>Both servers cut 2-second segments, so each rendition has six and a switch shows within one segment. The
 * second one holds every response to {@link #SLOW_RATE} bytes/s ({@code --limit-rate}): about 390 kbit/s, enough
 * for the 240p rendition (BANDWIDTH 289k) and too little for 720p (1,026k), so hls.js's ABR must stay low there.
 *
 * <p>Segment requests are identified by their URL ({@code sample-title/240p.mp4/seg-3.m4s}); a request counts as
 * "after" an action when it was recorded after the action (RecordingServer records when the answer starts).
 */
@Tag("browser")
class AdaptivePlaybackTest {
    private static final Duration PATIENCE = Duration.ofSeconds(45);
    private static final String TITLE = "/" + TitleFixture.TITLE + "/";
    /** 48 KiB/s = 393 kbit/s per response. */
    private static final long SLOW_RATE = 48 * 1024;
    /** A muxed HLS segment of the title, or (DASH) a video-only or audio-only one. */
    private static final Pattern SEGMENT =
            Pattern.compile("/" + TitleFixture.TITLE + "/(\\w+)\\.mp4/((?:video/|audio/)?)seg-(\\d+)\\.m4s");

    @TempDir
    static Path temp;

    private static RecordingServer server;
    private static RecordingServer slowServer;
    private static HeadlessChromium chromium;
    private static ChromeDriver browser;

    /** One recorded segment request. {@code kind} is "" for muxed HLS segments, "video/" or "audio/" (DASH). */
    record Seg(String rendition, String kind, int number, int status, boolean conditional, String uri) {
        @Override
        public String toString() {
            return rendition + "/" + kind + number + ":" + status;
        }
    }

    @BeforeAll
    static void startServersAndBrowser() throws Exception {
        Path root = Files.createDirectory(temp.resolve("root"));
        TitleFixture.copyInto(root);
        Files.copy(Fixtures.repoContent().resolve("sample.mp4"), root.resolve("sample.mp4"));
        // dash.js comes from the test classpath (the pom's generate-test-resources step); served from the same
        // origin as the MPD, by a page of our own that is a real file in the root.
        try (InputStream dashJs = AdaptivePlaybackTest.class.getResourceAsStream("/dev/vod/player/dash.all.min.js")) {
            assertNotNull(dashJs, "dev/vod/player/dash.all.min.js is not on the test classpath (built by the pom)");
            Files.copy(dashJs, root.resolve("dash.all.min.js"));
        }
        Files.writeString(root.resolve("dash.html"), DASH_PAGE);

        PackagingSettings twoSeconds = PackagingSettings.DEFAULTS.withSegmentSeconds(2);
        server = new RecordingServer(VodConfig.builder().root(root).packaging(twoSeconds).build());
        slowServer = new RecordingServer(
                VodConfig.builder().root(root).packaging(twoSeconds).limitRate(SLOW_RATE).build());

        chromium = HeadlessChromium.start(temp.resolve("profile"), "--mute-audio");
        browser = chromium.browser();
        // No HTTP cache: a segment fetched again (after a switch or a seek back) is fetched, not revalidated, so
        // every segment is answered 200/206 and hls.js never times a cache hit as "bandwidth" (which would lift
        // its estimate far above the slow server's rate).
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        for (RecordingServer s : new RecordingServer[] {server, slowServer}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    void theIndexPageOpensThePlayerWhichPlaysTheTitle() {
        open(server, "/");
        assertEquals("Index of /", browser.getTitle());
        List<WebElement> titles = browser.findElements(By.cssSelector("tr.title"));
        assertEquals(1, titles.size(), "one title row");
        assertTrue(titles.get(0).getText().contains(TitleFixture.TITLE + "/"), titles.get(0).getText());
        server.clear();
        titles.get(0).findElement(By.cssSelector("a.player")).click();
        new WebDriverWait(browser, PATIENCE).withMessage("the player page opening")
                .until(d -> d.getCurrentUrl().endsWith(TITLE + "player.html"));

        Map<String, Object> playing = awaitPlayer("playback past 2 s", "v.currentTime > 2 && !v.paused");
        assertEquals("1", playing.get("ready"), "body.dataset.ready: " + playing);
        assertTrue(browser.getTitle().contains(TitleFixture.TITLE), browser.getTitle());

        Select menu = new Select(browser.findElement(By.id("quality")));
        List<WebElement> options = menu.getOptions();
        assertEquals(4, options.size(), "Auto and three renditions: " + texts(options));
        assertEquals("Auto", options.get(0).getText());
        assertEquals("-1", options.get(0).getDomAttribute("value"));
        assertEquals("Auto", menu.getFirstSelectedOption().getText());
        for (int i = 0; i < 3; i++) {
            String rendition = TitleFixture.RENDITIONS.get(i);
            WebElement option = options.get(i + 1);
            assertTrue(option.getText().matches(rendition + " \u00b7 (\\d+ kbit/s|\\d+\\.\\d Mbit/s)"),
                    "label of option " + (i + 1) + ": " + option.getText());
            // The value is the hls.js level index of that rendition.
            Object height = js("return window.vodPlayer.hls.levels[" + option.getDomAttribute("value") + "].height;");
            assertEquals(Long.parseLong(rendition.replace("p", "")), ((Number) height).longValue(), rendition);
        }

        assertAnswered(server, TITLE + "player.html", 200);
        assertAnswered(server, TITLE + "hls.min.js", 200);
        assertAnswered(server, TITLE + "master.m3u8", 200);
        List<Seg> segments = segments(server.exchanges());
        assertFalse(segments.isEmpty(), "no segment requested: " + server.exchanges());
        assertAllOk(segments);
    }

    @Test
    void seekingPastTheBufferFetchesTheSegmentThatCoversTheTarget() {
        // On the slow server hls.js has buffered only a segment or two when playback passes 0.5 s, so the
        // segment covering 8 s (seg-5: 8-10 s) can only come from a request made for the seek.
        open(slowServer, TITLE + "player.html");
        awaitPlayer("playback past 0.5 s", "v.currentTime > 0.5 && !v.paused");
        int mark = slowServer.exchanges().size();
        List<Seg> before = segments(slowServer.exchanges().subList(0, mark));
        assertTrue(before.stream().noneMatch(s -> s.number() == 5), "seg-5 fetched before the seek: " + before);

        js("window.vodPlayer.video.currentTime = 8;");
        Map<String, Object> resumed = awaitPlayer("playback resuming past 8.5 s after seeking to 8 s",
                "!v.seeking && !v.paused && v.currentTime > 8.5");
        List<Seg> after = segmentsSince(slowServer, mark);
        assertTrue(after.stream().anyMatch(s -> s.number() == 5),
                "no segment covering 8 s requested after the seek: " + after + ", " + resumed);
        assertAllOk(after);
    }

    @Test
    void choosingARenditionInTheMenuSwitchesTheSegmentsFetchedNext() {
        open(server, TITLE + "player.html");
        awaitPlayer("playback past 1 s", "v.currentTime > 1 && !v.paused");
        // Down to the lowest, then up to the highest: whatever Auto had picked, each is a real switch.
        for (String rendition : List.of("240p", "720p")) {
            int mark = server.exchanges().size();
            int level = choose(rendition);
            awaitPlayer("hls.js in manual mode on level " + level,
                    "!h.autoLevelEnabled && h.loadLevel === " + level);
            // The page sets hls.currentLevel: the buffer is dropped and refilled from the playhead on, in the
            // chosen rendition; the playhead is before 10 s, so that is at least two segments.
            List<Seg> chosen = await("two " + rendition + " segments requested after choosing it", () -> {
                List<Seg> since = segmentsSince(server, mark);
                return since.stream().filter(s -> s.rendition().equals(rendition)).count() >= 2 ? since : null;
            });
            awaitPlayer(rendition + " playing",
                    "h.currentLevel === " + level + " && / " + level + "$/.test(' ' + window.vodLevelSwitches.join(' '))"
                            + " && !v.paused");
            List<Seg> since = segmentsSince(server, mark);
            int first = indexOfRendition(since, rendition);
            List<Seg> following = since.subList(first, since.size());
            assertTrue(following.stream().allMatch(s -> s.rendition().equals(rendition)),
                    "segments after choosing " + rendition + ": " + since);
            assertAllOk(since);
            assertEquals("manual", stat("stat-mode").get("value"), "stat-mode after choosing " + rendition);
            assertEquals(rendition, awaitStat("stat-level", rendition).get("text"));
            assertTrue(chosen.size() >= 2);
        }
    }

    @Test
    void autoClimbsToTheTopRenditionWhenBandwidthAllows() {
        // The counterpart of the slow-link test: on loopback the ABR goes up (hls.js starts at the first level of
        // the master playlist, 240p), so staying low on the slow server is the ABR reacting to the bandwidth.
        open(server, TITLE + "player.html");
        List<Seg> segments = await("a 720p segment requested in Auto", () -> {
            List<Seg> all = segments(server.exchanges());
            return all.stream().anyMatch(s -> s.rendition().equals("720p")) ? all : null;
        });
        awaitPlayer("720p playing", "h.currentLevel === 2 && / 2$/.test(' ' + window.vodLevelSwitches.join(' '))");
        assertEquals("auto", stat("stat-mode").get("value"));
        assertAllOk(segments);
    }

    @Test
    void autoStaysLowOnASlowLinkAndComesDownFromAManualTopChoice() {
        open(slowServer, TITLE + "player.html");
        // 1. Auto from the start: once hls.js has measured two segments, its estimate is the link's rate and it
        //    has fetched nothing in 720p.
        awaitPlayer("playback past 1 s", "v.currentTime > 1 && !v.paused");
        List<Seg> auto = await("three segments requested", () -> {
            List<Seg> all = segments(slowServer.exchanges());
            return all.size() >= 3 ? all : null;
        });
        // Two measured segments: the estimate is the link's rate (measured within 3% of it), no longer hls.js's
        // default of 500 kbit/s (which the upper bound excludes).
        long estimate = ((Number) state().get("bandwidth")).longValue();
        long limit = SLOW_RATE * 8;
        assertTrue(estimate > limit / 2 && estimate < limit * 6 / 5,
                "bandwidth estimate " + estimate + " bit/s for a link of " + limit + " bit/s");
        assertTrue(auto.stream().noneMatch(s -> s.rendition().equals("720p")), "720p fetched in Auto: " + auto);
        assertEquals("auto", stat("stat-mode").get("value"));
        assertEquals("Auto", stat("stat-mode").get("text"));

        // 2. The visitor picks 720p: it is fetched (slowly) and played.
        int manualMark = slowServer.exchanges().size();
        assertEquals(2, choose("720p"));
        await("a 720p segment requested", () -> segmentsSince(slowServer, manualMark).stream()
                .anyMatch(s -> s.rendition().equals("720p")) ? true : null);
        awaitPlayer("720p playing", "h.currentLevel === 2 && / 2$/.test(' ' + window.vodLevelSwitches.join(' '))");
        int switchesBefore = ((String) state().get("switches")).split(",").length;

        // 3. Back to Auto: the ABR leaves 720p for a rendition the link can carry, and does not go back up.
        int autoMark = slowServer.exchanges().size();
        assertEquals(-1, choose("Auto"));
        awaitPlayer("Auto mode", "h.autoLevelEnabled");
        List<Seg> lower = await("a segment below 720p requested after going back to Auto", () -> {
            List<Seg> since = segmentsSince(slowServer, autoMark);
            return since.stream().filter(s -> !s.rendition().equals("720p")).count() >= 2 ? since : null;
        });
        Map<String, Object> down = awaitPlayer("a switch below level 2 after Auto",
                "window.vodLevelSwitches.slice(" + switchesBefore + ").some(function (l) { return l < 2; })"
                        + " && h.currentLevel < 2");
        List<Seg> since = segmentsSince(slowServer, autoMark);
        int first = indexOfRendition(since, "240p", "360p");
        assertTrue(since.subList(first, since.size()).stream().noneMatch(s -> s.rendition().equals("720p")),
                "720p fetched again after Auto had come down: " + since);
        assertAllOk(segments(slowServer.exchanges()));
        assertEquals("auto", stat("stat-mode").get("value"), "stat-mode: " + down);
        assertTrue(lower.size() >= 2);
    }

    @Test
    void theStatsPanelShowsWhatIsPlaying() {
        open(server, TITLE + "player.html");
        awaitPlayer("playback past 3 s", "v.currentTime > 3 && !v.paused");
        Map<String, Object> buffer = awaitStatValue("stat-buffer", "parseFloat(value) > 0");
        Map<String, Object> level = awaitStatValue("stat-level", "/^[0-2]$/.test(value)");
        int index = Integer.parseInt((String) level.get("value"));
        assertEquals(TitleFixture.RENDITIONS.get(index), level.get("text"), "stat-level " + level);
        Map<String, Object> bitrate = awaitStatValue("stat-bitrate", "parseInt(value, 10) > 0");
        Object levelBitrate = js("return window.vodPlayer.hls.levels[" + index + "].bitrate;");
        assertEquals(String.valueOf(levelBitrate), bitrate.get("value"), "stat-bitrate " + bitrate);
        awaitStatValue("stat-bandwidth", "parseInt(value, 10) > 0");
        Map<String, Object> dropped = awaitStatValue("stat-dropped", "/^\\d+$/.test(value)");
        assertTrue(((String) dropped.get("text")).matches("\\d+ / [1-9]\\d*"), "stat-dropped " + dropped);
        Map<String, Object> mode = stat("stat-mode");
        assertEquals("auto", mode.get("value"));
        assertEquals("Auto", mode.get("text"));
        assertTrue(((String) buffer.get("text")).matches("\\d+\\.\\d s"), "stat-buffer " + buffer);
    }

    @Test
    void dashJsPlaysAndSeeksTheMpd() {
        open(server, "/dash.html");
        awaitPlayer("dash.js playing past 3 s", "v.currentTime > 3 && !v.paused");
        assertEquals("string", js("return typeof dashjs.MediaPlayer.events.ERROR;"), "the error listener listens");
        List<Seg> segments = segments(server.exchanges());
        assertTrue(segments.stream().anyMatch(s -> s.kind().equals("video/")), "no video segment: " + segments);
        assertTrue(segments.stream().anyMatch(s -> s.kind().equals("audio/")), "no audio segment: " + segments);
        assertTrue(segments.stream().allMatch(s -> !s.kind().isEmpty()), "DASH asked for muxed ones: " + segments);
        assertAnswered(server, TITLE + "manifest.mpd", 200);

        js("document.getElementById('player').currentTime = 8;");
        awaitPlayer("dash.js resuming past 8.5 s after seeking to 8 s", "!v.seeking && !v.paused && v.currentTime > 8.5");
        List<Seg> all = segments(server.exchanges());
        assertTrue(all.stream().anyMatch(s -> s.kind().equals("video/") && s.number() == 5),
                "no video segment covering 8 s: " + all);
        assertAllOk(all);
    }

    @Test
    void theSingleFilePlayerPagePlays() {
        open(server, "/sample.mp4/player.html");
        Map<String, Object> playing = awaitPlayer("playback past 2 s", "v.currentTime > 2 && !v.paused");
        assertEquals("1", playing.get("ready"));
        List<WebElement> options = new Select(browser.findElement(By.id("quality"))).getOptions();
        assertEquals(2, options.size(), "Auto and the one rendition: " + texts(options));
        assertTrue(options.get(1).getText().startsWith("360p \u00b7 "), options.get(1).getText());
        List<RecordingServer.Exchange> segments = server.exchanges().stream()
                .filter(e -> e.uri().matches("/sample\\.mp4/seg-\\d+\\.m4s")).toList();
        assertFalse(segments.isEmpty(), "no segment of sample.mp4: " + server.exchanges());
        assertTrue(segments.stream().allMatch(e -> e.status() == 200), "segments: " + segments);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static final String DASH_PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>dash.js</title></head>
            <body>
            <video id="player" muted playsinline></video>
            <script src="dash.all.min.js"></script>
            <script>
              window.dashErrors = [];
              var video = document.getElementById('player');
              video.muted = true;
              var player = dashjs.MediaPlayer().create();
              player.on(dashjs.MediaPlayer.events.ERROR, function (e) {
                var error = e && e.error ? e.error : e;
                window.dashErrors.push((error && (error.code + ' ' + error.message)) || String(e));
              });
              player.initialize(video, 'sample-title/manifest.mpd', true);
              window.dashPlayer = player;
            </script>
            </body>
            </html>
            """;

    /** The player's state; {@code v} is the video element, {@code h} hls.js (null on pages without it). */
    private static final String STATE = "var v = window.vodPlayer ? window.vodPlayer.video : document.querySelector('video');"
            + "var h = window.vodPlayer ? window.vodPlayer.hls : null;"
            + "var box = document.getElementById('error');"
            + "var s = {time: v ? v.currentTime : null, paused: v ? v.paused : null, seeking: v ? v.seeking : null,"
            + " mediaError: v && v.error ? v.error.code + ' ' + v.error.message : null,"
            + " pageError: box && box.textContent ? box.textContent : null,"
            + " dashErrors: window.dashErrors && window.dashErrors.length ? window.dashErrors.join('; ') : null,"
            + " ready: document.body.dataset.ready || null,"
            + " level: h ? h.currentLevel : null, auto: h ? h.autoLevelEnabled : null,"
            + " bandwidth: h ? Math.round(h.bandwidthEstimate) : null,"
            + " switches: window.vodLevelSwitches ? window.vodLevelSwitches.join(',') : null};";

    @SuppressWarnings("unchecked")
    private static Map<String, Object> state() {
        return (Map<String, Object>) js(STATE + "return s;");
    }

    /**
     * Waits until {@code condition} (JS over the video {@code v} and hls.js {@code h}) holds; fails at once on a
     * media error, the player page's {@code #error} or a dash.js error event.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> awaitPlayer(String what, String condition) {
        String script = STATE + "s.ok = !!(" + condition + "); return s;";
        return new WebDriverWait(browser, PATIENCE).withMessage(what).until(driver -> {
            Map<String, Object> s = (Map<String, Object>) js(script);
            assertNoPlayerError(s, what);
            return Boolean.TRUE.equals(s.get("ok")) ? s : null;
        });
    }

    /** Waits until {@code check} gives non-null, failing at once on a player error meanwhile. */
    private static <T> T await(String what, Supplier<T> check) {
        return new WebDriverWait(browser, PATIENCE).withMessage(() -> what + "; player " + state()).until(driver -> {
            assertNoPlayerError(state(), what);
            return check.get();
        });
    }

    private static void assertNoPlayerError(Map<String, Object> s, String what) {
        assertNull(s.get("mediaError"), "media error while waiting for " + what + ": " + s);
        assertNull(s.get("pageError"), "player page error while waiting for " + what + ": " + s);
        assertNull(s.get("dashErrors"), "dash.js error while waiting for " + what + ": " + s);
    }

    /** Opens {@code path} on {@code s}, with the recording emptied first. */
    private static void open(RecordingServer s, String path) {
        browser.get("about:blank");
        s.clear();
        browser.get(s.url(path));
    }

    /**
     * Selects the menu option whose label is {@code name} or starts with "{@code name} ·" (Selenium clicks it, so
     * the page gets a real {@code change} event); returns its value, the hls.js level index (-1 for Auto).
     */
    private static int choose(String name) {
        Select menu = new Select(browser.findElement(By.id("quality")));
        for (WebElement option : menu.getOptions()) {
            if (option.getText().equals(name) || option.getText().startsWith(name + " \u00b7")) {
                String value = option.getDomAttribute("value");
                menu.selectByValue(value);
                return Integer.parseInt(value);
            }
        }
        throw new AssertionError("no option " + name + " in " + texts(menu.getOptions()));
    }

    /** A stats panel entry: {@code text} and {@code value} (its data-value). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> stat(String id) {
        return (Map<String, Object>) js("var el = document.getElementById(arguments[0]);"
                + "return {text: el.textContent, value: el.getAttribute('data-value')};", id);
    }

    /** Waits until the entry's text is {@code text} (the panel refreshes every second). */
    private static Map<String, Object> awaitStat(String id, String text) {
        return await(id + " showing " + text, () -> {
            Map<String, Object> s = stat(id);
            return text.equals(s.get("text")) ? s : null;
        });
    }

    /** Waits until {@code condition}, JS over the entry's data-value {@code value}, holds. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> awaitStatValue(String id, String condition) {
        String script = "var el = document.getElementById(arguments[0]), value = el.getAttribute('data-value');"
                + "return (" + condition + ") ? {text: el.textContent, value: value} : null;";
        return await(id + " with a data-value such that " + condition + " (now " + stat(id) + ")",
                () -> (Map<String, Object>) js(script, id));
    }

    /** Index of the first segment from one of {@code renditions}; fails when there is none. */
    private static int indexOfRendition(List<Seg> segments, String... renditions) {
        for (int i = 0; i < segments.size(); i++) {
            if (List.of(renditions).contains(segments.get(i).rendition())) {
                return i;
            }
        }
        throw new AssertionError("no segment from " + List.of(renditions) + ": " + segments);
    }

    /** Segment requests recorded after the first {@code mark} exchanges. */
    private static List<Seg> segmentsSince(RecordingServer s, int mark) {
        List<RecordingServer.Exchange> all = s.exchanges();
        return segments(all.subList(Math.min(mark, all.size()), all.size()));
    }

    private static List<Seg> segments(List<RecordingServer.Exchange> exchanges) {
        List<Seg> out = new ArrayList<>();
        for (RecordingServer.Exchange e : exchanges) {
            Matcher m = SEGMENT.matcher(e.uri());
            if (m.matches()) {
                out.add(new Seg(m.group(1), m.group(2), Integer.parseInt(m.group(3)), e.status(), e.conditional(),
                        e.uri()));
            }
        }
        return out;
    }

    private static void assertAllOk(List<Seg> segments) {
        for (Seg s : segments) {
            assertFalse(s.conditional(), "the browser cache is off, yet " + s.uri() + " was revalidated");
            assertTrue(s.status() == 200 || s.status() == 206, "segment " + s.uri() + " answered " + s.status());
        }
    }

    private static void assertAnswered(RecordingServer s, String path, int status) {
        List<RecordingServer.Exchange> requests = s.exchangesFor(path);
        assertFalse(requests.isEmpty(), "never requested: " + path);
        assertTrue(requests.stream().allMatch(e -> e.status() == status && !e.conditional()), path + ": " + requests);
    }

    private static List<String> texts(List<WebElement> elements) {
        return elements.stream().map(WebElement::getText).toList();
    }

    private static Object js(String script, Object... args) {
        return browser.executeScript(script, args);
    }
}
