package dev.vod.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One download by {@code vod-server fetch}: sends the requests, copies each body to the output at the paced rate,
 * and closes the connection on pause. Play after a pause resumes where the output ends:
 *
 * <pre>
 * GET /big.mp4 HTTP/1.1                        HTTP/1.1 200 OK
 *                                               ETag: "18c2f-400000"      (kept as the validator)
 *   ... pause at 1 MiB: connection closed ...
 * GET /big.mp4 HTTP/1.1                        HTTP/1.1 206 Partial Content
 * Range: bytes=1048576-                         Content-Range: bytes 1048576-4194303/4194304
 * If-Range: "18c2f-400000"
 * </pre>
 *
 * <p>If-Range carries the strong ETag of the first response, or its Last-Modified when there is no strong ETag
 * (RFC 9110 §13.1.5 forbids weak ones). A 200 to the resume means the file changed: the output starts over from 0.
 * Without any validator a resume would risk splicing two versions of the file, so the download starts over.
 * A 206 that ends before the wanted range does (a server capping responses, like vod's {@code --max-chunk}) is
 * followed by a request for the rest, the same way.
 *
 * <p>Not thread-safe; {@link #run()} once.
 */
final class Download {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final int BUFFER_SIZE = 64 * 1024;

    /** What one request/response exchange ended with. */
    private enum Step { DONE, MORE, PAUSED, STOPPED }

    private final HttpClient client;
    private final URI uri;
    private final ReadPacer pacer;
    private final FetchOutput output;
    private final PlayControls controls;
    private final FetchListener listener;
    private final byte[] buffer = new byte[BUFFER_SIZE];

    private FetchRange range; // null: the whole resource, also once a server has ignored --range
    private long written;
    private long received;
    private long wantedLength = -1;
    private String validator;
    private int requests;
    private long startupNanos = -1;
    private long transferNanos;

    Download(HttpClient client, URI uri, FetchRange range, ReadPacer pacer, FetchOutput output,
             PlayControls controls, FetchListener listener) {
        this.client = client;
        this.uri = uri;
        this.range = range;
        this.pacer = pacer;
        this.output = output;
        this.controls = controls;
        this.listener = listener;
    }

    /** Downloads until complete or stopped; throws {@link FetchFailure} for network and HTTP errors. */
    FetchMetrics run() throws FetchFailure, InterruptedException {
        while (controls.awaitPlaying()) {
            Step step = exchange();
            if (step == Step.DONE) {
                return metrics("complete");
            }
            if (step == Step.STOPPED) {
                break;
            }
            if (step == Step.PAUSED) {
                listener.note("paused at byte " + written + ", connection closed");
                listener.paused(written);
            }
        }
        listener.note("stopped at byte " + written + ", partial output kept in " + output.describe());
        return metrics("stopped");
    }

    private FetchMetrics metrics(String outcome) {
        return new FetchMetrics(outcome, written, received, requests, Math.max(0, startupNanos), transferNanos);
    }

    private Step exchange() throws FetchFailure, InterruptedException {
        boolean resuming = written > 0;
        if (resuming && validator == null) {
            listener.note("no ETag or Last-Modified to resume safely: restarting from 0");
            startOver();
            resuming = false;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (resuming) {
            headers.put("Range", range == null ? "bytes=" + written + "-" : range.headerAfter(written));
            headers.put("If-Range", validator);
            listener.note("resuming at byte " + written + " with Range: " + headers.get("Range")
                    + " and If-Range: " + validator);
        } else if (range != null) {
            headers.put("Range", range.headerAfter(0));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("User-Agent", "vod-fetch");
        headers.forEach(request::header);

        int number = ++requests;
        listener.requestSent(number, headers);
        long started = System.nanoTime();
        pacer.restart();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new FetchFailure(describeSendFailure(e));
        }
        listener.responseReceived(number, response.statusCode());
        InputStream body = response.body();
        try {
            if (!acceptResponse(response, resuming)) {
                transferNanos += System.nanoTime() - started;
                return Step.MORE; // a changed file while a --range resumes: ask for the range afresh
            }
            try {
                output.open();
            } catch (IOException e) {
                throw new FetchFailure("cannot write " + output.describe() + ": " + messageOf(e));
            }
            return copyBody(body, started);
        } finally {
            closeQuietly(body); // before the whole body is read, this closes the connection: that is the pause
        }
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // the bytes that count are already written; a connection that fails to close has nothing to add
        }
    }

    /** Checks the status and headers; false when the body must be dropped and the range requested again. */
    private boolean acceptResponse(HttpResponse<InputStream> response, boolean resuming) throws FetchFailure {
        int status = response.statusCode();
        HttpHeaders headers = response.headers();
        if (status == 206) {
            long first = (range == null ? 0 : range.first()) + written;
            Matcher contentRange = CONTENT_RANGE.matcher(headers.firstValue("Content-Range").orElse(""));
            if (!contentRange.matches()) {
                throw new FetchFailure("206 from " + uri + " without a single 'Content-Range: bytes a-b/len'");
            }
            if (Long.parseLong(contentRange.group(1)) != first) {
                throw new FetchFailure("asked " + uri + " for byte " + first + " but it answered from byte "
                        + contentRange.group(1));
            }
            wantedLength = wantedLength(contentRange.group(3));
            if (validator == null) {
                validator = validatorOf(headers);
            }
            return true;
        }
        if (status != 200) {
            throw new FetchFailure("HTTP " + status + " from " + uri + errorDetail(response));
        }
        if (resuming) {
            listener.note("the file changed on the server (200 to If-Range): restarting from 0");
            startOver();
            if (range != null) {
                return false;
            }
        } else if (range != null) {
            listener.note("the server ignored the Range and sent the whole file");
            range = null;
        }
        validator = validatorOf(headers);
        wantedLength = headers.firstValueAsLong("Content-Length").orElse(-1);
        return true;
    }

    private long wantedLength(String completeLength) {
        if (completeLength.equals("*")) {
            return range == null ? -1 : range.length();
        }
        long end = Long.parseLong(completeLength) - 1;
        long first = range == null ? 0 : range.first();
        long last = range == null || range.last() == FetchRange.OPEN ? end : Math.min(range.last(), end);
        return last - first + 1;
    }

    private Step copyBody(InputStream body, long started) throws FetchFailure, InterruptedException {
        long fromThisResponse = 0;
        while (true) {
            int count;
            try {
                count = body.read(buffer, 0, pacer.chunkSize());
            } catch (IOException e) {
                transferNanos += System.nanoTime() - started;
                throw new FetchFailure("connection to " + uri.getHost() + " lost after " + written + " bytes: "
                        + messageOf(e));
            }
            long now = System.nanoTime();
            if (startupNanos < 0) {
                startupNanos = now - started;
            }
            if (count < 0) {
                transferNanos += now - started;
                break;
            }
            write(count);
            fromThisResponse += count;
            pacer.consumed(count);
            listener.progress(written, wantedLength);
            PlayControls.State state = controls.state();
            if (state != PlayControls.State.PLAYING) {
                transferNanos += System.nanoTime() - started;
                flush();
                return state == PlayControls.State.PAUSED ? Step.PAUSED : Step.STOPPED;
            }
        }
        flush();
        if (wantedLength >= 0 && written < wantedLength) {
            if (fromThisResponse == 0) {
                throw new FetchFailure(uri + " sent no bytes for the rest of the range, at byte " + written);
            }
            return Step.MORE;
        }
        return Step.DONE;
    }

    private void write(int count) throws FetchFailure {
        try {
            output.write(buffer, count);
        } catch (IOException e) {
            throw new FetchFailure("cannot write " + output.describe() + ": " + messageOf(e));
        }
        written += count;
        received += count;
    }

    private void flush() throws FetchFailure {
        try {
            output.flush();
        } catch (IOException e) {
            throw new FetchFailure("cannot write " + output.describe() + ": " + messageOf(e));
        }
    }

    private void startOver() throws FetchFailure {
        try {
            if (!output.restart()) {
                throw new FetchFailure("must restart from 0 but " + output.describe() + " cannot take back "
                        + written + " bytes");
            }
        } catch (IOException e) {
            throw new FetchFailure("cannot write " + output.describe() + ": " + messageOf(e));
        }
        written = 0;
        validator = null;
        wantedLength = -1;
    }

    /** The If-Range value for later requests: a strong ETag, else Last-Modified, else null. */
    static String validatorOf(HttpHeaders headers) {
        String etag = headers.firstValue("ETag").orElse(null);
        if (etag != null && etag.startsWith("\"")) {
            return etag;
        }
        return headers.firstValue("Last-Modified").orElse(null);
    }

    /** ": message" from a short text/plain error body, or "" when there is none worth showing. */
    private static String errorDetail(HttpResponse<InputStream> response) {
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain")) {
            return "";
        }
        try {
            String text = new String(response.body().readNBytes(512), StandardCharsets.UTF_8).strip();
            int newline = text.indexOf('\n');
            text = newline < 0 ? text : text.substring(0, newline).strip();
            return text.isEmpty() ? "" : ": " + text;
        } catch (IOException e) {
            return "";
        }
    }

    private String describeSendFailure(IOException e) {
        String where = uri.getHost() + ":" + port(uri);
        if (e instanceof HttpConnectTimeoutException) {
            return "timed out connecting to " + where;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return "cannot connect to " + where + ": unknown host";
            }
        }
        if (e instanceof ConnectException) {
            return "cannot connect to " + where + ": " + (e.getMessage() == null ? "connection refused" : messageOf(e));
        }
        return "request to " + uri + " failed: " + messageOf(e);
    }

    static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String messageOf(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }
}
