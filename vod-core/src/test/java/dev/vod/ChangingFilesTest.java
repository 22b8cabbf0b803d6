package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vod.testing.Descriptors;
import dev.vod.testing.Fixtures;
import dev.vod.testing.LeakCounter;
import dev.vod.testing.RawHttp;
import dev.vod.testing.ServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A file truncated, replaced, deleted or appended to while it is being sent. The server cannot send bytes that
 * are gone, but it must never hang, crash or send more than it announced: either the client gets the announced
 * bytes (all of them from the old file: Linux keeps a deleted or replaced file's data while it is open) or the
 * connection closes before {@code Content-Length} is reached, so the client knows the body is incomplete. The
 * next request sees the new file (new length, new ETag) or a 404, and nothing stays open.
 */
@Tag("hardening")
class ChangingFilesTest {
    private static final int OLD_SIZE = 32 * 1024 * 1024;
    private static final int READ_BEFORE_CHANGE = 1024 * 1024;

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private Path file;
    private int leaksBefore;

    @BeforeEach
    void writeOldFile() throws Exception {
        leaksBefore = LeakCounter.leaksAfterGc();
        file = server.root().resolve("changing.bin");
        writePattern(file, OLD_SIZE, 0);
        // An mtime clearly in the past, so any later write gives a new ETag even within the same second.
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 3_600_000));
    }

    @AfterEach
    void nothingLeftBehind() throws Exception {
        for (int i = 0; i < 500 && server.server().activeResponses() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, server.server().activeResponses(), "responses still in flight");
        // Recently used files stay open for the open-file cache's keep time (about 1.5 s, like nginx's
        // open_file_cache), then must be closed even when nothing asks for them again.
        for (int i = 0; i < 400 && Descriptors.openDeletedFiles() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, Descriptors.openDeletedFiles(), "a deleted or replaced file is still held open after 4 s");
        assertEquals(leaksBefore, LeakCounter.leaksAfterGc(), "Netty leak reports: " + LeakCounter.reports());
        assertEquals(Fixtures.HELLO, RawHttp.exchange(server.address(), RawHttp.get("/hello.txt")).bodyText());
        Files.deleteIfExists(file);
    }

    @Test
    void truncatedWhileSendingClosesTheConnectionEarly() throws Exception {
        Transfer t = startTransfer();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(READ_BEFORE_CHANGE / 2);
        }
        t.finish();
        assertTrue(t.received < t.contentLength, "announced " + t.contentLength + " bytes, sent " + t.received
                + " from a file truncated to " + READ_BEFORE_CHANGE / 2);
        expectNewVersion(t.etag, READ_BEFORE_CHANGE / 2);
    }

    @Test
    void truncatedToZeroWhileSendingClosesTheConnectionEarly() throws Exception {
        Transfer t = startTransfer();
        Files.write(file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
        t.finish();
        assertTrue(t.received < t.contentLength, "announced " + t.contentLength + ", sent " + t.received);
        expectNewVersion(t.etag, 0);
    }

    @Test
    void replacedWhileSendingSendsOnlyOldBytesAndThenServesTheNewFile() throws Exception {
        Transfer t = startTransfer();
        Path replacement = server.root().resolve("changing.bin.new");
        writePattern(replacement, 3 * 1024 * 1024, 1);
        Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        t.finish();
        expectNewVersion(t.etag, 3 * 1024 * 1024);
    }

    @Test
    void deletedWhileSendingSendsOnlyOldBytesAndThenIs404() throws Exception {
        Transfer t = startTransfer();
        Files.delete(file);
        t.finish();
        assertEquals(404, RawHttp.exchange(server.address(), RawHttp.get("/changing.bin")).status());
    }

    @Test
    void appendedWhileSendingSendsExactlyTheAnnouncedLength() throws Exception {
        Transfer t = startTransfer();
        Files.write(file, new byte[1024 * 1024], StandardOpenOption.APPEND);
        t.finish();
        assertEquals(t.contentLength, t.received, "a growing file is sent up to the length announced");
        expectNewVersion(t.etag, OLD_SIZE + 1024 * 1024);
    }

    private static void expectNewVersion(String oldEtag, long newLength) throws IOException {
        RawHttp.Response r = RawHttp.exchange(server.address(), "HEAD /changing.bin HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, r.status());
        assertEquals(Long.toString(newLength), r.header("Content-Length"));
        assertNotEquals(oldEtag, r.header("ETag"), "the changed file must get a new ETag");
    }

    /** Writes {@code size} bytes of a pattern that shows both offset and {@code variant}. */
    private static void writePattern(Path path, int size, int variant) throws IOException {
        try (OutputStream out = Files.newOutputStream(path)) {
            byte[] chunk = new byte[1024 * 1024];
            for (int offset = 0; offset < size; offset += chunk.length) {
                int n = Math.min(chunk.length, size - offset);
                for (int i = 0; i < n; i++) {
                    chunk[i] = pattern(offset + i, variant);
                }
                out.write(chunk, 0, n);
            }
        }
    }

    private static byte pattern(long offset, int variant) {
        return variant == 0 ? Fixtures.dataByte(offset) : (byte) (offset * 7 + 3);
    }

    /** A GET of the old file with part of its body read; {@link #finish()} reads the rest and checks it. */
    private Transfer startTransfer() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(64 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        socket.setSoTimeout(15_000);
        socket.getOutputStream().write("GET /changing.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        Map<String, String> headers = readHead(in);
        Transfer t = new Transfer(socket, in, Long.parseLong(headers.get("content-length")), headers.get("etag"));
        assertEquals(OLD_SIZE, t.contentLength);
        t.read(READ_BEFORE_CHANGE);
        return t;
    }

    private static Map<String, String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                fail("connection closed inside the response head: " + head);
            }
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        assertTrue(lines[0].startsWith("HTTP/1.1 200 "), lines[0]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return headers;
    }

    private static final class Transfer {
        final Socket socket;
        final InputStream in;
        final long contentLength;
        final String etag;
        long received;

        Transfer(Socket socket, InputStream in, long contentLength, String etag) {
            this.socket = socket;
            this.in = in;
            this.contentLength = contentLength;
            this.etag = etag;
        }

        /** Reads up to {@code count} body bytes, checking each is the old file's; false at end of stream. */
        boolean read(long count) throws IOException {
            byte[] buffer = new byte[64 * 1024];
            long goal = count >= contentLength - received ? contentLength : received + count;
            while (received < goal) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, goal - received));
                if (n < 0) {
                    return false;
                }
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != pattern(received + i, 0)) {
                        fail("byte " + (received + i) + " is not the old file's");
                    }
                }
                received += n;
            }
            return true;
        }

        /** Reads to the end of the body or of the stream; never more than announced, never a hang. */
        void finish() throws IOException {
            try {
                if (read(contentLength) && received == contentLength) {
                    // Complete: the next byte must not be more body (a keep-alive connection just stays open).
                    socket.setSoTimeout(200);
                    try {
                        int extra = in.read();
                        assertEquals(-1, extra, "bytes beyond Content-Length");
                    } catch (SocketTimeoutException quiet) {
                        // nothing more was sent
                    }
                }
            } catch (SocketTimeoutException hung) {
                fail("the server neither sent the rest nor closed the connection (" + received + " of "
                        + contentLength + " bytes)");
            } catch (IOException reset) {
                // A reset after the last byte sent is a clean enough end: the client knows the body is short.
                assertTrue(received < contentLength, "reset after the complete body: " + reset);
            } finally {
                socket.close();
            }
        }
    }
}
