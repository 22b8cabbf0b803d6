package dev.vod.internal.rtsp;

import io.netty.channel.EventLoop;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's sessions by id, bounded by the configured maximum, and the sweep that ends sessions whose client
 * went quiet: no RTSP request and no RTCP report for the session timeout. Ids are 16 random decimal digits: not
 * guessable (a session id is all a client needs to PAUSE or TEARDOWN a stream), and numeric, which is what the
 * seed's student client parses.
 */
final class SessionRegistry {
    private static final Logger log = LoggerFactory.getLogger("vod.rtsp");

    private final ConcurrentHashMap<String, RtspSession> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger reserved = new AtomicInteger();
    private final LongAdder skippedUnits = new LongAdder();
    final LongAdder packetsSent = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder droppedUnits = new LongAdder();
    private final SecureRandom random = new SecureRandom();
    private final int max;
    private final long timeoutNanos;
    private ScheduledFuture<?> sweeper;

    SessionRegistry(int max, long timeoutNanos) {
        this.max = max;
        this.timeoutNanos = timeoutNanos;
    }

    /** Takes one of the {@code max} places for a session about to be set up; false when all are taken. */
    boolean reserve() {
        while (true) {
            int n = reserved.get();
            if (n >= max) {
                return false;
            }
            if (reserved.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a place {@link #reserve() reserved} for a session that was not set up after all. */
    void unreserve() {
        reserved.decrementAndGet();
    }

    String newId() {
        while (true) {
            String id = String.valueOf(1_000_000_000_000_000L + (random.nextLong() & Long.MAX_VALUE)
                    % 9_000_000_000_000_000L);
            if (!sessions.containsKey(id)) {
                return id;
            }
        }
    }

    /** Registers a session for a place already reserved. */
    void add(RtspSession session) {
        sessions.put(session.id, session);
    }

    RtspSession get(String id) {
        return id == null ? null : sessions.get(id);
    }

    void remove(RtspSession session) {
        if (sessions.remove(session.id, session)) {
            reserved.decrementAndGet();
        }
    }

    int size() {
        return sessions.size();
    }

    void skippedUnit() {
        skippedUnits.increment();
    }

    /** Access units skipped because their payload format could not carry them, since start. */
    long skippedUnits() {
        return skippedUnits.sum();
    }

    /** Publishes the counters as metrics. */
    void publish(dev.vod.internal.metrics.VodMetrics metrics) {
        metrics.rtsp(this::size, packetsSent, bytesSent, droppedUnits, skippedUnits);
    }

    /** Checks for quiet sessions every second on {@code loop}. */
    void startSweeping(EventLoop loop) {
        sweeper = loop.scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    private void sweep() {
        long deadline = System.nanoTime() - timeoutNanos;
        for (RtspSession session : sessions.values()) {
            if (session.idleSince(deadline)) {
                log.info("RTSP session {} timed out (no request or RTCP for {} s)", session.id,
                        TimeUnit.NANOSECONDS.toSeconds(timeoutNanos));
                session.loop().execute(() -> session.end("timeout"));
            }
        }
    }

    /** Ends every session (RTCP BYE, ports freed) and waits up to two seconds for them to be gone. */
    void endAll() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        List<RtspSession> all = new ArrayList<>(sessions.values());
        for (RtspSession session : all) {
            session.loop().execute(() -> session.end("server shutdown"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!sessions.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sessions whose RTSP connection is {@code channel}. */
    List<RtspSession> ownedBy(io.netty.channel.Channel channel) {
        List<RtspSession> owned = new ArrayList<>();
        for (RtspSession s : sessions.values()) {
            if (s.connection == channel) {
                owned.add(s);
            }
        }
        return owned;
    }
}
