package dev.vod.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A GET on a fresh connection that records when the body reached given byte counts, for rate tests. The body
 * is kept in memory: use files of a few MB at most.
 */
public final class TimedDownload {
    /** Status, body, nanoTime when the head arrived, and nanoTime when {@code mark} body bytes had arrived. */
    public record Result(int status, byte[] body, long headNanos, long markNanos, long endNanos) {
        /** Bytes per second between the mark and the end. */
        public double rateAfterMark(long mark) {
            return (body.length - mark) / ((endNanos - markNanos) / 1e9);
        }

        public double secondsToMark() {
            return (markNanos - headNanos) / 1e9;
        }
    }

    private TimedDownload() {
    }

    public static Result get(InetSocketAddress address, String target, long mark) throws IOException {
        return get(address, target, mark, "");
    }

    /** As {@link #get(InetSocketAddress, String, long)}, with extra header lines, each ending in CRLF. */
    public static Result get(InetSocketAddress address, String target, long mark, String extraHeaders)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", address.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String headers = readHead(in);
            long headNanos = System.nanoTime();
            int status = Integer.parseInt(headers.substring(9, 12));
            long length = -1;
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).trim());
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            long markNanos = mark == 0 ? headNanos : -1;
            while (body.size() < length) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - body.size()));
                if (n < 0) {
                    break;
                }
                body.write(buffer, 0, n);
                if (markNanos < 0 && body.size() >= mark) {
                    markNanos = System.nanoTime();
                }
            }
            return new Result(status, body.toByteArray(), headNanos, markNanos, System.nanoTime());
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }
}
