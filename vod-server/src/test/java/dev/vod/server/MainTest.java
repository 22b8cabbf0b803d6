package dev.vod.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.AccessLogSettings;
import dev.vod.VodConfig;
import dev.vod.VodServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs the command in-process through {@link Main#run} and checks exit status, stdout and stderr. */
class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Consumer<VodServer> onStarted, String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), onStarted);
    }

    /** Runs a command that must not get as far as starting a server. */
    private int runExpectingNoServer(String... args) {
        return run(server -> {
            server.close();
            throw new AssertionError("server started for " + List.of(args));
        }, args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void missingRootExitsTwoNamingTheAbsolutePath() {
        Path missing = dir.resolve("nope");
        assertEquals(2, runExpectingNoServer("--root", missing.toString(), "--port", "0"));
        assertEquals("vod: root directory does not exist: " + missing.toAbsolutePath() + "\n", err().replace("\r", ""));
        assertEquals("", out());
    }

    @Test
    void rootThatIsAFileExitsTwo() throws IOException {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        assertEquals(2, runExpectingNoServer("--root", file.toString(), "--port", "0"));
        assertTrue(err().startsWith("vod: root is not a directory: " + file), err());
    }

    @Test
    void portInUseExitsTwoWithOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertEquals(2, runExpectingNoServer("--root", dir.toString(), "--host", "127.0.0.1",
                    "--port", String.valueOf(port)));
            assertTrue(err().startsWith("vod: cannot listen on 127.0.0.1:" + port + ": "), err());
            assertEquals(1, err().lines().count(), err());
            assertFalse(err().contains("\tat "), "no stack trace: " + err());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "65536", "abc", "", "8080x"})
    void badPortExitsTwoWithOneLine(String port) {
        assertEquals(2, runExpectingNoServer("--root", dir.toString(), "--port", port));
        assertTrue(err().startsWith("vod: Invalid value for option '--port'"), err());
        assertEquals(1, err().lines().count(), err());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--max-chunk=5MB", "--max-chunk=-1", "--deny=[a", "--idle-timeout=0", "--idle-timeout=-5",
        "--header-timeout=x", "--shutdown-grace=1.5", "--cache-max-age=-1", "--mp4-max-moov=0",
        "--mp4-cache-entries=-1", "--mime=mkv", "--mime=mkv=video", "--port"
    })
    void badFlagValueExitsTwoWithOneLine(String flag) {
        assertEquals(2, runExpectingNoServer("--root", dir.toString(), flag));
        assertTrue(err().startsWith("vod: "), err());
        assertEquals(1, err().lines().count(), err());
    }

    @Test
    void unknownOptionExitsTwoWithUsage() {
        assertEquals(2, runExpectingNoServer("--root", dir.toString(), "--bogus"));
        assertTrue(err().startsWith("Unknown option: '--bogus'"), err());
        assertTrue(err().contains("Usage: vod-server"), err());
    }

    @Test
    void helpExitsZeroWithUsageOnStdout() {
        assertEquals(0, runExpectingNoServer("--help"));
        assertTrue(out().startsWith("Usage: vod-server"), out());
        assertTrue(out().contains("--max-chunk=BYTES"), out());
    }

    @Test
    void versionExitsZero() {
        assertEquals(0, runExpectingNoServer("--version"));
        assertTrue(out().startsWith("vod-server "), out());
    }

    @Test
    void portZeroPrintsListeningLineWithBoundPortAndRealRoot() throws IOException {
        Path linked = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectory(dir.resolve("media")));
        AtomicBoolean accepted = new AtomicBoolean();
        int status = run(server -> {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
                accepted.set(socket.isConnected());
            } catch (IOException e) {
                throw new AssertionError(e);
            } finally {
                server.close();
            }
        }, "--root", linked.toString(), "--host", "127.0.0.1", "--port", "0");

        assertEquals(0, status, err());
        assertTrue(accepted.get());
        Matcher m = Pattern.compile("Listening on http://127\\.0\\.0\\.1:(\\d+)/ serving (.+)\n").matcher(out());
        assertTrue(m.matches(), out());
        assertTrue(Integer.parseInt(m.group(1)) > 0, out());
        assertEquals(dir.toRealPath().resolve("media").toString(), m.group(2));
    }

    @Test
    void defaultsMatchTheDocumentedOnes() {
        VodConfig config = Main.configFor();
        assertEquals(Path.of("content"), config.root());
        assertEquals("0.0.0.0", config.host());
        assertEquals(8080, config.port());
        assertEquals("/", config.mountPath());
        assertEquals(Duration.ofSeconds(60), config.idleTimeout());
        assertEquals(Duration.ofSeconds(10), config.headerTimeout());
        assertEquals(Duration.ofSeconds(10), config.shutdownGrace());
        assertEquals(null, config.cacheMaxAge());
        assertEquals(0, config.maxChunk());
        assertTrue(config.indexPages());
        assertTrue(config.mp4Seek());
        assertFalse(config.mp4Faststart());
        assertEquals(64L << 20, config.mp4MaxMoov());
        assertEquals(256, config.mp4CacheEntries());
    }

    @Test
    void maxChunkAcceptsSuffixes() {
        assertEquals(5_242_880L, Main.configFor("--max-chunk", "5MiB").maxChunk());
        assertEquals(524_288L, Main.configFor("--max-chunk=512k").maxChunk());
    }

    @Test
    void noMp4SeekTurnsSeekingOff() {
        assertFalse(Main.configFor("--no-mp4-seek").mp4Seek());
    }

    @Test
    void mp4SeekFlagKeepsSeekingOn() {
        assertTrue(Main.configFor("--mp4-seek").mp4Seek());
    }

    @Test
    void everyFlagReachesTheConfig() {
        VodConfig config = Main.configFor("--root", "media", "--host", "::1", "--port", "0", "--mount", "videos",
                "--deny", "**/*.part", "--deny", "*.key", "--no-index", "--mime", "mkv=video/x-matroska",
                "--idle-timeout", "5", "--header-timeout", "3", "--cache-max-age", "3600", "--shutdown-grace", "0",
                "--mp4-faststart", "--mp4-max-moov", "1M", "--mp4-cache-entries", "0");
        assertEquals(Path.of("media"), config.root());
        assertEquals("::1", config.host());
        assertEquals(0, config.port());
        assertEquals("/videos/", config.mountPath());
        assertEquals(List.of("**/*.part", "*.key"), config.denyGlobs());
        assertFalse(config.indexPages());
        assertEquals(Map.of("mkv", "video/x-matroska"), config.mimeOverrides());
        assertEquals(Duration.ofSeconds(5), config.idleTimeout());
        assertEquals(Duration.ofSeconds(3), config.headerTimeout());
        assertEquals(Duration.ofHours(1), config.cacheMaxAge());
        assertEquals(Duration.ZERO, config.shutdownGrace());
        assertTrue(config.mp4Faststart());
        assertEquals(1L << 20, config.mp4MaxMoov());
        assertEquals(0, config.mp4CacheEntries());
    }

    @Test
    void ipv6HostIsBracketedInTheUrl() {
        assertEquals("[::1]", Main.urlHost("::1"));
        assertEquals("0.0.0.0", Main.urlHost("0.0.0.0"));
        assertEquals("localhost", Main.urlHost("localhost"));
    }

    @Test
    void rateFlagsAreOffByDefault() {
        VodConfig config = Main.configFor();
        assertEquals(0, config.limitRate());
        assertEquals(0, config.limitRateAfter());
        assertEquals(0, config.maxBandwidth());
        assertFalse(config.pace());
        assertEquals(30, config.paceBurstSeconds());
        assertEquals(1.25, config.paceFactor());
        assertEquals(0, config.maxConnections());
        assertEquals(null, config.metricsPath());
        assertEquals(null, config.statusPath());
    }

    @Test
    void rateFlagsTakeSizesWithSuffixes() {
        VodConfig config = Main.configFor("--limit-rate", "1M", "--limit-rate-after", "512k",
                "--max-bandwidth=1G");
        assertEquals(1_048_576L, config.limitRate());
        assertEquals(524_288L, config.limitRateAfter());
        assertEquals(1_073_741_824L, config.maxBandwidth());
    }

    @Test
    void paceAndConnectionAndEndpointFlags() {
        VodConfig config = Main.configFor("--pace", "--pace-burst-seconds", "10", "--pace-factor", "1.5",
                "--max-connections", "100", "--metrics-path", "/metrics", "--status-path", "/status");
        assertTrue(config.pace());
        assertEquals(10, config.paceBurstSeconds());
        assertEquals(1.5, config.paceFactor());
        assertEquals(100, config.maxConnections());
        assertEquals("/metrics", config.metricsPath());
        assertEquals("/status", config.statusPath());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--pace-factor=0.5", "--pace-factor=abc", "--pace-burst-seconds=-1",
        "--max-connections=-1", "--metrics-path=metrics", "--status-path=/s?x", "--limit-rate=fast",
        "--max-bandwidth=-5"})
    void badRateFlagsExitTwoNamingTheFlag(String flag) {
        assertEquals(2, runExpectingNoServer("--root", dir.toString(), "--port", "0", flag));
        String name = flag.substring(0, flag.indexOf('='));
        assertTrue(err().contains(name), err());
    }

    @Test
    void accessLogGoesToStdoutInVodFormatByDefault() {
        AccessLogSettings settings = Main.configFor().accessLog();
        assertEquals(AccessLogSettings.Target.STDOUT, settings.target());
        assertEquals(AccessLogSettings.Format.VOD, settings.format());
    }

    @Test
    void accessLogFlagsReachTheConfig() {
        AccessLogSettings file = Main.configFor("--access-log", "logs/access.log", "--access-log-format", "combined")
                .accessLog();
        assertEquals(AccessLogSettings.Target.FILE, file.target());
        assertEquals(Path.of("logs/access.log"), file.file());
        assertEquals(AccessLogSettings.Format.COMBINED, file.format());
        assertEquals(AccessLogSettings.Target.OFF, Main.configFor("--access-log=off").accessLog().target());
        assertEquals(AccessLogSettings.Target.STDOUT, Main.configFor("--access-log=-").accessLog().target());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--access-log-format=apache", "--access-log-format=", "--access-log="})
    void badAccessLogFlagsExitTwoWithOneLine(String flag) {
        assertEquals(2, runExpectingNoServer("--root", dir.toString(), "--port", "0", flag));
        assertTrue(err().startsWith("vod: Invalid value for option '" + flag.substring(0, flag.indexOf('=')) + "'"),
                err());
        assertEquals(1, err().lines().count(), err());
    }

    @Test
    void anAccessLogThatCannotBeOpenedExitsTwoNamingIt() {
        Path missing = dir.resolve("no/such/dir/access.log");
        assertEquals(2, runExpectingNoServer("--root", dir.toString(), "--port", "0", "--access-log",
                missing.toString()));
        assertTrue(err().startsWith("vod: cannot open the access log " + missing), err());
        assertEquals(1, err().lines().count(), err());
    }
}
