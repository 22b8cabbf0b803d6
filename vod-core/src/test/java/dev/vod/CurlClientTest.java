package dev.vod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.testing.ExternalTool;
import dev.vod.testing.ServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * curl, the command-line client every operator reaches for, as a separate process: ranges, resuming a cut
 * download with {@code -C -}, HEAD, and {@code --compressed}. Skipped when curl is not installed.
 */
@Tag("clients")
class CurlClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @TempDir
    Path temp;

    private static Path curl;

    @BeforeAll
    static void findCurl() {
        curl = ExternalTool.find("curl");
        assumeTrue(curl != null, "curl is not installed");
    }

    /** Runs curl with {@code -sS} (quiet but errors shown) and {@code -w} printing the status code last. */
    private ExternalTool.Result curl(String... args) {
        List<String> command = new ArrayList<>(List.of(curl.toString(), "-sS", "--max-time", "20"));
        command.addAll(Arrays.asList(args));
        return ExternalTool.run(TIMEOUT, command);
    }

    private byte[] file(String name) throws Exception {
        return Files.readAllBytes(server.root().resolve(name));
    }

    @Test
    void rangeGives206WithExactlyThoseBytes() throws Exception {
        Path out = temp.resolve("first-100.bin");
        ExternalTool.Result r = curl("-r", "0-99", "-o", out.toString(), "-w", "%{http_code}",
                server.url("/sample.mp4"));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("206", r.out());
        assertArrayEquals(Arrays.copyOf(file("sample.mp4"), 100), Files.readAllBytes(out));
    }

    @Test
    void resumeWithDashCContinuesAHalfDownloadedFile() throws Exception {
        byte[] whole = file("sample.mp4");
        Path out = temp.resolve("sample.mp4");
        Files.write(out, Arrays.copyOf(whole, whole.length / 2));
        ExternalTool.Result r = curl("-C", "-", "-o", out.toString(), "-w", "%{http_code}",
                server.url("/sample.mp4"));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("206", r.out(), "curl -C - resumes with a Range request");
        assertArrayEquals(whole, Files.readAllBytes(out));
    }

    @Test
    void resumingAFinishedDownloadChangesNothing() throws Exception {
        byte[] whole = file("hello.txt");
        Path out = temp.resolve("hello.txt");
        Files.write(out, whole);
        ExternalTool.Result r = curl("-C", "-", "-o", out.toString(), "-w", "%{http_code}",
                server.url("/hello.txt"));
        // curl asks for bytes=11-, the server answers 416, and curl treats that as "already complete".
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("416", r.out());
        assertArrayEquals(whole, Files.readAllBytes(out));
    }

    @Test
    void headShowsTheHeadersOfAGet() throws Exception {
        ExternalTool.Result r = curl("-I", server.url("/sample.mp4"));
        assertEquals(0, r.exitCode(), r.toString());
        String headers = r.out().toLowerCase(Locale.ROOT);
        assertTrue(headers.startsWith("http/1.1 200"), headers);
        assertTrue(headers.contains("content-length: " + file("sample.mp4").length + "\r\n"), headers);
        assertTrue(headers.contains("accept-ranges: bytes"), headers);
        assertTrue(headers.contains("content-type: video/mp4"), headers);
        assertTrue(headers.contains("etag: \""), headers);
    }

    @Test
    void compressedClaimsNoEncodingItDoesNotApply() throws Exception {
        Path out = temp.resolve("compressed.txt");
        Path headers = temp.resolve("headers.txt");
        ExternalTool.Result r = curl("--compressed", "-D", headers.toString(), "-o", out.toString(),
                server.url("/hello.txt"));
        assertEquals(0, r.exitCode(), r.toString());
        String head = Files.readString(headers).toLowerCase(Locale.ROOT);
        assertTrue(head.startsWith("http/1.1 200"), head);
        assertFalse(head.contains("content-encoding"), head);
        assertArrayEquals(file("hello.txt"), Files.readAllBytes(out));
    }

    @Test
    void wholeDownloadMatchesTheFile() throws Exception {
        Path out = temp.resolve("whole.webm");
        ExternalTool.Result r = curl("-o", out.toString(), "-w", "%{http_code} %{size_download}",
                server.url("/sample.webm"));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("200 " + file("sample.webm").length, r.out());
        assertArrayEquals(file("sample.webm"), Files.readAllBytes(out));
    }
}
