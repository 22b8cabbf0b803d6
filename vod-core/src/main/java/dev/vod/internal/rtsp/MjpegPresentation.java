package dev.vod.internal.rtsp;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.body.SourceFile;
import dev.vod.internal.rtp.MjpegIndex;
import dev.vod.internal.rtp.PayloadFormat;
import java.util.List;

/**
 * An MJPEG file as RTSP streams it: one JPEG track (RFC 2435), a frame every {@code 1/fps} seconds. Two layouts
 * are read ({@link MjpegIndex}): the seed's {@code [5 ASCII digits: length][JPEG]} records and plain concatenated
 * JPEG frames. Every frame is a key frame, so a seek lands on the frame at the requested time.
 */
final class MjpegPresentation implements Presentation {
    private final SourceFile file;
    private final long[] offsets;
    private final int[] lengths;
    private final double fps;
    private final List<StreamTrack> tracks;

    MjpegPresentation(SourceFile file, MjpegIndex index, double fps) {
        if (index.frames() == 0) {
            throw new HttpProblem(415, "No JPEG frame found in this MJPEG file");
        }
        this.file = file;
        this.offsets = index.offsets();
        this.lengths = index.lengths();
        this.fps = fps;
        this.tracks = List.of(new StreamTrack(1, "video", PayloadFormat.jpeg(), fps, 0, 0));
    }

    @Override
    public SourceFile file() {
        return file;
    }

    @Override
    public List<StreamTrack> tracks() {
        return tracks;
    }

    @Override
    public double duration() {
        return offsets.length / fps;
    }

    @Override
    public Cursor cursor() {
        return new Cursor() {
            private int frame;

            @Override
            public double seek(double seconds) {
                frame = (int) Math.min(offsets.length - 1, Math.max(0, Math.floor(seconds * fps + 1e-9)));
                return frame / fps;
            }

            @Override
            public boolean next(AccessUnit unit) {
                if (frame >= offsets.length) {
                    return false;
                }
                unit.track = 0;
                unit.sendTime = frame / fps;
                unit.rtpTime = Math.round(frame * 90000.0 / fps);
                unit.offset = offsets[frame];
                unit.size = lengths[frame];
                unit.keyFrame = true;
                frame++;
                return true;
            }
        };
    }
}
