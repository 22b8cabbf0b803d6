package dev.vod.internal.http;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.NonBlocking;
import dev.vod.internal.body.Body;
import dev.vod.internal.body.Segment;
import dev.vod.internal.source.OriginFailure;
import dev.vod.internal.source.RemoteChannel;
import dev.vod.internal.throttle.TransferRate;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything about answering a request that happens before the first byte is written: the reply, the files its
 * body reads (opened, so a vanished file still gets a clean status), and the rate it is sent at. For local files
 * this runs on the event loop. For content from a store it is first tried on the event loop as a
 * {@link NonBlocking} attempt, which gives up (with {@link NonBlocking.WouldBlock}, thrown through here) as soon
 * as a step would wait on the store; then it runs on a worker thread, where each step may wait.
 */
final class ReplyPlanner {
    private static final Logger log = LoggerFactory.getLogger("vod.http");

    /** A reply ready to send. */
    record Plan(Reply reply, BodyWriter.OpenFiles files, TransferRate rate) {
        /** Gives back what the plan holds, for a plan that will not be sent. */
        void discard() {
            files.releaseAll();
        }
    }

    private final VodRuntime runtime;
    private final RequestProcessor processor;
    private final Endpoints endpoints;

    ReplyPlanner(VodRuntime runtime) {
        this.runtime = runtime;
        this.processor = runtime.requestProcessor();
        this.endpoints = runtime.endpoints();
    }

    /**
     * The plan for {@code request}; never throws.
     *
     * @param cache    open files kept between requests, or null to open them uncached (off the event loop)
     * @param executor the event loop whose shard of {@code cache} is used
     */
    Plan plan(HttpRequest request, OpenFileCache cache, EventExecutor executor) {
        Reply reply = decide(request);
        BodyWriter.OpenFiles files;
        try {
            files = BodyWriter.open(reply.sendBody() ? reply.body() : Body.empty(), cache, executor);
        } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
            // Deleted since it was resolved, or not readable by the server: either way, not served.
            return new Plan(Reply.error(404, "Not Found", false), new BodyWriter.OpenFiles(), TransferRate.NONE);
        } catch (IOException e) {
            log.debug("file changed while answering {}: {}", request.uri(), e.toString());
            Reply busy = Reply.error(503, "the file could not be opened; retry", false);
            busy.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            return new Plan(busy, new BodyWriter.OpenFiles(), TransferRate.NONE);
        } catch (OriginFailure e) {
            return new Plan(originError(request, e), new BodyWriter.OpenFiles(), TransferRate.NONE);
        }
        try {
            Body body = reply.sendBody() ? reply.body() : null;
            TransferRate rate = body == null || body.length() == 0 || !runtime.rateRules().active()
                    ? TransferRate.NONE : chooseRate(request, body);
            // Last: once the first slice is held, nothing may give a non-blocking attempt up (it would be
            // counted a hit again on the workers).
            if (reply.sendBody() && files.anyRemote()) {
                startFirstSlice(reply.body(), files);
            }
            return new Plan(reply, files, rate);
        } catch (OriginFailure e) {
            files.releaseAll();
            return new Plan(originError(request, e), new BodyWriter.OpenFiles(), TransferRate.NONE);
        } catch (NonBlocking.WouldBlock e) {
            files.releaseAll();
            throw e;
        }
    }

    /** A 503 for a request the workers had no room for. */
    static Plan busy() {
        Reply reply = Reply.error(503, "too many requests waiting for the content store; retry", false);
        reply.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        return new Plan(reply, new BodyWriter.OpenFiles(), TransferRate.NONE);
    }

    /**
     * Waits for the first bytes of the first store-backed slice the body starts with, so an unreachable store is
     * answered with a status rather than a response cut after its head.
     */
    private static void startFirstSlice(Body body, BodyWriter.OpenFiles files) {
        long before = 0;
        for (Segment s : body.segments()) {
            if (s instanceof Segment.FileSlice slice) {
                if (files.get(slice.file()).channel() instanceof RemoteChannel remote) {
                    remote.prefetch(slice.offset());
                }
                return;
            }
            before += s.length();
            if (before > 1 << 20) {
                return; // a large generated head (an MP4 seek's moov) goes first anyway
            }
        }
    }

    private static Reply originError(HttpRequest request, OriginFailure e) {
        OriginLog.failed(request.uri(), e);
        Reply reply = Reply.error(e.status(), e.getMessage(), false);
        if (e.status() == 503) {
            reply.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        return HttpMethod.HEAD.equals(request.method()) ? reply.withoutBody() : reply;
    }

    private TransferRate chooseRate(HttpRequest request, Body body) {
        String path;
        try {
            path = RequestTarget.parse(request.uri()).path();
        } catch (HttpProblem e) {
            path = request.uri();
        }
        HttpHeaders headers = request.headers();
        return runtime.rateRules().choose(request.method().name(), path, headers::get, () -> mediaBitrate(body));
    }

    /** Average bitrate of the MP4 file the body reads from, -1 when it reads from none. */
    private long mediaBitrate(Body body) {
        for (Segment s : body.segments()) {
            if (s instanceof Segment.FileSlice slice
                    && RequestProcessor.isMp4(slice.file().fileName())) {
                try {
                    return runtime.mp4().averageBitrate(slice.file()).orElse(-1);
                } catch (OriginFailure | NonBlocking.WouldBlock e) {
                    throw e;
                } catch (RuntimeException e) {
                    // A broken MP4 is still served (plain); it is just not paced by bitrate.
                    return -1;
                }
            }
        }
        return -1;
    }

    private Reply decide(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            return RequestProcessor.malformed(request);
        }
        Reply refused = RequestProcessor.checkRequest(request);
        if (refused != null) {
            return refused;
        }
        try {
            if (endpoints.any()) {
                String rawPath = RequestTarget.parse(request.uri()).path();
                if (endpoints.matches(rawPath)) {
                    return endpoints.reply(request, rawPath);
                }
            }
            RequestTarget target = RequestTarget.parse(request.uri()).under(runtime.config().mountPath());
            if (target == null) {
                // Outside the mount, and no handler after us to pass it to.
                Reply reply = Reply.error(404, "Not Found", false);
                return HttpMethod.HEAD.equals(request.method()) ? reply.withoutBody() : reply;
            }
            return processor.process(request, target);
        } catch (HttpProblem problem) {
            return Reply.error(problem.status(), problem.getMessage(), false);
        } catch (OriginFailure e) {
            return originError(request, e);
        } catch (NonBlocking.WouldBlock e) {
            throw e; // not an answer: the request is planned again where it may wait
        } catch (RuntimeException e) {
            log.error("unexpected error answering {} {}", request.method(), request.uri(), e);
            return Reply.error(500, "internal error", true);
        }
    }
}
