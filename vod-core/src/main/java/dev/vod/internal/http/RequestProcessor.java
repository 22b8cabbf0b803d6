package dev.vod.internal.http;

import dev.vod.VodConfig;
import dev.vod.internal.HttpProblem;
import dev.vod.internal.body.Body;
import dev.vod.internal.body.Representation;
import dev.vod.internal.body.SourceFile;
import dev.vod.internal.content.IndexPage;
import dev.vod.internal.content.MimeTypes;
import dev.vod.internal.content.RequestPath;
import dev.vod.internal.content.Resolved;
import dev.vod.internal.mp4.Mp4Service;
import dev.vod.internal.mp4.SeekRequest;
import dev.vod.internal.packager.TitleFolders;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides the {@link Reply} to one request, following the design's steps: check the request itself, decode the
 * target, apply the access policy, resolve the file, build the representation (plain file, MP4 seek output,
 * virtual faststart or index page), then evaluate preconditions and ranges against it.
 *
 * <p>Nothing here writes to the channel; errors are {@link HttpProblem}s turned into replies in one place.
 */
final class RequestProcessor {
    private static final int MAX_INDEX_ENTRIES = 10_000;

    private final VodRuntime runtime;
    private final VodConfig config;
    private final RepresentationReply representationReply;
    /** Derived URLs (HLS, DASH, manifest.txt), or null when packaging is off. */
    private final PackagedRoutes packaged;

    RequestProcessor(VodRuntime runtime) {
        this.runtime = runtime;
        this.config = runtime.config();
        this.representationReply = new RepresentationReply(config);
        this.packaged = config.packaging().enabled() ? new PackagedRoutes(runtime, runtime.packager()) : null;
    }

    /** The reply to {@code request}; never throws. */
    Reply process(HttpRequest request, RequestTarget target) {
        try {
            return decide(request, target);
        } catch (HttpProblem problem) {
            Reply reply = Reply.error(problem.status(), problem.getMessage(), false);
            return isHead(request) ? reply.withoutBody() : reply;
        }
    }

    /** The reply to a request the codec could not parse; the connection is closed after it. */
    static Reply malformed(HttpRequest request) {
        Throwable cause = request.decoderResult().cause();
        if (cause instanceof TooLongHttpLineException) {
            return Reply.error(414, "request line longer than the limit", true);
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return Reply.error(431, "request headers larger than the limit", true);
        }
        if (cause instanceof TooLongFrameException) {
            return Reply.error(400, "request too large", true);
        }
        return Reply.error(400, "malformed request", true);
    }

    /**
     * Checks what must hold before the target is even looked at: an HTTP/1.0 or 1.1 request line and one Host
     * for HTTP/1.1. Returns the error reply, or {@code null} when the request may proceed.
     */
    static Reply checkRequest(HttpRequest request) {
        HttpVersion version = request.protocolVersion();
        if (!"HTTP".equals(version.protocolName())) {
            return Reply.error(400, "not an HTTP request", true);
        }
        if (version.majorVersion() != 1 || version.minorVersion() > 1) {
            return Reply.error(505, "only HTTP/1.0 and HTTP/1.1 are supported", true);
        }
        HttpHeaders headers = request.headers();
        int hosts = count(headers, HttpHeaderNames.HOST);
        if (hosts > 1 || (version.minorVersion() == 1 && hosts == 0)) {
            return Reply.error(400, "HTTP/1.1 requests need exactly one Host header", true);
        }
        if ("*".equals(request.uri()) && HttpMethod.OPTIONS.equals(request.method())) {
            // Asterisk-form is only for OPTIONS (RFC 9112 §3.2.4), a method we do not serve; with any other
            // method it is an invalid target, answered 400 by the target parser.
            return methodNotAllowed(request.method());
        }
        return null;
    }

    /** How many lines of header {@code name} there are, without building the list {@code getAll} would. */
    private static int count(HttpHeaders headers, CharSequence name) {
        int n = 0;
        for (java.util.Iterator<? extends CharSequence> it = headers.valueCharSequenceIterator(name); it.hasNext(); ) {
            it.next();
            n++;
        }
        return n;
    }

    private static Reply methodNotAllowed(HttpMethod method) {
        Reply reply = Reply.error(405, method.name() + " is not allowed", false);
        reply.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        return reply;
    }

    private Reply decide(HttpRequest request, RequestTarget target) {
        HttpMethod method = request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            return methodNotAllowed(method);
        }
        boolean head = method.equals(HttpMethod.HEAD);
        if (target.path().isEmpty()) {
            // The mount point itself without its trailing slash, e.g. /videos for /videos/.
            Reply reply = Reply.error(301, "Moved Permanently", false);
            reply.headers().set(HttpHeaderNames.LOCATION,
                    config.mountPath() + (target.query() == null ? "" : "?" + target.query()));
            return head ? reply.withoutBody() : reply;
        }

        RequestPath path = RequestPath.parse(target.path());
        if (packaged != null) {
            Representation derived = packaged.resolve(path);
            if (derived != null) {
                return representationReply.reply(request, derived, head);
            }
        }
        Resolved resolved = runtime.resolver().resolve(path);
        Representation representation;
        if (resolved instanceof Resolved.Redirect redirect) {
            Reply reply = Reply.error(301, "Moved Permanently", false);
            reply.headers().set(HttpHeaderNames.LOCATION,
                    withoutTrailingSlash(config.mountPath()) + redirect.location()
                            + (target.query() == null ? "" : "?" + target.query()));
            return head ? reply.withoutBody() : reply;
        } else if (resolved instanceof Resolved.Directory dir) {
            representation = indexPage(dir);
        } else {
            representation = fileRepresentation(((Resolved.File) resolved).file(), target);
        }

        return representationReply.reply(request, representation, head);
    }

    private Representation indexPage(Resolved.Directory dir) {
        if (!config.indexPages()) {
            throw HttpProblem.forbidden();
        }
        List<IndexPage.Entry> entries;
        try {
            entries = IndexPage.list(dir.realDir(), dir.path(), runtime.policy(), runtime.mimeTypes(),
                    MAX_INDEX_ENTRIES, this::servable,
                    packaged == null ? realDir -> false : TitleFolders::looksLikeTitle);
        } catch (java.io.IOException e) {
            throw HttpProblem.notFound();
        }
        String html = IndexPage.render(dir.path(), config.mountPath(), entries);
        return new Representation(Body.ofText(html), "text/html; charset=utf-8", null, -1);
    }

    private boolean servable(RequestPath path) {
        try {
            runtime.resolver().resolve(path);
            return true;
        } catch (HttpProblem e) {
            return false;
        }
    }

    private Representation fileRepresentation(SourceFile file, RequestTarget target) {
        String name = file.fileName();
        String contentType = runtime.mimeTypes().forFileName(name);
        if (isMp4(name)) {
            Mp4Service mp4 = runtime.mp4();
            if (config.mp4Seek() && target.query() != null) {
                Optional<SeekRequest> seek = Mp4Service.seekRequest(queryParameters(target.query()));
                if (seek.isPresent()) {
                    return mp4.seek(file, contentType, seek.get());
                }
            }
            if (config.mp4Faststart()) {
                Optional<Representation> faststart = mp4.faststart(file, contentType);
                if (faststart.isPresent()) {
                    return faststart.get();
                }
            }
        }
        return Representation.ofFile(file, contentType);
    }

    private static Map<String, List<String>> queryParameters(String rawQuery) {
        try {
            return new QueryStringDecoder(rawQuery, StandardCharsets.UTF_8, false).parameters();
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("malformed query string");
        }
    }

    static boolean isMp4(String name) {
        return MimeTypes.isMp4Name(name);
    }

    private static boolean isHead(HttpRequest request) {
        return HttpMethod.HEAD.equals(request.method());
    }

    private static String withoutTrailingSlash(String mountPath) {
        return mountPath.substring(0, mountPath.length() - 1);
    }
}
