package dev.vod.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay in front of a server that records what clients send on each connection, so a test can
 * see the requests as they were on the wire, and on how many connections, whatever the client claims.
 * Only for requests without bodies (GET, HEAD): everything a client sends is kept as text.
 */
final class RecordingRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<ByteArrayOutputStream> connections = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    RecordingRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** How many connections clients opened. */
    int connectionCount() {
        return connections.size();
    }

    /** Every request head sent, in order, e.g. "GET /a HTTP/1.1\r\nRange: bytes=5-\r\n...". */
    List<String> requestHeads() {
        List<String> heads = new ArrayList<>();
        for (ByteArrayOutputStream connection : connections) {
            String text;
            synchronized (connection) {
                text = connection.toString(StandardCharsets.ISO_8859_1);
            }
            for (String head : text.split("\r\n\r\n")) {
                if (!head.isBlank()) {
                    heads.add(head);
                }
            }
        }
        return heads;
    }

    /** The value of {@code name} in a request head, or null. */
    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(upstream);
                ByteArrayOutputStream record = new ByteArrayOutputStream();
                connections.add(record);
                pump(client.getInputStream(), upstream.getOutputStream(), record, client, upstream);
                pump(upstream.getInputStream(), client.getOutputStream(), null, client, upstream);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(InputStream from, OutputStream to, ByteArrayOutputStream record, Socket a, Socket b) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                int count;
                while ((count = from.read(buffer)) >= 0) {
                    if (record != null) {
                        synchronized (record) {
                            record.write(buffer, 0, count);
                        }
                    }
                    to.write(buffer, 0, count);
                }
            } catch (IOException e) {
                // one side went away: close both below
            } finally {
                closeQuietly(a);
                closeQuietly(b);
            }
        }, "relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(RecordingRelay::closeQuietly);
    }
}
