package dev.vod.server;

/** A fetch that cannot go on: the message is the one line {@code fetch} prints before exiting with status 1. */
final class FetchFailure extends Exception {
    FetchFailure(String message) {
        super(message, null, false, false); // no stack trace: it is never shown
    }
}
