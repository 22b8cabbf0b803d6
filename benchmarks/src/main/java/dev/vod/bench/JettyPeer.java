package dev.vod.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.server.AsyncRequestLogWriter;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The Java peer of the load harness: Jetty 12's {@link ResourceHandler} serving a directory, configured the way
 * a Java developer would pick it instead of vod — defaults, plus ETags and byte ranges on, no directory listing.
 *
 * <pre>
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.vod.bench.JettyPeer --root DIR --port 18082 [--request-log FILE]
 * </pre>
 *
 * <p>Binds 127.0.0.1 only and prints {@code Listening on http://127.0.0.1:PORT/ serving ROOT} once ready, like
 * the vod launcher. The thread pool, connector and content cache are Jetty's defaults on purpose: tuning one
 * peer and not the other would measure the tuning.
 */
public final class JettyPeer {
    private JettyPeer() {
    }

    /** Starts the peer and blocks until the process is stopped. */
    public static void main(String[] args) throws Exception {
        Path root = null;
        int port = 18082;
        String requestLog = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[i + 1]);
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--request-log" -> requestLog = args[i + 1];
                default -> throw usage("unknown option " + args[i]);
            }
        }
        if (root == null || args.length % 2 != 0) {
            throw usage("--root is required");
        }
        if (!Files.isDirectory(root)) {
            throw usage("not a directory: " + root);
        }
        Path realRoot = root.toRealPath();

        Server server = new Server(); // default QueuedThreadPool
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        ResourceHandler resources = new ResourceHandler();
        resources.setBaseResource(ResourceFactory.of(server).newResource(realRoot));
        resources.setDirAllowed(false);
        resources.setAcceptRanges(true);
        resources.setEtags(true);
        resources.setWelcomeFiles();
        server.setHandler(resources);
        if (requestLog != null) {
            // What Jetty's documentation sets up: NCSA combined lines, written by a background thread from a
            // bounded queue (Jetty's counterpart of nginx's buffer=64k flush=1s and of vod's own writer).
            server.setRequestLog(new CustomRequestLog(new AsyncRequestLogWriter(requestLog),
                    CustomRequestLog.EXTENDED_NCSA_FORMAT));
        }
        server.setStopAtShutdown(true);

        server.start();
        System.out.println("Listening on http://127.0.0.1:" + connector.getLocalPort() + "/ serving " + realRoot);
        System.out.flush();
        server.join();
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem + " (usage: JettyPeer --root DIR [--port N] [--request-log FILE])");
    }
}
