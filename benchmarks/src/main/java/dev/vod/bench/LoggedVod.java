package dev.vod.bench;

import dev.vod.AccessLogSettings;
import dev.vod.VodServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * vod with its access log on a chosen route, for {@code benchmarks/backends.sh}: {@code logger} hands each line
 * to SLF4J ({@code vod.access}) and so to whichever backend is on the class path with its own asynchronous
 * appender; {@code file} is vod's own batched writer; {@code off} is no log.
 *
 * <pre>
 * java -cp ... dev.vod.bench.LoggedVod ROOT PORT logger|file:PATH|off
 * </pre>
 */
public final class LoggedVod {
    private LoggedVod() {
    }

    /** Serves ROOT on 127.0.0.1:PORT until killed. */
    public static void main(String[] args) throws Exception {
        String route = args[2];
        AccessLogSettings log = route.equals("logger") ? AccessLogSettings.DEFAULTS
                : route.equals("off") ? AccessLogSettings.OFF
                : AccessLogSettings.file(Path.of(route.substring("file:".length())));
        VodServer server = VodServer.builder().root(Path.of(args[0])).host("127.0.0.1")
                .port(Integer.parseInt(args[1])).accessLog(log).buildServer();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        InetSocketAddress address = server.start();
        System.out.println("Listening on http://127.0.0.1:" + address.getPort() + "/ (" + route + ")");
        server.awaitClose();
    }
}
