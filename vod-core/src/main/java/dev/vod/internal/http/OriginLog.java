package dev.vod.internal.http;

import dev.vod.ContentSource;
import dev.vod.internal.source.OriginFailure;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs failures of the content store. A store that refuses vod's credentials is a configuration error someone must
 * fix: ERROR, naming the store (the message does). Outages are WARN. Either is logged at most once every
 * {@link #QUIET_SECONDS}, with a count of those in between: a store that is down fails every request, and the log
 * must not grow by one line per request.
 */
final class OriginLog {
    private static final Logger log = LoggerFactory.getLogger("vod.source");
    private static final long QUIET_SECONDS = 10;
    /** Refused credentials and outages are limited apart: an outage's warnings must not hide the refusal. */
    private static final Limiter denied = new Limiter();
    private static final Limiter failed = new Limiter();

    private static final class Limiter {
        final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - TimeUnit.DAYS.toNanos(1));
        final AtomicLong suppressed = new AtomicLong();

        /** The failures skipped since the last line, or -1 when this one is to be skipped too. */
        long admit() {
            long now = System.nanoTime();
            long last = lastLogged.get();
            if (now - last < TimeUnit.SECONDS.toNanos(QUIET_SECONDS) || !lastLogged.compareAndSet(last, now)) {
                suppressed.incrementAndGet();
                return -1;
            }
            return suppressed.getAndSet(0);
        }
    }

    private OriginLog() {
    }

    static void failed(String uri, OriginFailure failure) {
        if (failure.status() == 404) {
            return;
        }
        Throwable cause = failure.getCause();
        boolean refused = cause instanceof ContentSource.SourceException s
                && s.kind() == ContentSource.SourceException.Kind.DENIED;
        long skipped = (refused ? denied : failed).admit();
        if (skipped < 0) {
            return;
        }
        String detail = cause == null ? failure.getMessage() : cause.getMessage();
        String more = skipped == 0 ? "" : " (" + skipped + " more failures since the last report)";
        if (refused) {
            log.error("content store refused access answering {}: {}{}", uri, detail, more);
        } else {
            log.warn("content store failed answering {} with {}: {}{}", uri, failure.status(), detail, more);
        }
    }
}
