package dev.vod.internal.rtsp;

import dev.vod.internal.body.SourceFile;
import java.util.List;

/**
 * A file as RTSP plays it: the streams DESCRIBE lists, its duration, and cursors that walk its access units in
 * sending (decode) order. An MP4 file ({@link Mp4Presentation}) or an MJPEG file ({@link MjpegPresentation}).
 * Immutable and shared by every session of the file; each session takes its own {@link #cursor()}.
 */
interface Presentation {

    SourceFile file();

    List<StreamTrack> tracks();

    /** Length in seconds. */
    double duration();

    /** A new cursor at the beginning. */
    Cursor cursor();

    /** Walks a presentation's access units in the order they are sent. Confined to one session. */
    interface Cursor {
        /**
         * Moves to the last key frame at or before {@code seconds} (the first unit when none is), so that decoding
         * can start there; returns that frame's presentation time in seconds, the start the PLAY reply states.
         */
        double seek(double seconds);

        /** Fills {@code unit} with the next access unit and moves past it; false at the end. */
        boolean next(AccessUnit unit);
    }

    /** One access unit to send: where its bytes are and when. A mutable holder reused by the session. */
    final class AccessUnit {
        /** Index into {@link #tracks()}. */
        int track;
        /** When to send it: its decode time on the presentation timeline, in seconds. */
        double sendTime;
        /** Its presentation time in the track's RTP clock ticks from the presentation's start (may be negative). */
        long rtpTime;
        long offset;
        int size;
        boolean keyFrame;
    }
}
