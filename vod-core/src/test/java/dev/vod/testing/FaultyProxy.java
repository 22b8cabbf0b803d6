package dev.vod.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback in front of a real server, which can be told to misbehave the way a network or a store
 * does: pass bytes through, reset every connection, or accept connections and never answer. A new mode takes
 * effect at once: connections already open are cut, so a client's pooled connection cannot slip past it.
 */
public final class FaultyProxy implements AutoCloseable {
    /** What the proxy does with connections. */
    public enum Mode {
        /** Forward both ways. */
        PASS,
        /** Accept, then reset at once. */
        RESET,
        /** Accept and read, never answer. */
        BLACKHOLE
    }

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.PASS;
    private volatile boolean closed;

    public FaultyProxy(URI target) throws IOException {
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "faulty-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Switches to {@code next}, cutting the connections open now. */
    public void mode(Mode next) {
        mode = next;
        for (Socket s : open) {
            reset(s);
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            open.add(client);
            Mode now = mode;
            if (now == Mode.RESET) {
                reset(client);
            } else if (now == Mode.BLACKHOLE) {
                thread(() -> drain(client));
            } else {
                thread(() -> forward(client));
            }
        }
    }

    private void forward(Socket client) {
        try (Socket upstream = new Socket(target.getAddress(), target.getPort())) {
            open.add(upstream);
            thread(() -> pipe(client, upstream));
            pipe(upstream, client);
        } catch (IOException e) {
            reset(client);
        }
    }

    private void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            reset(from);
            reset(to);
        }
    }

    private void drain(Socket client) {
        try (InputStream in = client.getInputStream()) {
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // never answered
            }
        } catch (IOException e) {
            // cut by mode() or close()
        }
    }

    private void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // a RST, not a FIN: what a crashed peer or a middlebox sends
            s.close();
        } catch (IOException e) {
            // already gone
        }
        open.remove(s);
    }

    private static void thread(Runnable r) {
        Thread t = new Thread(r, "faulty-proxy-io");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket s : open) {
            reset(s);
        }
    }
}
