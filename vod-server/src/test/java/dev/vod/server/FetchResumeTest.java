package dev.vod.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.VodServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fetch --interactive} against an embedded {@link VodServer}, seen through a {@link RecordingRelay} so
 * the checks are on the requests as they crossed the wire. Pauses are deterministic: the {@link FetchRecorder}
 * types each command from the download thread and waits until it has taken effect.
 */
class FetchResumeTest {
    private static final long SIZE = FetchCommandTest.SIZE;
    private static final long PAUSE_AT = 256 * 1024;

    @TempDir
    Path served;
    @TempDir
    Path downloads;

    private VodServer server;
    private RecordingRelay relay;
    private String url;
    private Path source;
    private Path target;
    private final CommandScript stdin = new CommandScript();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void startServer() throws IOException {
        source = served.resolve("big.bin");
        target = downloads.resolve("big.bin");
        FetchRecorder.writeRandomFile(source, SIZE, 42);
        server = VodServer.builder().root(served).host("127.0.0.1").port(0).buildServer();
        relay = new RecordingRelay(server.start());
        url = "http://127.0.0.1:" + relay.port() + "/big.bin";
    }

    @AfterEach
    void stop() throws IOException {
        stdin.end();
        relay.close();
        server.close();
    }

    private int fetchInteractive(FetchRecorder recorder, String... extra) {
        String[] args = new String[extra.length + 5];
        System.arraycopy(new String[] {url, "--interactive", "--no-progress", "-o", target.toString()}, 0, args, 0, 5);
        System.arraycopy(extra, 0, args, 5, extra.length);
        return FetchCommand.run(args, stdin, new PrintStream(out, true),
                new PrintStream(err, true, StandardCharsets.UTF_8), recorder);
    }

    private Map<String, String> metrics() {
        return FetchCommandTest.metrics(out.toString(StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pauseThenPlayResumesWithRangeAndIfRangeToAByteIdenticalFile() throws IOException {
        FetchRecorder recorder = FetchRecorder.pauseThenPlay(stdin, PAUSE_AT, () -> { });

        assertEquals(0, fetchInteractive(recorder), err());

        assertEquals(-1, Files.mismatch(source, target));
        assertTrue(recorder.pausedAt >= PAUSE_AT && recorder.pausedAt < SIZE, "paused at " + recorder.pausedAt);
        List<String> heads = relay.requestHeads();
        assertEquals(2, heads.size(), heads.toString());
        assertNull(RecordingRelay.header(heads.get(0), "Range"));
        assertEquals("bytes=" + recorder.pausedAt + "-", RecordingRelay.header(heads.get(1), "Range"));
        String ifRange = RecordingRelay.header(heads.get(1), "If-Range");
        assertTrue(ifRange != null && ifRange.matches("\"[^\"]+\""), "If-Range: " + ifRange);
        assertEquals(2, relay.connectionCount(), "pause must close the first connection");
        assertEquals(List.of(200, 206), recorder.statuses);
        assertEquals("complete", metrics().get("outcome"));
        assertEquals(String.valueOf(SIZE), metrics().get("bytes"));
        assertEquals("2", metrics().get("requests"));
    }

    @Test
    void stopKeepsAPartialFileThatIsAPrefixOfTheSource() throws IOException {
        FetchRecorder recorder = FetchRecorder.stopAt(stdin, PAUSE_AT);

        assertEquals(0, fetchInteractive(recorder), err());

        long kept = Files.size(target);
        assertTrue(kept >= PAUSE_AT && kept < SIZE, "kept " + kept);
        byte[] prefix = Arrays.copyOf(Files.readAllBytes(source), (int) kept);
        assertTrue(Arrays.equals(prefix, Files.readAllBytes(target)), "partial file differs from the source");
        assertEquals("stopped", metrics().get("outcome"));
        assertEquals(String.valueOf(kept), metrics().get("bytes"));
        assertEquals(1, relay.requestHeads().size());
    }

    @Test
    void fileChangedWhilePausedRestartsFromZero() throws IOException {
        Path changed = downloads.resolve("changed.bin");
        FetchRecorder.writeRandomFile(changed, SIZE + 1000, 7);
        FetchRecorder recorder = FetchRecorder.pauseReplaceThenPlay(stdin, PAUSE_AT, changed, source);

        assertEquals(0, fetchInteractive(recorder), err());

        assertEquals(-1, Files.mismatch(changed, target));
        assertEquals(List.of(200, 200), recorder.statuses);
        assertTrue(err().contains("the file changed on the server (200 to If-Range): restarting from 0"), err());
        assertEquals(String.valueOf(SIZE + 1000), metrics().get("bytes"));
        assertEquals(String.valueOf(recorder.pausedAt + SIZE + 1000), metrics().get("received_bytes"));
    }

    @Test
    void pausedRangeResumesInsideTheRange() throws IOException {
        FetchRecorder recorder = FetchRecorder.pauseThenPlay(stdin, PAUSE_AT, () -> { });

        assertEquals(0, fetchInteractive(recorder, "--range", "1000-1999999"), err());

        byte[] expected = Arrays.copyOfRange(Files.readAllBytes(source), 1000, 2_000_000);
        assertTrue(Arrays.equals(expected, Files.readAllBytes(target)), "range differs");
        List<String> heads = relay.requestHeads();
        assertEquals("bytes=1000-1999999", RecordingRelay.header(heads.get(0), "Range"));
        assertEquals("bytes=" + (1000 + recorder.pausedAt) + "-1999999", RecordingRelay.header(heads.get(1), "Range"));
    }

    @Test
    void endOfCommandsWhilePausedStops() throws IOException {
        FetchRecorder recorder = FetchRecorder.pauseThenPlay(stdin, PAUSE_AT, stdin::end); // the "p" comes too late

        assertEquals(0, fetchInteractive(recorder), err());

        assertEquals("stopped", metrics().get("outcome"));
        assertEquals(recorder.pausedAt, Files.size(target));
        assertTrue(err().contains("no more commands while paused: stopping"), err());
    }

    @Test
    void unknownCommandIsReportedAndIgnored() throws IOException {
        stdin.send("x");

        assertEquals(0, fetchInteractive(new FetchRecorder()), err());

        assertTrue(err().contains("unknown command 'x': p play, t pause, q stop"), err());
        assertEquals(-1, Files.mismatch(source, target));
    }
}
