package dev.vod.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Runs the JDK HTTP client through a couple of requests to a throwaway listener on loopback before {@code fetch}
 * starts its clock. The first request a JVM makes costs some 200 ms of class loading and initialisation, which
 * would otherwise be reported as the server's startup delay. The target server sees nothing of this: it happens
 * on another client, with its own connection pool, against a socket of our own.
 *
 * <p>Best effort: if anything goes wrong here the fetch simply runs cold.
 */
final class HttpClientWarmup {
    private static final int ROUNDS = 2;
    private static final byte[] RESPONSE =
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

    private HttpClientWarmup() {
    }

    static void run() {
        try (ServerSocket listener = new ServerSocket(0, ROUNDS, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(2000);
            Thread server = new Thread(() -> answer(listener), "vod-fetch-warmup");
            server.setDaemon(true);
            server.start();
            URI uri = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/warmup");
            for (int round = 0; round < ROUNDS; round++) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(2)).build();
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2))
                        .header("Range", "bytes=0-").header("If-Range", "\"x\"").build();
                try (InputStream body = client.send(request, BodyHandlers.ofInputStream()).body()) {
                    body.read(new byte[16], 0, 16);
                }
            }
        } catch (IOException e) {
            // run cold
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(ServerSocket listener) {
        for (int round = 0; round < ROUNDS; round++) {
            try (Socket socket = listener.accept()) {
                InputStream in = socket.getInputStream();
                int matched = 0; // read the request head up to its blank line
                while (matched < 4) {
                    int next = in.read();
                    if (next < 0) {
                        break;
                    }
                    matched = next == "\r\n\r\n".charAt(matched) ? matched + 1 : (next == '\r' ? 1 : 0);
                }
                OutputStream out = socket.getOutputStream();
                out.write(RESPONSE);
                out.flush();
            } catch (IOException e) {
                return;
            }
        }
    }
}
