package dev.vod.server;

import java.util.Map;

/**
 * What a {@link Download} reports while it runs: the progress bar is one listener, tests are another. Every method
 * has an empty default. Methods are called on the download thread, except {@link #stateChanged}, which is called
 * on the thread that read the command.
 */
interface FetchListener {
    /** Request number {@code number} (1-based) is about to be sent with these extra headers (Range, If-Range). */
    default void requestSent(int number, Map<String, String> headers) {
    }

    /** The status code of request {@code number}. */
    default void responseReceived(int number, int status) {
    }

    /** {@code bytes} of the output are written, out of {@code total} (-1 while unknown). */
    default void progress(long bytes, long total) {
    }

    /** An interactive command moved the download to {@code state}. */
    default void stateChanged(PlayControls.State state) {
    }

    /** The download closed its connection after a pause command, with {@code bytes} of output written. */
    default void paused(long bytes) {
    }

    /** Something a person watching should know, e.g. "resuming at byte 1234". */
    default void note(String message) {
    }

    /** A listener that tells {@code first}, then {@code second}. */
    static FetchListener both(FetchListener first, FetchListener second) {
        return new FetchListener() {
            @Override
            public void requestSent(int number, Map<String, String> headers) {
                first.requestSent(number, headers);
                second.requestSent(number, headers);
            }

            @Override
            public void responseReceived(int number, int status) {
                first.responseReceived(number, status);
                second.responseReceived(number, status);
            }

            @Override
            public void progress(long bytes, long total) {
                first.progress(bytes, total);
                second.progress(bytes, total);
            }

            @Override
            public void stateChanged(PlayControls.State state) {
                first.stateChanged(state);
                second.stateChanged(state);
            }

            @Override
            public void paused(long bytes) {
                first.paused(bytes);
                second.paused(bytes);
            }

            @Override
            public void note(String message) {
                first.note(message);
                second.note(message);
            }
        };
    }
}
