package dev.vod.server;

import dev.vod.VodConfig;
import dev.vod.VodServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code vod-server} command: turns flags into a {@link VodConfig}, starts a {@link VodServer} and prints
 * where it listens.
 *
 * <pre>
 * $ java -jar vod-server.jar --root /srv/videos --port 8080
 * Listening on http://0.0.0.0:8080/ serving /srv/videos
 * </pre>
 *
 * <p>Stdout carries that line first, so scripts can read the bound port (useful with {@code --port 0}), then the
 * access log unless {@code --access-log} sends it elsewhere; the server's own logs go to stderr (Logback, configured
 * by {@code logback.xml} in the jar or {@code -Dlogback.configurationFile=FILE}). Exit status: 0 after a clean stop
 * (SIGTERM or Ctrl-C), 2 for bad flags, a bad root or a port that
 * cannot be bound, 1 for anything unexpected. Everything the server does lives in the library, not here.
 */
@Command(
        name = "vod-server",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        subcommands = {FetchCommand.class},
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Serves the files under a directory over HTTP: byte ranges, ETags, and MP4 seeking "
                + "(?start=SECONDS) for <video> players.",
        footer = {
            "",
            "BYTES accept a plain number or a 1024-based suffix: 512k, 5M, 5MiB, 2G (KB/MB/GB are refused as "
                    + "ambiguous).",
            "Stdout gets 'Listening on http://HOST:PORT/ serving ROOT', then the access log (--access-log); "
                    + "other logs go to stderr.",
            "Exit status: 0 on SIGTERM/Ctrl-C after in-flight responses finish, 2 on bad flags, root or port.",
            "",
            "Example: vod-server --root /srv/videos --port 8080 --deny '**/*.part'"
        })
public final class Main implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("vod.server");
    private static final int EXIT_OK = 0;
    private static final int EXIT_UNEXPECTED = 1;
    private static final int EXIT_USAGE = 2;

    @Spec
    private CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "content",
            description = "Directory to serve (default: ${DEFAULT-VALUE}, relative to the working directory).")
    private Path root;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Address to bind (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", converter = FlagConverters.Port.class,
            description = "Port to bind, 0 for any free port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--mount", paramLabel = "PATH", defaultValue = "/",
            description = "URL prefix under which the root is served (default: ${DEFAULT-VALUE}).")
    private String mountPath;

    @Option(names = "--deny", paramLabel = "GLOB", converter = FlagConverters.Glob.class,
            description = "Answer 403 for root-relative paths matching this glob, e.g. '**/*.part'. Repeatable.")
    private List<String> denyGlobs = new ArrayList<>();

    @Option(names = "--no-index", description = "Answer 403 for directories instead of an HTML index page.")
    private boolean noIndex;

    @Option(names = "--mime", paramLabel = "EXT=TYPE",
            description = "Serve files ending in .EXT as TYPE, e.g. mkv=video/x-matroska. Repeatable.")
    private Map<String, String> mimeTypes = new LinkedHashMap<>();

    @Option(names = "--max-chunk", paramLabel = "BYTES", defaultValue = "0", converter = SizeConverter.class,
            description = "Cap every response body at this size; a larger GET answers 206 (default: 0 = no cap).")
    private long maxChunk;

    @Option(names = "--cache-max-age", paramLabel = "SECONDS", converter = FlagConverters.Seconds.class,
            description = "Add 'Cache-Control: max-age=SECONDS' to file responses (default: no Cache-Control).")
    private Duration cacheMaxAge;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "60",
            converter = FlagConverters.Seconds.class,
            description = "Close connections idle this long (default: ${DEFAULT-VALUE}).")
    private Duration idleTimeout;

    @Option(names = "--header-timeout", paramLabel = "SECONDS", defaultValue = "10",
            converter = FlagConverters.Seconds.class,
            description = "Close connections whose request headers take longer (default: ${DEFAULT-VALUE}).")
    private Duration headerTimeout;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS", defaultValue = "10",
            converter = FlagConverters.Seconds.class,
            description = "On SIGTERM, let in-flight responses run this long (default: ${DEFAULT-VALUE}).")
    private Duration shutdownGrace;

    // Each capability's flags live in a mixin of their own, turned into its settings record there.
    @CommandLine.Mixin
    private Mp4Flags mp4 = new Mp4Flags();
    @CommandLine.Mixin
    private PackagingFlags packaging = new PackagingFlags();
    @CommandLine.Mixin
    private AccessLogFlags accessLog = new AccessLogFlags();
    @CommandLine.Mixin
    private RtspFlags rtsp = new RtspFlags();
    @CommandLine.Mixin
    private LiveFlags live = new LiveFlags();
    @CommandLine.Mixin
    private SourceFlags source = new SourceFlags();

    @Option(names = "--limit-rate", paramLabel = "BYTES", defaultValue = "0", converter = SizeConverter.class,
            description = "Hold each response to BYTES per second after --limit-rate-after (default: 0 = off).")
    private long limitRate;

    @Option(names = "--limit-rate-after", paramLabel = "BYTES", defaultValue = "0", converter = SizeConverter.class,
            description = "Send this much of each response at full speed before --limit-rate (default: 0).")
    private long limitRateAfter;

    @Option(names = "--max-bandwidth", paramLabel = "BYTES", defaultValue = "0", converter = SizeConverter.class,
            description = "Cap the server's total sending rate at BYTES per second, shared evenly (default: 0 = off).")
    private long maxBandwidth;

    @Option(names = "--pace",
            description = "Pace MP4 responses at --pace-factor x their average bitrate after --pace-burst-seconds.")
    private boolean pace;

    @Option(names = "--pace-burst-seconds", paramLabel = "SECONDS", defaultValue = "30",
            description = "Seconds of media sent at full speed before pacing (default: ${DEFAULT-VALUE}).")
    private int paceBurstSeconds;

    @Option(names = "--pace-factor", paramLabel = "X", defaultValue = "1.25",
            description = "Pacing rate as a multiple of the media bitrate, at least 1 (default: ${DEFAULT-VALUE}).")
    private double paceFactor;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "0",
            description = "Answer 503 (Retry-After: 1) to connections beyond N (default: 0 = no limit).")
    private int maxConnections;

    @Option(names = "--metrics-path", paramLabel = "PATH",
            description = "Serve Prometheus metrics at this path, e.g. /metrics (default: off).")
    private String metricsPath;

    @Option(names = "--status-path", paramLabel = "PATH",
            description = "Serve a JSON status (uptime, connections, bytes/s) at this path, e.g. /status "
                    + "(default: off).")
    private String statusPath;

    private final PrintStream out;
    private final Consumer<VodServer> onStarted;

    private Main(PrintStream out, Consumer<VodServer> onStarted) {
        this.out = out;
        this.onStarted = onStarted;
    }

    /** Runs the server until SIGTERM or Ctrl-C, then exits with status 0 (2 on bad flags, root or port). */
    public static void main(String[] args) {
        // Netty samples one buffer in 128 for leak tracking unless told otherwise; the server's buffers are
        // checked by its test suite at the paranoid level, so a production process need not pay for it.
        // -Dio.netty.leakDetection.level=simple (or higher) turns it back on.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        System.exit(run(args, System.out, System.err, Main::stopOnSignal));
    }

    /**
     * Parses {@code args}, starts the server, hands it to {@code onStarted} and blocks until it is closed.
     * Returns the exit status instead of exiting, so tests can run the command in-process.
     */
    static int run(String[] args, PrintStream out, PrintStream err, Consumer<VodServer> onStarted) {
        CommandLine cmd = new CommandLine(new Main(out, onStarted));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setParameterExceptionHandler(Main::reportBadFlag);
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println("vod: unexpected error: " + e);
            return EXIT_UNEXPECTED;
        });
        return cmd.execute(args);
    }

    /** The configuration these flags describe, without checking the root or starting anything. */
    static VodConfig configFor(String... args) {
        Main main = new Main(System.out, server -> { });
        new CommandLine(main).parseArgs(args);
        return main.configure().build();
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        VodConfig.Builder config = configure();
        String problem = source.remote() ? null : checkRoot(root);
        if (problem != null) {
            err.println("vod: " + problem);
            return EXIT_USAGE;
        }
        VodServer server;
        try {
            server = config.buildServer();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            // The library's own checks, for anything the flags let through, or an access log that cannot be opened.
            err.println("vod: " + e.getMessage());
            return EXIT_USAGE;
        }
        InetSocketAddress address;
        try {
            address = server.start();
        } catch (IOException e) {
            server.close(); // closes the access log it may have opened
            err.println("vod: cannot listen on " + urlHost(host) + ":" + port + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        // Signal handling first: a script may send SIGTERM as soon as it reads the Listening line.
        onStarted.accept(server);
        out.println("Listening on http://" + urlHost(host) + ":" + address.getPort() + "/"
                + RtspFlags.listening(server, urlHost(host)) + " serving "
                + (source.remote() ? source.describe() : realRoot()));
        out.flush();
        server.awaitClose();
        return EXIT_OK;
    }

    private VodConfig.Builder configure() {
        requirePositive(idleTimeout, "--idle-timeout");
        requirePositive(headerTimeout, "--header-timeout");
        if (paceBurstSeconds < 0) {
            throw badValue("--pace-burst-seconds", "must not be negative: " + paceBurstSeconds);
        }
        if (!(paceFactor >= 1.0) || Double.isInfinite(paceFactor)) {
            throw badValue("--pace-factor", "must be a number of at least 1: " + paceFactor);
        }
        if (maxConnections < 0) {
            throw badValue("--max-connections", "must not be negative: " + maxConnections);
        }
        requireEndpointPath(metricsPath, "--metrics-path");
        requireEndpointPath(statusPath, "--status-path");
        VodConfig.Builder builder = VodConfig.builder()
                .root(root)
                .host(host)
                .port(port)
                .mountPath(mountPath)
                .indexPages(!noIndex)
                .maxChunk(maxChunk)
                .idleTimeout(idleTimeout)
                .headerTimeout(headerTimeout)
                .cacheMaxAge(cacheMaxAge)
                .shutdownGrace(shutdownGrace)
                .packaging(packaging.settings())
                .limitRate(limitRate)
                .limitRateAfter(limitRateAfter)
                .maxBandwidth(maxBandwidth)
                .pace(pace)
                .paceBurstSeconds(paceBurstSeconds)
                .paceFactor(paceFactor)
                .maxConnections(maxConnections)
                .metricsPath(metricsPath)
                .statusPath(statusPath)
                .accessLog(accessLog.settings())
                .rtsp(rtsp.settings())
                .live(live.settings());
        mp4.applyTo(builder);
        source.applyTo(builder);
        denyGlobs.forEach(builder::deny);
        mimeTypes.forEach((extension, type) -> {
            if (extension.isBlank() || !type.matches("[^/\\s]+/[^/\\s]+")) {
                throw badValue("--mime", "'" + extension + "=" + type + "' is not EXT=TYPE, e.g. mkv=video/x-matroska");
            }
            builder.mimeType(extension, type);
        });
        return builder;
    }

    /** A plain sentence about what is wrong with the root, or null when it is a readable directory. */
    static String checkRoot(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            return "root directory does not exist: " + absolute;
        }
        if (!Files.isDirectory(absolute)) {
            return "root is not a directory: " + absolute;
        }
        if (!Files.isReadable(absolute)) {
            return "root directory is not readable: " + absolute;
        }
        return null;
    }

    private Path realRoot() {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root.toAbsolutePath().normalize(); // removed after start: still say which directory we meant
        }
    }

    /** IPv6 literals need brackets in a URL; names and IPv4 addresses are printed as given. */
    static String urlHost(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private void requirePositive(Duration value, String option) {
        if (value.isZero()) {
            throw badValue(option, "must be at least 1 second");
        }
    }

    private void requireEndpointPath(String path, String option) {
        if (path != null && (!path.startsWith("/") || path.contains("?") || path.contains("#"))) {
            throw badValue(option, "must be a path starting with /, e.g. /metrics: " + path);
        }
    }

    private ParameterException badValue(String option, String reason) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + reason);
    }

    /** Unknown options get picocli's message and the usage; a bad value gets one line naming the flag. */
    private static int reportBadFlag(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        if (e instanceof UnmatchedArgumentException) {
            err.println(e.getMessage());
            UnmatchedArgumentException.printSuggestions(e, err);
            cmd.usage(err);
        } else {
            err.println("vod: " + e.getMessage());
        }
        return EXIT_USAGE;
    }

    /**
     * On SIGTERM or Ctrl-C: stop accepting, let in-flight responses finish (up to the grace period), write out
     * the access log's queued lines (the server's close does, once no response can end any more), then exit
     * with status 0. The JVM would otherwise report 143 for SIGTERM, which service managers read as a failure.
     */
    private static void stopOnSignal(VodServer server) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping: waiting up to {} s for in-flight responses",
                    server.config().shutdownGrace().toSeconds());
            server.close();
            log.info("stopped");
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_OK);
        }, "vod-shutdown"));
    }
}
