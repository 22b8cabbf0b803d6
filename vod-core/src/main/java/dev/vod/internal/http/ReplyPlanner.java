package dev.vod.internal.http;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.NonBlocking;
import dev.vod.internal.body.Body;
import dev.vod.internal.body.Segment;
import dev.vod.internal.source.OriginFailure;
import dev.vod.internal.source.RemoteChannel;
import dev.vod.internal.source.Slice;
import dev.vod.internal.throttle.TransferRate;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything about answering a request that happens before the first byte is written: the reply, the files its
 * body reads (opened, so a vanished file still gets a clean status), and the rate it is sent at. For local files
 * this runs on the event loop. For content from a store it is first tried on the event loop as a
 * {@link NonBlocking} attempt, which gives up (with {@link NonBlocking.WouldBlock}, thrown through here) as soon
 * as a step would wait on the store; then it runs on a worker thread, where each step may wait. One wait is left
 * to the event loop instead of giving up: the first bytes of the body's first slice, the last step, which
 * starts the fetch and returns a plan to send once they are in ({@link FirstBytes}).
 */
final class ReplyPlanner {
    private static final Logger log = LoggerFactory.getLogger("vod.http");

    /**
     * A reply ready to send, or (planned on an event loop, {@code firstBytes} not null) to send once the first
     * bytes of its first slice are in: see {@link #arrived}.
     */
    record Plan(Reply reply, BodyWriter.OpenFiles files, TransferRate rate, FirstBytes firstBytes) {
        Plan(Reply reply, BodyWriter.OpenFiles files, TransferRate rate) {
            this(reply, files, rate, null);
        }

        /** Gives back what the plan holds, for a plan that will not be sent. */
        void discard() {
            files.releaseAll();
        }
    }

    /**
     * The byte at {@code at} of the object {@code channel} reads, not yet in {@code slice} (held by the channel):
     * the head may be written once it is, so that a store that cannot give it is still answered with a status.
     */
    record FirstBytes(RemoteChannel channel, Slice slice, long at) {
        /**
         * Runs {@code then} on {@code executor} once, when the byte is there or the fetch failed, or after
         * {@link RemoteChannel#LONGEST_WAIT_SECONDS} (a stuck fetch), whichever comes first.
         */
        void whenArrived(EventExecutor executor, Runnable then) {
            boolean[] ran = new boolean[1]; // only ever touched on executor
            Runnable once = () -> {
                if (!ran[0]) {
                    ran[0] = true;
                    then.run();
                }
            };
            Future<?> stuck = executor.schedule(once, RemoteChannel.LONGEST_WAIT_SECONDS, TimeUnit.SECONDS);
            slice.whenAvailable((int) (at - slice.offset()) + 1, () -> executor.execute(() -> {
                stuck.cancel(false);
                once.run();
            }));
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
            // Last: once the first slice is held (or its fetch started), nothing may give a non-blocking attempt
            // up (the slice would be counted again on the workers, a fetch cancelled and started again).
            FirstBytes pending = reply.sendBody() && files.anyRemote() ? startFirstSlice(reply.body(), files) : null;
            return new Plan(reply, files, rate, pending);
        } catch (OriginFailure e) {
            files.releaseAll();
            return new Plan(originError(request, e), new BodyWriter.OpenFiles(), TransferRate.NONE);
        } catch (NonBlocking.WouldBlock e) {
            files.releaseAll();
            throw e;
        }
    }

    /**
     * The plan to send once the first bytes {@code plan} waited for arrived: itself, or when the store failed to
     * give them, its failure's answer (502, 504, 503 or 404, as from a worker).
     */
    Plan arrived(HttpRequest request, Plan plan) {
        FirstBytes first = plan.firstBytes();
        OriginFailure failed = first.channel().prefetchFailure(first.slice(), first.at());
        if (failed == null) {
            return new Plan(plan.reply(), plan.files(), plan.rate());
        }
        plan.files().releaseAll();
        return new Plan(originError(request, failed), new BodyWriter.OpenFiles(), TransferRate.NONE);
    }

    /** A 503 for a request the workers had no room for. */
    static Plan busy() {
        Reply reply = Reply.error(503, "too many requests waiting for the content store; retry", false);
        reply.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        return new Plan(reply, new BodyWriter.OpenFiles(), TransferRate.NONE);
    }

    /**
     * Starts the first store-backed slice the body starts with and, on a worker, waits for its first bytes, so an
     * unreachable store is answered with a status rather than a response cut after its head. On an event loop
     * ({@link NonBlocking} attempt) it does not wait: what is still to arrive is returned, for the caller to wait
     * on without blocking.
     */
    private static FirstBytes startFirstSlice(Body body, BodyWriter.OpenFiles files) {
        long before = 0;
        for (Segment s : body.segments()) {
            if (s instanceof Segment.FileSlice slice) {
                if (files.get(slice.file()).channel() instanceof RemoteChannel remote) {
                    if (!NonBlocking.active()) {
                        remote.prefetch(slice.offset());
                        return null;
                    }
                    Slice arriving = remote.startPrefetch(slice.offset());
                    return arriving == null ? null : new FirstBytes(remote, arriving, slice.offset());
                }
                return null;
            }
            before += s.length();
            if (before > 1 << 20) {
                return null; // a large generated head (an MP4 seek's moov) goes first anyway
            }
        }
        return null;
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
