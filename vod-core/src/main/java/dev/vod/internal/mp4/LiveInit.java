package dev.vod.internal.mp4;

import dev.vod.internal.HttpProblem;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The init segment of a live fragmented MP4 ({@code ftyp} + {@code moov} with {@code mvex}) as a publisher sends
 * it, and what each of its media fragments holds: how long it lasts and whether it starts with a key frame, read
 * with the same fragment reader as files. Pure, immutable, thread-safe.
 */
public final class LiveInit {
    /** One track of the stream: what a master playlist says about it. */
    public record TrackInfo(int id, MediaTrack.Kind kind, long timescale, String codecs, int width, int height,
                            int channels, int sampleRate) {
    }

    /**
     * What one {@code moof + mdat} fragment holds.
     *
     * @param independent  whether decoding can start here: the video track's first sample is a key frame (always
     *                     true without video)
     * @param seconds      the reference track's duration in this fragment
     * @param startSeconds the reference track's decode time at its start
     * @param videoFrames  video samples in it
     */
    public record Fragment(boolean independent, double seconds, double startSeconds, long videoFrames) {
    }

    private final Movie movie;
    private final List<TrackInfo> tracks;
    private final Track reference;

    private LiveInit(Movie movie) {
        this.movie = movie;
        List<TrackInfo> described = new ArrayList<>();
        for (Track track : movie.tracks()) {
            MediaTrack.Kind kind = track.isVideo() ? MediaTrack.Kind.VIDEO
                    : track.handler == BoxTypes.SOUN ? MediaTrack.Kind.AUDIO : MediaTrack.Kind.OTHER;
            SampleEntries.Info info = kind == MediaTrack.Kind.OTHER
                    ? new SampleEntries.Info("", null, 0, 0, 0, 0) : SampleEntries.of(track);
            described.add(new TrackInfo(track.trackId, kind, track.timescale, info.codecs(), info.width(),
                    info.height(), info.channels(), info.sampleRate()));
        }
        this.tracks = List.copyOf(described);
        Track video = movie.referenceTrack();
        this.reference = video != null ? video : movie.tracks().isEmpty() ? null : movie.tracks().get(0);
    }

    /**
     * Parses the {@code moov} box of an init segment (header included).
     *
     * @throws HttpProblem 415 when it is not a fragmented movie with tracks, 422 when its boxes are malformed
     */
    public static LiveInit parse(byte[] moovBox) {
        Movie movie = MoovParser.parse(moovBox);
        if (!movie.fragmented()) {
            throw new HttpProblem(415, "the moov has no mvex: publish fragmented MP4"
                    + " (-movflags frag_keyframe+empty_moov+default_base_moof)");
        }
        if (movie.tracks().isEmpty()) {
            throw new HttpProblem(415, "the init segment has no track");
        }
        return new LiveInit(movie);
    }

    public List<TrackInfo> tracks() {
        return tracks;
    }

    /** Whether the stream has a video track. */
    public boolean hasVideo() {
        return movie.referenceTrack() != null;
    }

    /**
     * Describes one fragment: {@code moof} is the moof box alone (header included), {@code fragmentLength} the
     * size of moof + mdat.
     *
     * @throws HttpProblem 422 when its boxes are malformed or its samples lie outside it
     */
    public Fragment describe(ByteBuffer moof, long fragmentLength) {
        try {
            FragmentedSamples ref = FragmentedSamples.ofFragment(moof, movie, reference.trackId, fragmentLength);
            long count = ref.count();
            boolean video = reference.isVideo();
            boolean independent = !video || (count > 0 && ref.syncCount() > 0 && ref.syncSample(0) == 0);
            double seconds = count == 0 ? 0 : (double) (ref.decodeTime(count) - ref.decodeTime(0)) / reference.timescale;
            double start = count == 0 ? 0 : (double) ref.decodeTime(0) / reference.timescale;
            return new Fragment(independent, seconds, start, video ? count : 0);
        } catch (IndexOutOfBoundsException | IllegalArgumentException | ArithmeticException
                 | BufferUnderflowException e) {
            throw Mp4Problems.malformed("inconsistent moof (" + e.getClass().getSimpleName() + ")");
        }
    }
}
