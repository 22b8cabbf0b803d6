package dev.vod.internal;

import java.nio.channels.Channel;

/**
 * A channel that can be told which bytes are about to be read, so it can start getting all of them at once. A
 * content store's channel ({@code RemoteChannel}) then fetches every slice of the range concurrently instead of
 * one after another as the reads reach them: the MP4 parser announces a moov that spans several slices when it
 * meets its header, and a cold seek waits for one fetch instead of one per slice.
 */
public interface ReadAhead {
    /** Bytes {@code [position, position + count)} will be read soon. A hint: it never blocks, never fails. */
    void willRead(long position, long count);

    /** Tells {@code channel}, if it takes hints; nothing for others (a local file needs none). */
    static void hint(Channel channel, long position, long count) {
        if (channel instanceof ReadAhead readAhead) {
            readAhead.willRead(position, count);
        }
    }
}
