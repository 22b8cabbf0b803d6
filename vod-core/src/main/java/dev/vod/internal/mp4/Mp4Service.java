package dev.vod.internal.mp4;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.NonBlocking;
import dev.vod.internal.body.Representation;
import dev.vod.internal.body.SourceFile;
import java.nio.BufferUnderflowException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * MP4 pseudo-streaming: seeking ({@code ?start=&end=&exact=}), virtual faststart and bitrate for pacing, on
 * MP4/M4V/M4A/MOV files, as {@link Representation}s the HTTP layer serves like any other (Range, HEAD and
 * preconditions apply to them unchanged).
 *
 * <pre>
 * GET /movie.mp4?start=95.5&amp;end=120
 *   → 200, Content-Type: video/mp4, ETag: "65f1a2b3-1013ed-s95.5-e120"
 *     ftyp + moov (rewritten) + mdat header, then file slices of the samples from the key frame at or before
 *     95.5 s to 120 s; the output timeline starts at 0.
 * </pre>
 *
 * <p>Status codes (all as {@link HttpProblem}): 400 bad parameter; 416 start at or after the end of the media;
 * 422 "Unprocessable media: ..." for malformed, truncated or hostile files; 500 when the moov exceeds
 * {@code maxMoovBytes}. A file that is not MP4 at all (no plausible first box, or no moov) is not an error: seek
 * returns the plain file and {@link #faststart} returns empty, so the caller serves it as is.
 *
 * <p>Parsing reads only box headers and the moov (positional reads, never the media data), and parsed indexes
 * are cached per {@link SourceFile}. Thread-safe.
 */
public final class Mp4Service {
    /** Default memory budget of the index cache. */
    public static final long DEFAULT_CACHE_BYTES = 256L * 1024 * 1024;

    private static final Pattern SECONDS = Pattern.compile("\\d{1,12}(\\.\\d{0,9})?|\\.\\d{1,9}");

    private final long maxMoovBytes;
    private final Mp4Cache cache;
    private final SeekHeaderCache headers;
    private final AtomicInteger parseCount = new AtomicInteger();

    /**
     * @param maxMoovBytes largest moov box parsed (bigger ones answer 500)
     * @param cacheEntries how many parsed indexes to keep, 0 for none
     */
    public Mp4Service(long maxMoovBytes, int cacheEntries) {
        this(maxMoovBytes, cacheEntries, DEFAULT_CACHE_BYTES);
    }

    /** As {@link #Mp4Service(long, int)}, with the cache's memory budget in bytes. */
    public Mp4Service(long maxMoovBytes, int cacheEntries, long cacheBytes) {
        this(maxMoovBytes, cacheEntries, cacheBytes, SeekHeaderCache.DEFAULT_BYTES);
    }

    /**
     * As {@link #Mp4Service(long, int, long)}, with the budget of the cache of recent seek outputs (generated
     * headers, keyed by file and the key frame a start snaps to; 16 MiB by default). Both caches are off when
     * {@code cacheEntries} is 0.
     */
    public Mp4Service(long maxMoovBytes, int cacheEntries, long cacheBytes, long seekCacheBytes) {
        if (maxMoovBytes <= 0) {
            throw new IllegalArgumentException("maxMoovBytes must be positive");
        }
        this.maxMoovBytes = maxMoovBytes;
        this.cache = new Mp4Cache(cacheEntries, cacheBytes);
        this.headers = new SeekHeaderCache(cacheEntries == 0 ? 0 : seekCacheBytes);
    }

    /**
     * Reads {@code start}, {@code end} and {@code exact} from decoded query parameters; empty when neither start
     * nor end is present. Seconds are decimal ({@code 95}, {@code 95.5}, {@code .5}), rounded to milliseconds.
     *
     * @throws HttpProblem 400 on a malformed, negative, non-finite or repeated value
     */
    public static Optional<SeekRequest> seekRequest(Map<String, List<String>> queryParams) {
        String start = single(queryParams, "start");
        String end = single(queryParams, "end");
        if (start == null && end == null) {
            return Optional.empty();
        }
        String exact = single(queryParams, "exact");
        return Optional.of(new SeekRequest(seconds("start", start), seconds("end", end), flag("exact", exact)));
    }

    /**
     * The seek output of {@code file}: a rewritten MP4 starting at the key frame at or before the start (or at
     * the exact start), or the plain file when it is not an MP4.
     *
     * @throws HttpProblem 416, 422 or 500 as described on this class
     */
    public Representation seek(SourceFile file, String contentType, SeekRequest request) {
        Mp4Index index = index(file);
        if (index instanceof Mp4Index.NotMp4) {
            return Representation.ofFile(file, contentType);
        }
        if (index instanceof Mp4Index.Broken broken) {
            throw broken.problem();
        }
        try {
            return SeekOutput.build(file, contentType, (Mp4Index.Parsed) index, request, headers);
        } catch (IndexOutOfBoundsException | ArithmeticException | BufferUnderflowException e) {
            // Parsing validated the tables; this is a safety net so odd data still ends as a clean answer.
            throw Mp4Problems.malformed("inconsistent sample tables (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The virtual faststart layout of a file whose moov follows its media data; empty when the file is already
     * faststart, fragmented, not MP4, or cannot be processed (then serving it plainly is the right fallback).
     */
    public Optional<Representation> faststart(SourceFile file, String contentType) {
        if (index(file) instanceof Mp4Index.Parsed parsed) {
            return Faststart.build(file, contentType, parsed);
        }
        return Optional.empty();
    }

    /** Average bitrate in bits per second (media bytes over duration), for pacing; empty when unknown. */
    public OptionalLong averageBitrate(SourceFile file) {
        if (!(index(file) instanceof Mp4Index.Parsed parsed)) {
            return OptionalLong.empty();
        }
        double seconds;
        double bytes;
        if (parsed.fragmented()) {
            FragmentIndex f = parsed.fragments();
            seconds = f.endTime() > 0 ? Timescales.seconds(f.endTime() - f.time(0), f.timescale()) : 0;
            bytes = f.end(f.size() - 1) - f.offset(0);
        } else {
            seconds = Timescales.seconds(parsed.movie().presentationEnd(), parsed.movie().timescale());
            bytes = parsed.movie().totalSampleBytes();
        }
        return seconds > 0 ? OptionalLong.of(Math.round(bytes * 8 / seconds)) : OptionalLong.empty();
    }

    /**
     * {@code file} as tracks of samples, for packaging (HLS, DASH, a virtual fragmented MP4). A fragmented file
     * has its moof boxes read here (not media data); callers should cache the result.
     *
     * @throws HttpProblem 404 when the file is not an MP4; 422 or 500 as for {@link #seek} (a fragmented file
     *                     holding more samples than a moov of {@code maxMoovBytes} could describe: 500)
     */
    public Mp4Media media(SourceFile file) {
        Mp4Index index = index(file);
        if (index instanceof Mp4Index.NotMp4) {
            throw new HttpProblem(404, "not an MP4 file");
        }
        if (index instanceof Mp4Index.Broken broken) {
            throw broken.problem();
        }
        Mp4Index.Parsed parsed = (Mp4Index.Parsed) index;
        try (java.nio.channels.FileChannel channel = parsed.fragmented()
                ? java.nio.channels.FileChannel.open(file.path(), java.nio.file.StandardOpenOption.READ) : null) {
            return Mp4Media.of(file, parsed, channel, maxMoovBytes);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new HttpProblem(500, "cannot read MP4 file");
        } catch (IndexOutOfBoundsException | ArithmeticException | IllegalArgumentException
                 | BufferUnderflowException e) {
            throw Mp4Problems.malformed("inconsistent boxes (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Whether {@code file} is an MP4 this service can work on (parsed, not broken). */
    public boolean isMp4(SourceFile file) {
        return index(file) instanceof Mp4Index.Parsed;
    }

    /** The cache of recent seek outputs, for tests. */
    SeekHeaderCache seekHeaders() {
        return headers;
    }

    /** How many times a file was parsed (cache misses), for tests. */
    int parseCount() {
        return parseCount.get();
    }

    Mp4Index index(SourceFile file) {
        if (NonBlocking.active()) {
            // Parsing reads the file, from a store perhaps, and may take milliseconds of CPU: not in an attempt.
            Mp4Index cached = cache.peek(file);
            if (cached == null) {
                throw NonBlocking.wouldBlock();
            }
            return cached;
        }
        return cache.get(file, f -> {
            parseCount.incrementAndGet();
            return Mp4Index.read(f, maxMoovBytes);
        });
    }

    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw HttpProblem.badRequest(name + " given more than once");
        }
        return values.get(0);
    }

    private static double seconds(String name, String value) {
        if (value == null) {
            return Double.NaN;
        }
        if (!SECONDS.matcher(value).matches()) {
            throw HttpProblem.badRequest(name + " must be a non-negative number of seconds, e.g. 95.5: got '"
                    + abbreviate(value) + "'");
        }
        return Double.parseDouble(value);
    }

    private static boolean flag(String name, String value) {
        if (value == null) {
            return false;
        }
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "", "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> throw HttpProblem.badRequest(name + " must be true or false: got '" + abbreviate(value) + "'");
        };
    }

    private static String abbreviate(String value) {
        String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 32 ? printable : printable.substring(0, 32) + "...";
    }
}
