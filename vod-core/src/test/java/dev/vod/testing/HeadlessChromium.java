package dev.vod.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium driven by Debian's chromedriver for the browser tests: both paths given to Selenium, so
 * Selenium Manager never looks anything up or downloads anything ({@code -Dvod.test.chromium=…},
 * {@code -Dvod.test.chromedriver=…} override them). The test is skipped when either is missing.
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final Path CHROMIUM = Path.of(System.getProperty("vod.test.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER =
            Path.of(System.getProperty("vod.test.chromedriver", "/usr/bin/chromedriver"));
    /** Selenium warns that it has no DevTools bindings for this Chromium; no test needs them by version. */
    private static final java.util.logging.Logger CDP_VERSION_LOG =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    private final ChromeDriverService service;
    private final ChromeDriver browser;

    private HeadlessChromium(ChromeDriverService service, ChromeDriver browser) {
        this.service = service;
        this.browser = browser;
    }

    /**
     * Starts a headless browser with a fresh profile in {@code profileDir} (created), autoplay allowed, no
     * background networking (this machine has no internet), plus {@code extraArguments}.
     */
    public static HeadlessChromium start(Path profileDir, String... extraArguments) throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium not installed at " + CHROMIUM);
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "chromedriver not installed at " + CHROMEDRIVER);
        CDP_VERSION_LOG.setLevel(java.util.logging.Level.SEVERE);
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        List<String> arguments = new ArrayList<>(List.of("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
                "--user-data-dir=" + Files.createDirectories(profileDir)));
        arguments.addAll(List.of(extraArguments));
        options.addArguments(arguments);
        return new HeadlessChromium(service, new ChromeDriver(service, options));
    }

    public ChromeDriver browser() {
        return browser;
    }

    @Override
    public void close() {
        browser.quit();
        service.stop();
    }
}
