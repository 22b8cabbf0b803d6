package dev.vod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vod.testing.ExternalTool;
import dev.vod.testing.Fixtures;
import dev.vod.testing.Http;
import dev.vod.testing.M3u8;
import dev.vod.testing.Mp4Boxes;
import dev.vod.testing.ServerExtension;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A client written to the seed description of {@code manifest.txt}, and nothing else: it reads the manifest, fetches
 * every segment of every track with a Range request for exactly its offset and length, concatenates them, and
 * pipes the result into ffmpeg, as a proxy that feeds a player would. The server must answer each piece 206 with
 * exactly those bytes, and the pieces must make the whole virtual fragmented MP4, which ffmpeg plays from a pipe.
 * The ffmpeg checks are skipped when ffmpeg is not installed.
 *
 * <pre>
 * title name
 * number of tracks
 * then per track, lowest bitrate first:
 *   file name, relative to the title folder
 *   MIME type with codecs
 *   average bit rate, bits per second
 *   segment duration, milliseconds
 *   number of segments N
 *   N lines "offset length": the init segment (ftyp + moov), then each moof + mdat fragment; contiguous
 * </pre>
 */
@Tag("clients")
class SeedProxyClientTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern MIME = Pattern.compile("video/mp4; codecs=\"avc1\\.[0-9a-f]{6}, mp4a\\.40\\.2\"");

    /** One track of a seed manifest: its pieces as {offset, length}. */
    record Track(String file, String mime, long bitrate, long segmentMillis, List<long[]> pieces) {
    }

    record Manifest(String title, List<Track> tracks) {
        /** Parses the seed format strictly: plain decimal integers, nothing left over. */
        static Manifest parse(String text) {
            Iterator<String> lines = text.lines().iterator();
            String title = lines.next();
            int count = Integer.parseInt(lines.next());
            List<Track> tracks = new ArrayList<>();
            for (int t = 0; t < count; t++) {
                String file = lines.next();
                String mime = lines.next();
                long bitrate = Long.parseLong(lines.next());
                long millis = Long.parseLong(lines.next());
                int n = Integer.parseInt(lines.next());
                List<long[]> pieces = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String line = lines.next();
                    assertTrue(line.matches("\\d+ \\d+"), "not \"<offset> <length>\": " + line);
                    String[] parts = line.split(" ");
                    pieces.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
                }
                tracks.add(new Track(file, mime, bitrate, millis, pieces));
            }
            if (lines.hasNext()) {
                throw new AssertionError("a line after the last track: " + lines.next());
            }
            return new Manifest(title, tracks);
        }
    }

    @BeforeAll
    static void addTitles() {
        Fixtures.createTitles(server.root());
    }

    @AfterAll
    static void removeRoot() {
        Fixtures.delete(server.root());
    }

    /** {@code BASE/title/}: the folder the manifest's file names are relative to. */
    private static String folder(String title) {
        return server.url("/" + title + "/");
    }

    private static Manifest manifest(String title) {
        HttpResponse<byte[]> r = Http.get(folder(title) + "manifest.txt");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; charset=utf-8", Http.header(r, "Content-Type"));
        return Manifest.parse(Http.text(r));
    }

    /** Fetches every piece of {@code track} by Range, checks each answer, and returns their concatenation. */
    private static byte[] fetchByRanges(String title, Track track) {
        String url = folder(title) + track.file();
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        String etag = null;
        // The whole resource: the virtual file's pieces cover it; a fragmented source listed itself may end with
        // an index (mfra) after its last fragment.
        long total = Long.parseLong(Http.header(Http.head(url), "Content-Length"));
        for (int i = 0; i < track.pieces().size(); i++) {
            long offset = track.pieces().get(i)[0];
            long length = track.pieces().get(i)[1];
            long last = offset + length - 1;
            HttpResponse<byte[]> r = Http.get(url, "Range", "bytes=" + offset + "-" + last);
            assertEquals(206, r.statusCode(), url + " piece " + i);
            assertEquals(length, r.body().length, url + " piece " + i);
            assertEquals("bytes " + offset + "-" + last + "/" + total, Http.header(r, "Content-Range"),
                    url + " piece " + i);
            assertTrue(etag == null || etag.equals(Http.header(r, "ETag")), "one resource, one ETag");
            etag = Http.header(r, "ETag");
            List<String> boxes = Mp4Boxes.types(r.body());
            assertEquals(i == 0 ? List.of("ftyp", "moov") : List.of("moof", "mdat"), boxes, url + " piece " + i);
            joined.writeBytes(r.body());
        }
        return joined.toByteArray();
    }

    @ParameterizedTest
    @CsvSource({"sample-title, 3", "sample.mp4, 1", "sample-moov-at-end.mp4, 1", "sample-fragmented.mp4, 1"})
    void theManifestFollowsTheSeedFormat(String title, int tracks) {
        Manifest m = manifest(title);
        assertEquals(title, m.title());
        assertEquals(tracks, m.tracks().size());
        long previousBitrate = 0;
        for (Track t : m.tracks()) {
            assertTrue(t.bitrate() > previousBitrate, "lowest bitrate first: " + t.bitrate());
            previousBitrate = t.bitrate();
            assertTrue(MIME.matcher(t.mime()).matches(), t.mime());
            assertEquals(6000, t.segmentMillis());
            boolean virtual = t.file().endsWith("fragmented.mp4");
            String media = folder(title) + (virtual ? t.file().replaceFirst("fragmented\\.mp4$", "index.m3u8")
                    : t.file().startsWith("../") ? "index.m3u8" : t.file() + "/index.m3u8");
            int segments = M3u8.parse(Http.text(media)).durations().size();
            assertEquals(segments + 1, t.pieces().size(), "init + one piece per segment of " + media);
            long expected = 0;
            for (long[] piece : t.pieces()) {
                assertEquals(expected, piece[0], "pieces must be contiguous from 0");
                assertTrue(piece[1] > 0);
                expected = piece[0] + piece[1];
            }
            HttpResponse<byte[]> head = Http.head(folder(title) + t.file());
            assertEquals(200, head.statusCode(), t.file());
            long length = Long.parseLong(Http.header(head, "Content-Length"));
            if (virtual) {
                assertEquals(expected, length, "the pieces cover the file");
            } else {
                byte[] tail = Http.get(folder(title) + t.file(), "Range", "bytes=" + expected + "-").body();
                assertEquals(length - expected, tail.length);
                assertTrue(tail.length == 0 || Mp4Boxes.types(tail).equals(List.of("mfra")),
                        "after the last fragment of a source file only its index may follow: " + Mp4Boxes.types(tail));
            }
            assertEquals(expected * 8 / 12.0, t.bitrate(), expected * 8 / 12.0 * 0.02, "average bit rate");
        }
        assertEquals(1, m.tracks().stream().map(t -> t.pieces().size()).distinct().count(),
                "aligned renditions have the same number of segments");
    }

    @ParameterizedTest
    @CsvSource({"sample-title", "sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4"})
    void thePiecesFetchedByRangeAreTheWholeVirtualFile(String title) {
        for (Track t : manifest(title).tracks()) {
            HttpResponse<byte[]> whole = Http.get(folder(title) + t.file());
            assertEquals(200, whole.statusCode());
            byte[] pieces = fetchByRanges(title, t);
            assertArrayEquals(java.util.Arrays.copyOf(whole.body(), pieces.length), pieces, t.file());
        }
    }

    private static Path tool(String name) {
        Path p = ExternalTool.find(name);
        assumeTrue(p != null, name + " is not installed");
        return p;
    }

    @ParameterizedTest
    @CsvSource({"sample-title", "sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4"})
    void ffmpegDecodesTheConcatenationFromAPipe(String title) {
        Path ffmpeg = tool("ffmpeg");
        Path ffprobe = tool("ffprobe");
        for (Track t : manifest(title).tracks()) {
            byte[] stream = fetchByRanges(title, t);
            ExternalTool.Result decoded = ExternalTool.run(TIMEOUT, stream,
                    List.of(ffmpeg.toString(), "-v", "error", "-i", "pipe:0", "-f", "null", "-"));
            assertEquals(0, decoded.exitCode(), t.file() + ": " + decoded);
            assertEquals("", decoded.stderr(), "ffmpeg complained about " + t.file());
            // What was decoded: the video packets from the first to the end of the last.
            ExternalTool.Result packets = ExternalTool.run(TIMEOUT, stream, List.of(ffprobe.toString(), "-v", "error",
                    "-select_streams", "v", "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0",
                    "-i", "pipe:0"));
            assertEquals(0, packets.exitCode(), packets.toString());
            double first = Double.MAX_VALUE;
            double end = 0;
            for (String line : packets.out().lines().toList()) {
                String[] f = line.split(",");
                first = Math.min(first, Double.parseDouble(f[0]));
                end = Math.max(end, Double.parseDouble(f[0]) + Double.parseDouble(f[1]));
            }
            assertEquals(12.0, end - first, 0.04, "seconds of video decoded from " + t.file());
        }
    }

    @ParameterizedTest
    @CsvSource({"sample-title", "sample.mp4", "sample-moov-at-end.mp4", "sample-fragmented.mp4"})
    void ffprobeReadingThePipeSeesTheTitlesDuration(String title) {
        Path ffprobe = tool("ffprobe");
        for (Track t : manifest(title).tracks()) {
            ExternalTool.Result r = ExternalTool.run(TIMEOUT, fetchByRanges(title, t), List.of(ffprobe.toString(),
                    "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", "-i", "pipe:0"));
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("", r.stderr());
            // 12 s of video; the audio of sample-fragmented.mp4 runs to 12.08 s.
            assertEquals(12.0, Double.parseDouble(r.out().strip()), 0.1, "duration ffprobe announces for " + t.file());
        }
    }
}
