package dev.vod.internal.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's playback of one presentation: the tracks it set up, READY or PLAYING (RFC 2326 Appendix A), and
 * the sending itself. Sending is paced by media time with one timer on the session's event loop — no thread per
 * client: each run sends every access unit whose decode time falls within {@link #LEAD} of the playback clock,
 * then sleeps until the next one is due. RTCP sender reports go out every {@link #REPORT_INTERVAL_NANOS}, and an
 * RTCP BYE when the presentation ends or the session does.
 *
 * <p>Every method runs on {@link #loop()} (the RTSP handler hands calls from other connections over to it).
 */
final class RtspSession {
    private static final Logger log = LoggerFactory.getLogger("vod.rtsp");
    /** How far ahead of the playback clock units are sent: smooths timer jitter, costs the client a little buffer. */
    static final double LEAD = 0.1;
    private static final long MIN_WAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
    private static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Larger access units are not media: the file is damaged, and it is not read into memory. */
    private static final int MAX_UNIT = 16 * 1024 * 1024;

    enum State { READY, PLAYING }

    final String id;
    final Presentation presentation;
    final Channel connection;
    final InetAddress client;
    final boolean seedSpelling;
    private final EventLoop loop;
    private final SessionRegistry registry;
    private final SessionTrack[] tracks;
    private final Presentation.Cursor cursor;
    private final Presentation.AccessUnit pending = new Presentation.AccessUnit();
    private final String cname;
    private boolean havePending;
    private State state = State.READY;
    private boolean ended;
    private boolean started;
    /** Presentation time at {@link #clockStart}, and where a paused session resumes. */
    private double position;
    /** Where a PLAY's {@code Range: npt=a-b} asked to stop: units decoded from here on are not sent. */
    private double stopAt = Double.POSITIVE_INFINITY;
    private long clockStart;
    private long lastReport;
    private FileChannel file;
    private ScheduledFuture<?> timer;
    private volatile long lastSeen = System.nanoTime();
    private boolean closed;
    long skippedUnits;

    RtspSession(String id, Presentation presentation, Channel connection, InetAddress client, boolean seedSpelling,
                SessionRegistry registry) {
        this.id = id;
        this.presentation = presentation;
        this.connection = connection;
        this.client = client;
        this.seedSpelling = seedSpelling;
        this.loop = connection.eventLoop();
        this.registry = registry;
        this.tracks = new SessionTrack[presentation.tracks().size()];
        this.cursor = presentation.cursor();
        this.cname = "vod-" + id + "@" + connection.localAddress();
    }

    EventLoop loop() {
        return loop;
    }

    State state() {
        return state;
    }

    boolean isTcp() {
        for (SessionTrack t : tracks) {
            if (t != null) {
                return t.sink instanceof InterleavedSink;
            }
        }
        return false;
    }

    /** Keeps the session alive: an RTSP request or an RTCP report from the client. */
    void touch() {
        lastSeen = System.nanoTime();
    }

    boolean idleSince(long nanos) {
        return lastSeen - nanos < 0;
    }

    SessionTrack track(int index) {
        return tracks[index];
    }

    void setUp(int index, SessionTrack track) {
        if (tracks[index] != null) {
            tracks[index].sink.close();
        }
        tracks[index] = track;
    }

    /**
     * Starts or resumes playback. {@code range} seeks (to the key frame at or before its start) unless it resumes.
     *
     * @return the presentation time playback starts from
     */
    double play(NptRange range) throws IOException {
        if (file == null) {
            file = FileChannel.open(presentation.file().path(), StandardOpenOption.READ);
        }
        if (!range.resumes() || !started) {
            position = cursor.seek(range.resumes() ? 0 : range.start());
            havePending = false;
            ended = false;
        }
        if (range.end() >= 0) {
            stopAt = range.end();
        } else if (!range.resumes() || ended) {
            stopAt = Double.POSITIVE_INFINITY; // a PLAY after the end of a range goes on from there
        }
        ended = false;
        started = true;
        state = State.PLAYING;
        clockStart = System.nanoTime();
        lastReport = 0;
        schedule(0);
        return position;
    }

    /** Stops sending; a later PLAY without a range resumes at the same point of the presentation. */
    void pause() {
        if (state == State.PLAYING) {
            position = ended ? position : now();
            state = State.READY;
            cancelTimer();
        }
    }

    /** The presentation time the playback clock shows now. */
    private double now() {
        return position + (System.nanoTime() - clockStart) / 1e9;
    }

    double position() {
        return position;
    }

    private void schedule(long delayNanos) {
        cancelTimer();
        timer = loop.schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void tick() {
        timer = null;
        if (state != State.PLAYING || closed) {
            return;
        }
        double now = now();
        double horizon = now + LEAD;
        try {
            while (true) {
                if (!havePending) {
                    if (!cursor.next(pending)) {
                        flushAll();
                        finish();
                        return;
                    }
                    havePending = true;
                }
                if (pending.sendTime >= stopAt) {
                    flushAll();
                    finish();
                    return;
                }
                if (pending.sendTime > horizon) {
                    break;
                }
                sendPending();
                havePending = false;
            }
        } catch (IOException e) {
            log.warn("RTSP session {}: cannot read {}: {}", id, presentation.file().path(), e.getMessage());
            end("read error");
            return;
        }
        long nanos = System.nanoTime();
        if (nanos - lastReport >= REPORT_INTERVAL_NANOS || lastReport == 0) {
            for (SessionTrack t : tracks) {
                if (t != null) {
                    t.sendReport(now, cname);
                }
            }
            lastReport = nanos;
        }
        flushAll();
        account();
        // Wake when the next unit is due, but not more often than every MIN_WAKE: a few units per run rather than
        // one costs fewer timer runs and lets the socket batch its writes (the lead keeps them on time).
        double wait = pending.sendTime - horizon;
        schedule(Math.max(MIN_WAKE_NANOS, Math.min((long) (wait * 1e9), TimeUnit.MILLISECONDS.toNanos(200))));
    }

    private void sendPending() throws IOException {
        SessionTrack track = tracks[pending.track];
        if (track == null) {
            return; // a track the client did not set up
        }
        if (!track.sink.writable()) {
            // A slow client: drop rather than queue, and for video wait for the next key frame to resume.
            track.dropped++;
            track.awaitingKeyFrame = track.stream.isVideo();
            return;
        }
        if (track.awaitingKeyFrame && !pending.keyFrame) {
            track.dropped++;
            return;
        }
        track.awaitingKeyFrame = false;
        if (pending.size <= 0 || pending.size > MAX_UNIT) {
            skipped("size " + pending.size);
            return;
        }
        ByteBuf unit = ByteBufAllocator.DEFAULT.directBuffer(pending.size);
        try {
            long at = pending.offset;
            while (unit.isWritable()) {
                int read = unit.writeBytes(file, at, unit.writableBytes());
                if (read < 0) {
                    throw new IOException("file shorter than its index");
                }
                at += read;
            }
            if (!track.send(unit, pending.rtpTime, pending.keyFrame)) {
                skipped("its payload format cannot carry it");
            }
        } finally {
            unit.release();
        }
    }

    private void skipped(String why) {
        skippedUnits++;
        registry.skippedUnit();
        if (skippedUnits <= 3) {
            log.warn("RTSP session {}: skipped an access unit of {} ({})", id, presentation.file().fileName(), why);
        }
    }

    private void account() {
        for (SessionTrack t : tracks) {
            if (t != null) {
                t.account(registry);
            }
        }
    }

    private void flushAll() {
        for (SessionTrack t : tracks) {
            if (t != null) {
                t.sink.flush();
            }
        }
    }

    /**
     * The end of the presentation (or of the PLAY's range): RTCP BYE. The session stays PLAYING with nothing more
     * to send, as GStreamer's and live555's servers do: clients PAUSE or TEARDOWN after the BYE, and a PAUSE must
     * not fail then. A PLAY with a Range seeks again.
     */
    private void finish() {
        for (SessionTrack t : tracks) {
            if (t != null) {
                t.sendReport(now(), cname);
                t.sendBye(cname);
                t.sink.flush();
            }
        }
        position = Math.min(stopAt, presentation.duration());
        ended = true;
    }

    boolean ended() {
        return ended;
    }

    /**
     * Ends the session: BYE on every track (unless already sent), ports, timer and file freed, and one line on the
     * {@code vod.rtsp} log saying why and what was sent. Idempotent.
     */
    void end(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        cancelTimer();
        account();
        long packets = 0;
        long octets = 0;
        long dropped = 0;
        for (SessionTrack t : tracks) {
            if (t != null) {
                packets += t.packets;
                octets += t.octets;
                dropped += t.dropped;
            }
        }
        log.info("RTSP session {} {} {} ({}) ended by {}: {} RTP packets, {} payload bytes, {} units dropped",
                id, client.getHostAddress(), presentation.file().fileName(), isTcp() ? "tcp" : "udp", reason,
                packets, octets, dropped);
        for (SessionTrack t : tracks) {
            if (t != null) {
                if (started && !ended && (!(t.sink instanceof InterleavedSink) || connection.isActive())) {
                    t.sendBye(cname);
                    t.sink.flush();
                }
                t.sink.close();
            }
        }
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                log.debug("closing {}: {}", presentation.file().path(), e.toString());
            }
            file = null;
        }
        registry.remove(this);
    }

    boolean isClosed() {
        return closed;
    }
}
