package dev.vod.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nginx as an unprivileged child process in front of vod nodes, configured with a block of {@code http}-level
 * directives taken verbatim from the documentation: only the addresses and the cache folder are replaced.
 *
 * <pre>
 * String block = NginxFront.documentedBlock(Path.of("../docs/deploy.md"));
 * try (NginxFront nginx = NginxFront.start(NGINX, block, List.of(nodeA, nodeB), dir)) {
 *     Http.get("http://127.0.0.1:" + nginx.port() + "/a.mp4");
 * }
 * </pre>
 *
 * <p>The block is wrapped in the smallest main configuration that runs without root: {@code daemon off} (the
 * process is ours to stop), pid, logs and every temporary folder under {@code dir}, never {@code /var}. nginx is
 * never installed or started as a system service. A shutdown hook stops it should the JVM exit without
 * {@link #close}; a JVM killed outright leaves it running, as it would any child.
 */
public final class NginxFront implements AutoCloseable {
    /** Debian's path of the binary. */
    public static final Path DEBIAN_BINARY = Path.of("/usr/sbin/nginx");

    private static final Pattern FENCED_NGINX = Pattern.compile("```nginx\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CACHE_PATH = Pattern.compile("(proxy_cache_path\\s+)(\\S+)");
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("(\\n\\s*server\\s+)([0-9.]+:\\d+)");
    private static final Pattern LISTEN = Pattern.compile("(listen\\s+)([^;]+)(;)");

    private final Process process;
    private final Thread stopAtExit;
    private final int port;
    private final Path dir;

    private NginxFront(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.stopAtExit = new Thread(this::stop, "stop-nginx");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /** The one {@code ```nginx} block of a Markdown file; fails unless there is exactly one. */
    public static String documentedBlock(Path markdown) throws IOException {
        Matcher m = FENCED_NGINX.matcher(Files.readString(markdown));
        if (!m.find()) {
            throw new AssertionError(markdown + " has no ```nginx block");
        }
        String block = m.group(1);
        if (m.find()) {
            throw new AssertionError(markdown + " has more than one ```nginx block; which one is the configuration?");
        }
        return block;
    }

    /**
     * {@code block} with its deployment addresses replaced: the {@code server} lines (in order) by
     * {@code upstreams}, {@code listen} by {@code 127.0.0.1:port}, the {@code proxy_cache_path} folder by
     * {@code cacheDir}. Each must occur exactly as often as expected, so a changed document fails here, loudly,
     * rather than running something else than it says.
     */
    static String localized(String block, List<InetSocketAddress> upstreams, int port, Path cacheDir) {
        String out = replaceEach(block, CACHE_PATH, List.of(cacheDir.toString()), "proxy_cache_path");
        out = replaceEach(out, UPSTREAM_SERVER, upstreams.stream()
                .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).toList(), "upstream server");
        return replaceEach(out, LISTEN, List.of("127.0.0.1:" + port), "listen");
    }

    private static String replaceEach(String text, Pattern pattern, List<String> values, String what) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (m.find()) {
            if (i == values.size()) {
                throw new AssertionError("the nginx block has more than " + values.size() + " " + what + " lines");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + values.get(i++)
                    + (m.groupCount() > 2 ? m.group(3) : "")));
        }
        if (i != values.size()) {
            throw new AssertionError("the nginx block has " + i + " " + what + " lines, expected " + values.size());
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The main configuration: {@code block} inside an {@code http} context that writes nothing outside {@code dir}. */
    static String mainConfiguration(String localizedBlock, Path dir) {
        return String.join("\n",
                "daemon off;",
                // A master started by root hands the work to "nobody", who could not write the cache in our folder.
                runningAsRoot() ? "user root;" : "",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " warn;",
                "events {}",
                "http {",
                // Which node answered each response (or - for a cache hit), to read when a test fails.
                "    log_format upstreams '$request_method $request_uri $status x-cache=$upstream_cache_status "
                        + "upstream=$upstream_addr range=\"$http_range\"';",
                "    access_log " + dir.resolve("access.log") + " upstreams;",
                // The compiled-in defaults are under /var/lib/nginx, which only root may write.
                "    client_body_temp_path " + dir.resolve("client_body") + ";",
                "    proxy_temp_path " + dir.resolve("proxy") + ";",
                "    fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
                "    uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
                "    scgi_temp_path " + dir.resolve("scgi") + ";",
                localizedBlock.indent(4),
                "}", "");
    }

    /**
     * Starts {@code nginx} with {@code block} (see {@link #localized}) on a free loopback port, proxying to
     * {@code upstreams}, all its files under {@code dir}; returns once it accepts connections.
     */
    public static NginxFront start(Path nginx, String block, List<InetSocketAddress> upstreams, Path dir)
            throws IOException, InterruptedException {
        int port = freePort();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, mainConfiguration(localized(block, upstreams, port,
                Files.createDirectories(dir.resolve("cache"))), dir));
        // -e: the error log before the configuration is read; the compiled-in one is /var/log/nginx/error.log.
        Process process = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-e",
                dir.resolve("error.log").toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        NginxFront front = new NginxFront(process, port, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                front.close();
                throw new AssertionError("nginx did not start (" + (process.isAlive() ? "no listener"
                        : "exit " + process.exitValue()) + "):\n" + front.errorLog() + "\nconfiguration:\n"
                        + Files.readString(conf));
            }
            Thread.sleep(20);
        }
        return front;
    }

    /** The port nginx listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** What nginx logged at warn and above so far (its error log). */
    public String errorLog() {
        return read(dir.resolve("error.log")) + read(dir.resolve("stdout.log"));
    }

    /** The access log so far: one line per client response, with the upstream that answered it. */
    public List<String> accessLog() {
        return read(dir.resolve("access.log")).lines().toList();
    }

    /** Stops nginx (SIGTERM: a fast shutdown, workers included) and waits for it. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs (or ran) stop() itself
        }
    }

    private void stop() {
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.forEach(ProcessHandle::destroyForcibly); // none is left after a clean exit of the master
    }

    private static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false; // not Linux: not root as far as nginx's workers are concerned
        }
    }

    /** A port free a moment ago; should another process take it first, nginx fails to bind and says so. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
