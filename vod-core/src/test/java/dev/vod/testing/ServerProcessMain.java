package dev.vod.testing;

import dev.vod.VodServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Entry point of {@link ServerProcess}'s child JVM: serves the root given as the only argument on an ephemeral
 * loopback port, prints {@code READY <port>}, and stops when standard input reaches its end.
 */
public final class ServerProcessMain {
    static final String READY = "READY ";

    private ServerProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        try (VodServer server = VodServer.builder().root(Path.of(args[0])).host("127.0.0.1").port(0)
                .shutdownGrace(Duration.ZERO).buildServer()) {
            InetSocketAddress address = server.start();
            System.out.println(READY + address.getPort());
            System.out.flush();
            while (System.in.read() != -1) {
                // Wait for the parent to close our stdin (or to die).
            }
        }
    }
}
