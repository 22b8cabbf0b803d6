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
    private static final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - TimeUnit.DAYS.toNanos(1));
    private static final AtomicLong suppressed = new AtomicLong();

    private OriginLog() {
    }

    static void failed(String uri, OriginFailure failure) {
        if (failure.status() == 404) {
            return;
        }
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last < TimeUnit.SECONDS.toNanos(QUIET_SECONDS) || !lastLogged.compareAndSet(last, now)) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        Throwable cause = failure.getCause();
        String detail = cause == null ? failure.getMessage() : cause.getMessage();
        String more = skipped == 0 ? "" : " (" + skipped + " more failures since the last report)";
        if (cause instanceof ContentSource.SourceException s && s.kind() == ContentSource.SourceException.Kind.DENIED) {
            log.error("content store refused access answering {}: {}{}", uri, detail, more);
        } else {
            log.warn("content store failed answering {} with {}: {}{}", uri, failure.status(), detail, more);
        }
    }
}
