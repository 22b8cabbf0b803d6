package dev.vod.internal.rtsp;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.body.SourceFile;
import dev.vod.internal.mp4.MediaTrack;
import dev.vod.internal.mp4.Mp4Media;
import dev.vod.internal.rtp.PayloadFormat;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MP4 file (progressive, moov-at-end or fragmented: {@link Mp4Media} hides the difference) as RTSP streams:
 * H.264 (RFC 6184), H.265 (RFC 7798) and AAC (RFC 3640) tracks. Tracks of other codecs are left out of the SDP
 * with a warning; a file with none that can be carried is refused with 415.
 *
 * <p>Timing comes from the sample tables: units are sent in decode order at their decode time, and carry their
 * presentation time (composition offsets included) as the RTP timestamp, rescaled to the payload's clock.
 */
final class Mp4Presentation implements Presentation {
    private static final Logger log = LoggerFactory.getLogger("vod.rtsp");
    /** Samples read from the tables at a time per track: bounded memory whatever the file's length. */
    private static final int WINDOW = 64;

    private final Mp4Media media;
    private final List<MediaTrack> sources = new ArrayList<>();
    private final List<StreamTrack> tracks = new ArrayList<>();
    private final double duration;

    Mp4Presentation(Mp4Media media) {
        this.media = media;
        double longest = 0;
        for (MediaTrack track : media.tracks()) {
            PayloadFormat format = format(track, 96 + tracks.size());
            if (format == null) {
                if (track.kind() != MediaTrack.Kind.OTHER) {
                    log.warn("{}: track {} ({}) has no RTP payload format here; left out of the stream",
                            media.file().fileName(), track.id(), track.codecs() == null ? track.format() : track.codecs());
                }
                continue;
            }
            boolean video = track.kind() == MediaTrack.Kind.VIDEO;
            sources.add(track);
            tracks.add(new StreamTrack(tracks.size() + 1, video ? "video" : "audio", format,
                    video ? track.frameRate() : 0, track.width(), track.height()));
            longest = Math.max(longest, (double) media.endTime(track) / track.timescale());
        }
        if (tracks.isEmpty()) {
            throw new HttpProblem(415, "No track of this file can be streamed over RTP (H.264, H.265 and AAC can)");
        }
        this.duration = longest;
    }

    private PayloadFormat format(MediaTrack track, int payloadType) {
        byte[] config = media.decoderConfig(track);
        String codecs = track.codecs() == null ? "" : track.codecs();
        try {
            if (track.kind() == MediaTrack.Kind.VIDEO && config != null && codecs.startsWith("avc")) {
                return PayloadFormat.h264(payloadType, config);
            }
            if (track.kind() == MediaTrack.Kind.VIDEO && config != null
                    && (codecs.startsWith("hvc1") || codecs.startsWith("hev1"))) {
                return PayloadFormat.h265(payloadType, config);
            }
            if (track.kind() == MediaTrack.Kind.AUDIO && config != null && codecs.startsWith("mp4a.40.")
                    && track.sampleRate() > 0 && track.channels() > 0) {
                return PayloadFormat.aac(payloadType, config, track.sampleRate(), track.channels());
            }
        } catch (IllegalArgumentException e) {
            log.warn("{}: track {}: {}", media.file().fileName(), track.id(), e.getMessage());
        }
        return null;
    }

    @Override
    public SourceFile file() {
        return media.file();
    }

    @Override
    public List<StreamTrack> tracks() {
        return tracks;
    }

    @Override
    public double duration() {
        return duration;
    }

    @Override
    public Cursor cursor() {
        return new Mp4Cursor();
    }

    /** Merges the tracks' samples by decode time, reading each track's tables a window at a time. */
    private final class Mp4Cursor implements Cursor {
        private final Window[] windows = new Window[sources.size()];

        Mp4Cursor() {
            for (int i = 0; i < windows.length; i++) {
                windows[i] = new Window(i, sources.get(i));
            }
        }

        @Override
        public double seek(double seconds) {
            int lead = leadTrack();
            MediaTrack leader = sources.get(lead);
            long target = Math.round(seconds * leader.timescale());
            long sample = keyFrameAtOrBefore(leader, target);
            double start = (double) media.presentationTime(leader, sample) / leader.timescale();
            for (Window w : windows) {
                if (w.index == lead) {
                    w.moveTo(sample);
                } else {
                    // Other tracks start where the picture does: the first sample decoded at or after it.
                    w.moveTo(media.sampleAtOrAfter(w.track, Math.round(start * w.track.timescale())));
                }
            }
            return Math.max(0, start);
        }

        /** Video decides where playback can start (its key frames); audio alone starts anywhere. */
        private int leadTrack() {
            for (int i = 0; i < sources.size(); i++) {
                if (sources.get(i).kind() == MediaTrack.Kind.VIDEO) {
                    return i;
                }
            }
            return 0;
        }

        private long keyFrameAtOrBefore(MediaTrack track, long time) {
            int count = media.keyFrameCount(track);
            if (count == 0) {
                return Math.max(0, media.sampleAtOrAfter(track, time) - (time > 0 ? 1 : 0));
            }
            int lo = 0;
            int hi = count - 1;
            int best = 0;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (media.presentationTime(track, media.keyFrameSample(track, mid)) <= time) {
                    best = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return media.keyFrameSample(track, best);
        }

        @Override
        public boolean next(AccessUnit unit) {
            Window best = null;
            for (Window w : windows) {
                if (w.fill() && (best == null || w.sendTime() < best.sendTime())) {
                    best = w;
                }
            }
            if (best == null) {
                return false;
            }
            best.take(unit);
            return true;
        }
    }

    /** The next few samples of one track, with their times already on the presentation timeline. */
    private final class Window {
        final int index;
        final MediaTrack track;
        final long shift;
        final double clockPerTick;
        final long[] offsets = new long[WINDOW];
        final int[] sizes = new int[WINDOW];
        final long[] decode = new long[WINDOW];
        final int[] composition = new int[WINDOW];
        final boolean[] sync = new boolean[WINDOW];
        long next;       // sample number of slot 'at'
        int at;
        int filled;

        Window(int index, MediaTrack track) {
            this.index = index;
            this.track = track;
            this.shift = media.presentationShift(track);
            this.clockPerTick = (double) tracks.get(index).format().clockRate() / track.timescale();
            moveTo(0);
        }

        void moveTo(long sample) {
            next = Math.min(sample, track.sampleCount());
            at = 0;
            filled = 0;
        }

        /** True when a sample is ready in the window, reading the next batch when it ran dry. */
        boolean fill() {
            if (at < filled) {
                return true;
            }
            if (next >= track.sampleCount()) {
                return false;
            }
            long to = Math.min(track.sampleCount(), next + WINDOW);
            at = 0;
            filled = 0;
            long[] time = {media.decodeTime(track, next)};
            media.samples(track, next, to, (offset, size, duration, cto, key) -> {
                offsets[filled] = offset;
                sizes[filled] = (int) Math.min(size, Integer.MAX_VALUE);
                decode[filled] = time[0];
                composition[filled] = cto;
                sync[filled] = key;
                time[0] += duration;
                filled++;
            });
            return filled > 0;
        }

        double sendTime() {
            return (double) (decode[at] - shift) / track.timescale();
        }

        void take(AccessUnit unit) {
            unit.track = index;
            unit.sendTime = sendTime();
            unit.rtpTime = Math.round((decode[at] + composition[at] - shift) * clockPerTick);
            unit.offset = offsets[at];
            unit.size = sizes[at];
            unit.keyFrame = sync[at] || track.kind() != MediaTrack.Kind.VIDEO;
            at++;
            next++;
        }
    }
}
