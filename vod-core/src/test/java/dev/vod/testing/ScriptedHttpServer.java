package dev.vod.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server on loopback that answers each connection's request with the next scripted answer, byte for byte,
 * and records the request: for client tests that need answers no real server gives (a store that ignores
 * {@code Range}, a body that stops half-way, a body that stalls). In the style of OkHttp's tests: enqueue the
 * answers, make the call, take the requests.
 *
 * <pre>
 * server.enqueue("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
 * ... call ...
 * assertEquals("bytes=0-9", server.takeRequest().header("range"));
 * </pre>
 *
 * <p>Every answer gets {@code Connection: close} added and ends its connection (unless it {@linkplain
 * #enqueueThenHang hangs}), so a client never reuses a connection the next answer does not expect.
 */
public final class ScriptedHttpServer implements AutoCloseable {
    /** One received request: its request line and its headers, names in lower case. */
    public record Request(String line, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private record Answer(byte[] bytes, boolean hang) {
    }

    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public ScriptedHttpServer() throws IOException {
        Thread acceptor = new Thread(this::acceptAll, "scripted-http");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    /** Answers the next request with {@code head} (status line and headers, ending in an empty line) and body. */
    public void enqueue(String head, byte[] body) {
        answers.add(new Answer(bytes(head, body), false));
    }

    public void enqueue(String head) {
        enqueue(head, new byte[0]);
    }

    /** Like {@link #enqueue}, then sends nothing more and keeps the connection open: a store that stalls. */
    public void enqueueThenHang(String head, byte[] partialBody) {
        answers.add(new Answer(bytes(head, partialBody), true));
    }

    /** The next request received, waiting up to 5 s for it. */
    public Request takeRequest() throws InterruptedException {
        Request request = requests.poll(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no request within 5 s");
        }
        return request;
    }

    private static byte[] bytes(String head, byte[] body) {
        if (!head.endsWith("\r\n\r\n")) {
            throw new IllegalArgumentException("a head ends with an empty line");
        }
        String closing = head.substring(0, head.length() - 2) + "Connection: close\r\n\r\n";
        byte[] headBytes = closing.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    private void acceptAll() {
        try {
            while (true) {
                Socket connection = socket.accept();
                open.add(connection);
                Thread handler = new Thread(() -> answer(connection), "scripted-http-connection");
                handler.setDaemon(true);
                handler.start();
            }
        } catch (IOException closed) {
            // close() ends the loop.
        }
    }

    private void answer(Socket connection) {
        try {
            InputStream in = connection.getInputStream();
            Request request = readHead(in);
            if (request == null) {
                return;
            }
            requests.add(request);
            Answer answer = answers.poll(5, TimeUnit.SECONDS);
            if (answer == null) {
                throw new IllegalStateException("no answer enqueued for " + request.line());
            }
            OutputStream out = connection.getOutputStream();
            out.write(answer.bytes());
            out.flush();
            if (!answer.hang()) {
                connection.close();
            }
        } catch (IOException | InterruptedException | IllegalStateException e) {
            closeQuietly(connection);
        }
    }

    /** The request line and headers, up to the empty line; null when the client closed first. */
    private static Request readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        if (matched < 4) {
            return null;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new Request(lines[0], headers);
    }

    private static void closeQuietly(Socket connection) {
        try {
            connection.close();
        } catch (IOException ignored) {
            // Closing is all that is left to do.
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        open.forEach(ScriptedHttpServer::closeQuietly);
    }
}
