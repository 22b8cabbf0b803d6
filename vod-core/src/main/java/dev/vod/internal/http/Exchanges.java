package dev.vod.internal.http;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.NonBlocking;
import dev.vod.internal.body.Body;
import dev.vod.internal.throttle.GlobalBandwidth;
import dev.vod.internal.throttle.NanoClock;
import dev.vod.internal.throttle.ResponseRate;
import dev.vod.internal.throttle.TransferRate;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import dev.vod.internal.source.RemoteContent;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request/response exchanges of one connection, in order.
 *
 * <p>HTTP/1.1 pipelining means the decoder may hand us request 2 while response 1 is still being sent. Requests
 * are queued and answered one at a time; reading pauses while the queue is long, so a client cannot grow it
 * without bound. Requests outside the mount path, with their bodies, are passed to the next handler — in turn
 * ({@link PassThrough}): after the responses before them are written, and the next vod response waits until the
 * application has written its answer ({@link #outboundWritten}). Without a next handler they are answered 404.
 * Request bodies sent to us are read and dropped (GET and HEAD carry none of meaning).
 *
 * <p>All methods run on the channel's event loop.
 */
public final class Exchanges {
    private static final Logger log = LoggerFactory.getLogger("vod.http");
    private static final int MAX_QUEUED = 16;
    /**
     * Most requests a client may have unanswered. Reading pauses at {@link #MAX_QUEUED}, but one read can carry
     * thousands of tiny pipelined requests; past this many the rest are dropped and the connection is closed once
     * those before are answered (Netty's {@code HttpServerCodec} keeps the same limit).
     */
    private static final int MAX_PIPELINE_DEPTH = 128;

    private final VodRuntime runtime;
    private final ReplyPlanner planner;
    private final AccessLog accessLog;
    private final Endpoints endpoints;
    /** Requests in arrival order: an {@link HttpRequest} for us or a {@link PassThrough} for the next handler. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>(4);
    private boolean writing;
    /** The pass-through request whose body is still arriving, or null. */
    private PassThrough passing;
    /** A request was passed on and the next handler has not yet written the end of its response. */
    private boolean appResponding;
    /** A request body could not be decoded (bad chunk): close once the requests before it are answered. */
    private boolean framingLost;
    private boolean closing;
    /** Past {@link #MAX_PIPELINE_DEPTH}: no further request is taken. */
    private boolean refusing;
    private HeaderTimeoutHandler headerTimeout;
    /** vod's own encoder, when vod installed the pipeline: responses then go out pre-encoded. */
    private ResponseEncoder encoder;
    /** The client's address for the access log, formatted once per connection; null until first needed. */
    private AccessLog.Remote remote;

    private static final String LIVE_PREFIX = "/live/";

    public Exchanges(VodRuntime runtime) {
        this.runtime = runtime;
        // Stateless, shared by every connection: an idle connection costs only its own small state.
        this.planner = runtime.planner();
        this.accessLog = runtime.accessLog();
        this.endpoints = runtime.endpoints();
    }

    public void handlerAdded(ChannelHandlerContext ctx) {
        // An application's pipeline may have none: a detached one then takes the calls and times nothing.
        HeaderTimeoutHandler installed = ctx.pipeline().get(HeaderTimeoutHandler.class);
        headerTimeout = installed != null ? installed : new HeaderTimeoutHandler(0);
        encoder = ctx.pipeline().get(ResponseEncoder.class);
    }

    public void read(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            headerTimeout.headersReceived();
            if (!request.decoderResult().isFailure() && isOutsideMount(request) && hasHandlerAfter(ctx)) {
                PassThrough pass = new PassThrough(request);
                passing = pass.complete() ? null : pass;
                headerTimeout.receivingBody(passing != null);
                enqueue(ctx, pass);
                return;
            }
            passing = null;
            // A full request object (the decoder's error form) carries content we will not read.
            ReferenceCountUtil.release(msg);
            enqueue(ctx, request);
        } else if (msg instanceof HttpContent content && passing != null) {
            PassThrough pass = passing;
            if (content instanceof LastHttpContent) {
                passing = null;
                headerTimeout.receivingBody(false);
            }
            framingLost |= content.decoderResult().isFailure();
            pass.add(ctx, content);
        } else if (msg instanceof HttpContent content) {
            // The decoder ignores everything after a body it cannot frame, so no further request will come.
            framingLost |= content.decoderResult().isFailure();
            ReferenceCountUtil.release(msg);
            closeIfFramingLost(ctx);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private boolean isOutsideMount(HttpRequest request) {
        String mount = runtime.config().mountPath();
        if (runtime.live() != null && request.uri().startsWith(LIVE_PREFIX)) {
            return true; // live channels: answered by the live handler after this one, in turn
        }
        if (mount.length() == 1) {
            return false;
        }
        try {
            RequestTarget target = RequestTarget.parse(request.uri());
            if (endpoints.any() && endpoints.matches(target.path())) {
                return false;
            }
            return target.under(mount) == null;
        } catch (HttpProblem e) {
            return true;
        }
    }

    /** Whether someone after us can answer requests outside the mount; if not (vod serves the port), we do: 404. */
    private static boolean hasHandlerAfter(ChannelHandlerContext ctx) {
        return ctx.pipeline().last() != ctx.handler();
    }

    private void enqueue(ChannelHandlerContext ctx, Object request) {
        if (!refusing && queue.size() >= MAX_PIPELINE_DEPTH) {
            // Answer those before, then close: this request and every one after it are dropped unanswered.
            log.debug("closing {}: more than {} unanswered requests", ctx.channel().remoteAddress(),
                    MAX_PIPELINE_DEPTH);
            framingLost = true;
            refusing = true;
        }
        if (closing || refusing) {
            if (request instanceof PassThrough pass) {
                pass.release();
                if (passing == pass) {
                    passing = null;
                }
            }
            return;
        }
        queue.add(request);
        startNext(ctx);
        // Decided after the request had its chance to start: a request passed on at once (every live viewer's)
        // must not turn reading off and on again, two epoll_ctl calls each.
        if (queue.size() >= MAX_QUEUED || (passing != null && passing.waitingForBody())) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void startNext(ChannelHandlerContext ctx) {
        while (!writing && !appResponding && !closing && !queue.isEmpty()) {
            Object next = queue.poll();
            if (next instanceof PassThrough pass) {
                appResponding = true;
                if (encoder != null) {
                    encoder.answering(pass.method());
                }
                pass.forward(ctx);
            } else {
                respond(ctx, (HttpRequest) next);
            }
            // Once refusing, nothing more will be answered: leave the rest of the input unread until the close.
            if (!refusing && queue.size() < MAX_QUEUED / 2 && (passing == null || !passing.waitingForBody())
                    && !ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
        closeIfFramingLost(ctx);
    }

    private void closeIfFramingLost(ChannelHandlerContext ctx) {
        if (framingLost && !writing && !appResponding && queue.isEmpty()) {
            LingeringClose.close(ctx.channel());
        }
    }

    /**
     * Called for every message the handlers after us write: when it ends the application's response to a passed-on
     * request, our next response may go.
     */
    public void outboundWritten(ChannelHandlerContext ctx, boolean endOfResponse) {
        if (appResponding && endOfResponse) {
            appResponding = false;
            startNext(ctx);
        }
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest request) {
        RemoteContent remote = runtime.remote();
        if (remote == null) {
            send(ctx, request, planner.plan(request, runtime.openFiles(), ctx.executor()));
            return;
        }
        // Content from a store: a reply that needs no answer from the store (its catalog entries are fresh, its
        // MP4 index parsed) is planned here, as for local files, with no thread hop; sent at once when its first
        // slice is on disk, else once the slice's first bytes are in. Any other gives the attempt up at its
        // first wait, having started nothing, and is planned again on the workers, where lookups may wait on the
        // store, then sent from here. The queue waits meanwhile, as for a response being written.
        ReplyPlanner.Plan planned = NonBlocking.attempt(() -> planner.plan(request, null, null),
                ReplyPlanner.Plan::discard);
        if (planned != null && planned.firstBytes() == null) {
            send(ctx, request, planned);
            return;
        }
        writing = true;
        headerTimeout.responding(true); // a pipelined head arriving meanwhile must not get a 408 over this reply
        if (planned != null) {
            planned.firstBytes().whenArrived(ctx.executor(),
                    () -> send(ctx, request, planner.arrived(request, planned)));
            return;
        }
        try {
            remote.workers().execute(() -> {
                ReplyPlanner.Plan plan = planner.plan(request, null, null);
                ctx.executor().execute(() -> send(ctx, request, plan));
            });
        } catch (RejectedExecutionException e) {
            send(ctx, request, ReplyPlanner.busy());
        }
    }

    private void send(ChannelHandlerContext ctx, HttpRequest request, ReplyPlanner.Plan plan) {
        if (!ctx.channel().isActive()) {
            // Closed while the reply was planned off the event loop.
            plan.files().releaseAll();
            writing = false;
            headerTimeout.responding(false);
            return;
        }
        Reply reply = plan.reply();
        boolean keepAlive = !reply.close() && HttpUtil.isKeepAlive(request);

        writing = true;
        closing = !keepAlive;
        runtime.activeResponses().increment();
        headerTimeout.responding(true);
        TransferStats stats = new TransferStats(runtime.metrics());
        ChannelFuture done = write(ctx, request, reply, keepAlive, reply.sendBody() ? reply.body() : null,
                plan.files(), plan.rate(), stats);
        done.addListener(f -> {
            runtime.activeResponses().decrement();
            writing = false;
            headerTimeout.responding(false);
            long now = System.nanoTime();
            runtime.metrics().responded(reply.status().code(),
                    (stats.firstByteNanos < 0 ? now : stats.firstByteNanos) - stats.startNanos,
                    now - stats.startNanos, !f.isSuccess());
            if (stats.rate.limited()) {
                runtime.metrics().pacedRateChanged(-stats.rate.bytesPerSecond());
            }
            if (accessLog.on()) {
                if (remote == null) {
                    remote = AccessLog.Remote.of(ctx.channel().remoteAddress());
                }
                accessLog.log(remote.host(), remote.port(), request, reply.status().code(), stats,
                        !f.isSuccess());
            }
            if (!f.isSuccess()) {
                ctx.close();
            } else if (!keepAlive) {
                LingeringClose.close(ctx.channel());
            } else {
                startNext(ctx);
            }
        });
    }

    /**
     * The unthrottled path (everything queued at once) unless a per-response rate or the global cap applies to
     * this body, or it reads from a content store; then the paced writer, which keeps file bytes zero-copy and
     * sends a store's slices as they arrive.
     */
    private ChannelFuture write(ChannelHandlerContext ctx, HttpRequest request, Reply reply, boolean keepAlive,
                                Body body, BodyWriter.OpenFiles files, TransferRate rate, TransferStats stats) {
        GlobalBandwidth global = runtime.globalBandwidth();
        boolean fromStore = body != null && files.anyRemote();
        if (body == null || body.length() == 0 || (!rate.limited() && global == null && !fromStore)) {
            return BodyWriter.write(ctx, ResponseHeads.head(ctx, encoder != null, request, reply, keepAlive), body,
                    files, stats);
        }
        HttpResponse head = ResponseHeads.responseObject(request, reply, keepAlive); // the paced writer writes objects
        stats.rate = rate;
        stats.globalCap = global == null ? 0 : global.bytesPerSecond();
        ResponseRate responseRate = null;
        if (rate.limited()) {
            responseRate = new ResponseRate(rate.bytesPerSecond(), rate.freeBytes(), NanoClock.SYSTEM);
            runtime.metrics().pacedRateChanged(rate.bytesPerSecond());
        }
        return PacedBodyWriter.write(ctx, head, body, files, stats, responseRate, global);
    }

    public void closed(ChannelHandlerContext ctx) {
        closing = true;
        dropQueued();
    }

    private void dropQueued() {
        for (Object request : queue) {
            if (request instanceof PassThrough pass) {
                pass.release();
            }
        }
        queue.clear();
        if (passing != null) {
            passing.release();
            passing = null;
        }
    }

    /** Handles our own events; returns false for events meant for other handlers. */
    public boolean userEvent(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // No request, and no byte of a response accepted by the client, for the whole idle timeout.
            ctx.close();
            return true;
        }
        return false;
    }

    public void exception(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            // The codec refused what the client sent, e.g. more than 128 unanswered pipelined requests: a client's
            // doing, not ours. It discards the rest of the input and closes after the next response it sends, so
            // finish the response in progress, drop the queued ones (never start what would be cut), then close.
            log.debug("closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
            framingLost = true;
            dropQueued();
            closeIfFramingLost(ctx);
            return;
        }
        if (cause instanceof IOException) {
            log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("unexpected error on {}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
