package dev.vod.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vod-server fetch URL}: downloads a file like a player would and measures it from the client side.
 *
 * <pre>
 * $ java -jar vod-server.jar fetch http://localhost:8080/sample.mp4 --rate 2M
 * [##############################] 100%  2.9 MiB / 2.9 MiB  2.0 MiB/s
 * outcome=complete
 * bytes=3043312
 * received_bytes=3043312
 * requests=1
 * startup_delay_ms=4.211
 * transfer_time_ms=1451.733
 * throughput_bytes_per_s=2096347
 * throughput_mbit_per_s=16.771
 * fetched 2.9 MiB in 1.45 s (startup 4.2 ms, 1 request): 2.0 MiB/s, 16.8 Mbit/s -> sample.mp4
 * </pre>
 *
 * <p>The progress bar and notes go to stderr, the metrics to stdout ({@link FetchMetrics} defines them), or to
 * stderr when {@code -o -} puts the body on stdout. Exit status: 0 when complete or stopped by {@code q}, 1 for a
 * network or HTTP failure, 2 for bad flags or a bad URL; always one line on stderr, never a stack trace.
 */
@Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Downloads URL with a progress bar, then prints the startup delay (request start to first "
                + "body byte), the transfer time and the average throughput.",
        footer = {
            "",
            "Metrics go to stdout as key=value lines plus one sentence (to stderr with -o -); progress to stderr.",
            "--interactive reads p (play), t (pause: closes the connection), q (stop: keeps the partial file) from "
                    + "stdin; play resumes with Range and If-Range.",
            "Exit status: 0 complete or stopped, 1 network or HTTP error, 2 bad flags or URL.",
            "",
            "Example: vod-server fetch 'http://localhost:8080/sample.mp4' --start 6 --rate 1M -o clip.mp4"
        })
public final class FetchCommand implements Callable<Integer> {
    private static final int EXIT_OK = 0;
    private static final int EXIT_FAILED = 1;
    private static final int EXIT_USAGE = 2;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "URL", description = "An http:// or https:// URL.")
    private String url;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to save the body, '-' for stdout (default: the URL's file name, here).")
    private String output;

    @Option(names = "--range", paramLabel = "FIRST-LAST", converter = FetchRange.Converter.class,
            description = "Ask for these bytes only (Range: bytes=FIRST-LAST), e.g. 0-1023 or 1000- .")
    private FetchRange range;

    @Option(names = "--start", paramLabel = "SECONDS",
            description = "Add start=SECONDS to the query: a vod server then seeks inside an MP4.")
    private String start;

    @Option(names = "--rate", paramLabel = "BYTES_PER_S", converter = SizeConverter.class,
            description = "Read at most this many bytes a second, e.g. 500k or 2M (default: no limit).")
    private Long rate;

    @Option(names = "--interactive", description = "Take p/t/q (play/pause/stop) commands from stdin.")
    private boolean interactive;

    @Option(names = "--no-progress", description = "No progress bar on stderr (notes and errors still appear).")
    private boolean noProgress;

    private final InputStream stdin;
    private final OutputStream stdout;
    private final FetchListener observer;

    /** The command as the launcher runs it, on the process's stdin and stdout. */
    public FetchCommand() {
        this(System.in, System.out, new FetchListener() { });
    }

    FetchCommand(InputStream stdin, OutputStream stdout, FetchListener observer) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.observer = observer;
    }

    /**
     * Runs {@code fetch} in-process with the given streams and an extra listener, and returns the exit status:
     * what tests use. {@code out} gets the body with {@code -o -} as well as the metrics.
     */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, FetchListener observer) {
        CommandLine cmd = new CommandLine(new FetchCommand(in, out, observer));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setParameterExceptionHandler((e, badArgs) -> {
            e.getCommandLine().getErr().println("vod fetch: " + e.getMessage());
            return EXIT_USAGE;
        });
        return cmd.execute(args);
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        URI uri;
        try {
            uri = target();
        } catch (IllegalArgumentException e) {
            err.println("vod fetch: " + e.getMessage());
            return EXIT_USAGE;
        }
        boolean toStdout = "-".equals(output);
        PrintWriter report = toStdout ? err : spec.commandLine().getOut();
        ProgressBar bar = new ProgressBar(err, !noProgress);
        FetchListener listener = FetchListener.both(bar, observer);
        PlayControls controls = interactive ? PlayControls.readFrom(stdin, listener) : PlayControls.alwaysPlaying();
        if (interactive) {
            bar.note("interactive: type p (play), t (pause) or q (stop), then Enter");
        }
        HttpClientWarmup.run(); // so the startup delay measures the network and the server, not class loading
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade: one plain connection per request
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        FetchOutput sink = toStdout ? FetchOutput.toStream(stdout) : FetchOutput.toFile(outputPath(uri));
        try (sink) {
            FetchMetrics metrics = new Download(client, uri, range, new ReadPacer(rate == null ? 0 : rate), sink,
                    controls, listener).run();
            bar.finish();
            report.print(metrics.keyValueLines());
            report.println(metrics.humanLine(sink.describe()));
            report.flush();
            return EXIT_OK;
        } catch (FetchFailure e) {
            bar.finish();
            err.println("vod fetch: " + e.getMessage());
            return EXIT_FAILED;
        } catch (IOException e) {
            bar.finish();
            err.println("vod fetch: cannot write " + sink.describe() + ": " + e.getMessage());
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("vod fetch: interrupted");
            return EXIT_FAILED;
        }
    }

    /** The URL to request: checked, with {@code start=} added to its query when {@code --start} is given. */
    private URI target() {
        if (rate != null && rate <= 0) {
            throw new IllegalArgumentException("Invalid value for option '--rate': must be greater than 0");
        }
        if (start != null && !start.matches("\\d{1,9}(\\.\\d{1,6})?")) {
            throw new IllegalArgumentException("Invalid value for option '--start': '" + start
                    + "' is not a number of seconds, e.g. 30 or 12.5");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url + " (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("not an http:// or https:// URL: " + url);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in URL: " + url);
        }
        if (start == null) {
            return uri;
        }
        String withoutFragment = uri.getRawFragment() == null
                ? uri.toString()
                : uri.toString().substring(0, uri.toString().length() - uri.getRawFragment().length() - 1);
        return URI.create(withoutFragment + (uri.getRawQuery() == null ? "?" : "&") + "start=" + start);
    }

    private Path outputPath(URI uri) {
        return Path.of(output != null ? output : defaultFileName(uri));
    }

    /** The last segment of the URL's path, like {@code curl -O}; {@code index.html} for a directory. */
    static String defaultFileName(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            return "index.html";
        }
        // a decoded %2F or %5C must not pick a directory; "." and ".." are not file names
        name = name.replace('\\', '_');
        return name.equals(".") || name.equals("..") ? "download" : name;
    }
}
