package dev.vod.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Play, pause and stop for {@code fetch --interactive}, driven by lines on stdin: {@code p} (play), {@code t}
 * (pause), {@code q} (stop); {@code play}, {@code pause}, {@code stop} and {@code quit} work too.
 *
 * <p>A download starts playing. When stdin ends, a playing download carries on to the end, while a paused one
 * stops, since nothing could ever resume it. The download thread polls {@link #state()} between chunks and blocks
 * in {@link #awaitPlaying()} while paused; a daemon thread reads stdin so it never holds the JVM open.
 */
final class PlayControls {
    /** Where a download stands. */
    enum State { PLAYING, PAUSED, STOPPED }

    private final FetchListener listener;
    private State state = State.PLAYING;

    private PlayControls(FetchListener listener) {
        this.listener = listener;
    }

    /** Controls nobody can press: the plain, non-interactive fetch. */
    static PlayControls alwaysPlaying() {
        return new PlayControls(new FetchListener() { });
    }

    /** Controls read from {@code commands}, one per line, on a daemon thread started here. */
    static PlayControls readFrom(InputStream commands, FetchListener listener) {
        PlayControls controls = new PlayControls(listener);
        Thread reader = new Thread(() -> controls.readLines(commands), "vod-fetch-stdin");
        reader.setDaemon(true);
        reader.start();
        return controls;
    }

    synchronized State state() {
        return state;
    }

    /** Blocks while paused; true when playing, false once stopped. */
    synchronized boolean awaitPlaying() throws InterruptedException {
        while (state == State.PAUSED) {
            wait();
        }
        return state == State.PLAYING;
    }

    private void readLines(InputStream commands) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(commands, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String command = line.trim().toLowerCase(Locale.ROOT);
                switch (command) {
                    case "p", "play" -> moveTo(State.PLAYING);
                    case "t", "pause" -> moveTo(State.PAUSED);
                    case "q", "stop", "quit" -> moveTo(State.STOPPED);
                    case "" -> { }
                    default -> listener.note("unknown command '" + line.trim() + "': p play, t pause, q stop");
                }
            }
        } catch (IOException e) {
            listener.note("cannot read commands: " + e.getMessage());
        }
        endOfCommands();
    }

    private void moveTo(State next) {
        synchronized (this) {
            if (state == State.STOPPED || state == next) {
                return;
            }
            state = next;
            notifyAll();
        }
        listener.stateChanged(next);
    }

    private void endOfCommands() {
        boolean stop;
        synchronized (this) {
            stop = state == State.PAUSED;
        }
        if (stop) {
            listener.note("no more commands while paused: stopping");
            moveTo(State.STOPPED);
        }
    }
}
