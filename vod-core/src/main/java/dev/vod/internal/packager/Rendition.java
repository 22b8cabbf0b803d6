package dev.vod.internal.packager;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.body.Body;
import dev.vod.internal.body.Segment;
import dev.vod.internal.mp4.MediaTrack;
import dev.vod.internal.mp4.Mp4Media;
import dev.vod.internal.mp4.SampleRange;
import java.util.ArrayList;
import java.util.List;

/**
 * One MP4 file cut into segments: its first video track at key frames close to the target duration, its first
 * audio track (if any) at the same instants. Segment {@code i} (0-based here, {@code i + 1} in URLs and
 * {@code mfhd}) holds video samples {@code [videoStarts[i], videoStarts[i+1])} and the audio samples whose
 * decode time falls in the same interval of the presentation timeline — moved by at most a few audio frames to
 * where the file's interleaving puts the key frame, so a segment is one contiguous range of the file.
 *
 * <p>Built once per file snapshot and cached ({@link Packager}); segment bodies are built per request from the
 * sample tables (a few microseconds; media bytes stay file slices). Immutable apart from lazily computed
 * tables, which racing threads compute identically.
 */
public final class Rendition {
    private final Mp4Media media;
    private final MediaTrack video;
    private final MediaTrack audio;
    private final long[] videoStarts;
    private final long[] audioStarts;
    /** Presentation time of each boundary in video ticks; the last is the end of the video. */
    private final long[] times;
    private volatile long[] muxedOffsets;
    private volatile byte[][] inits = new byte[Selection.values().length][];
    private volatile Body virtualFile;
    /** Segment lengths per selection, and of the key-frame fragments, computed once (planning visits samples). */
    private final long[][] lengths = new long[Selection.values().length + 1][];

    private Rendition(Mp4Media media, MediaTrack video, MediaTrack audio, long[] videoStarts, long[] audioStarts,
                      long[] times) {
        this.media = media;
        this.video = video;
        this.audio = audio;
        this.videoStarts = videoStarts;
        this.audioStarts = audioStarts;
        this.times = times;
    }

    /**
     * Plans the segments of {@code media}.
     *
     * @throws HttpProblem 422 when it has no video track, or a track whose codec cannot be described
     */
    static Rendition plan(Mp4Media media, double targetSeconds) {
        MediaTrack video = media.first(MediaTrack.Kind.VIDEO);
        if (video == null) {
            throw new HttpProblem(422, "Unprocessable media: " + media.file().fileName()
                    + " has no video track to package");
        }
        MediaTrack audio = media.first(MediaTrack.Kind.AUDIO);
        for (MediaTrack t : audio == null ? List.of(video) : List.of(video, audio)) {
            if (t.codecs() == null) {
                throw new HttpProblem(422, "Unprocessable media: cannot describe the codec '" + t.format()
                        + "' of track " + t.id() + " in " + media.file().fileName()
                        + " (H.264, H.265, AAC, MP3, AC-3, E-AC-3, Opus and FLAC can be packaged)");
            }
        }
        int keys = media.keyFrameCount(video);
        long[] keyTimes = new long[keys];
        for (int k = 0; k < keys; k++) {
            keyTimes[k] = media.presentationTime(video, media.keyFrameSample(video, k));
        }
        long target = Math.max(1, Math.round(targetSeconds * video.timescale()));
        int[] chosen = SegmentPlanner.boundaries(keyTimes, target);
        int n = chosen.length;
        long[] videoStarts = new long[n + 1];
        long[] times = new long[n + 1];
        for (int i = 0; i < n; i++) {
            videoStarts[i] = i == 0 ? 0 : media.keyFrameSample(video, chosen[i]);
            times[i] = i == 0 ? Math.min(keys == 0 ? 0 : keyTimes[0], media.presentationTime(video, 0))
                    : keyTimes[chosen[i]];
        }
        videoStarts[n] = video.sampleCount();
        times[n] = Math.max(times[n - 1], media.endTime(video));
        long[] audioStarts = null;
        if (audio != null) {
            audioStarts = new long[n + 1];
            for (int i = 1; i < n; i++) {
                long at = rescale(times[i], video.timescale(), audio.timescale());
                long cut = followFileOrder(media, audio, media.sampleAtOrAfter(audio, at),
                        media.sampleOffset(video, videoStarts[i]));
                audioStarts[i] = Math.max(audioStarts[i - 1], cut);
            }
            audioStarts[n] = audio.sampleCount();
        }
        return new Rendition(media, video, audio, videoStarts, audioStarts, times);
    }

    /** Audio samples a cut may move to follow the file's interleaving: about a tenth of a second of AAC. */
    private static final int MAX_AUDIO_SHIFT = 4;

    /**
     * Moves an audio cut by a few samples so that it falls where the file puts the video key frame: muxers
     * interleave by decode time, and with B-frames a key frame is decoded (so stored) before the audio of the
     * last instants before it is shown. Cutting audio where the file does keeps each segment's samples in one
     * contiguous range of the file (one slice, one sendfile). Tracks stored apart are left with the time cut.
     */
    private static long followFileOrder(Mp4Media media, MediaTrack audio, long cut, long keyOffset) {
        long count = audio.sampleCount();
        long moved = cut;
        while (moved > 0 && cut - moved < MAX_AUDIO_SHIFT && media.sampleOffset(audio, moved - 1) > keyOffset) {
            moved--;
        }
        while (moved < count && moved - cut < MAX_AUDIO_SHIFT && media.sampleOffset(audio, moved) < keyOffset) {
            moved++;
        }
        boolean interleavedHere = (moved == 0 || media.sampleOffset(audio, moved - 1) < keyOffset)
                && (moved == count || media.sampleOffset(audio, moved) > keyOffset);
        return interleavedHere ? moved : cut;
    }

    private static long rescale(long value, long from, long to) {
        return from == to ? value : Math.round((double) value * to / from);
    }

    public Mp4Media media() {
        return media;
    }

    public MediaTrack video() {
        return video;
    }

    /** The audio track, or null. */
    public MediaTrack audio() {
        return audio;
    }

    public int segmentCount() {
        return videoStarts.length - 1;
    }

    /** Presentation start of segment {@code i} in seconds. */
    public double startSeconds(int i) {
        return (double) times[i] / video.timescale();
    }

    /** Duration of segment {@code i} in seconds (to the next boundary; the last to the end of the video). */
    public double durationSeconds(int i) {
        return (double) (times[i + 1] - times[i]) / video.timescale();
    }

    /** Presentation time of boundary {@code i} (0..segmentCount) in video ticks. */
    public long boundaryTime(int i) {
        return times[i];
    }

    /** Duration of the whole rendition in seconds. */
    public double durationSeconds() {
        return (double) (times[times.length - 1] - times[0]) / video.timescale();
    }

    /** The track a selection's timeline is counted in (audio for {@link Selection#AUDIO}). */
    public MediaTrack timelineTrack(Selection selection) {
        return selection == Selection.AUDIO ? audio : video;
    }

    /** Whether the rendition has the tracks {@code selection} needs. */
    public boolean has(Selection selection) {
        return selection != Selection.AUDIO || audio != null;
    }

    /** The sample ranges of segment {@code i} for {@code selection}. */
    public List<SampleRange> ranges(int i, Selection selection) {
        List<SampleRange> ranges = new ArrayList<>(2);
        if (selection != Selection.AUDIO) {
            ranges.add(new SampleRange(video, videoStarts[i], videoStarts[i + 1]));
        }
        if (selection != Selection.VIDEO && audio != null) {
            ranges.add(new SampleRange(audio, audioStarts[i], audioStarts[i + 1]));
        }
        return ranges;
    }

    /** First audio sample of segment {@code i} (only with audio). */
    public long audioStart(int i) {
        return audioStarts[i];
    }

    /** The key frame that starts segment {@code i}, alone (trick play). */
    public List<SampleRange> keyFrame(int i) {
        return List.of(new SampleRange(video, videoStarts[i], videoStarts[i] + 1));
    }

    /** Media segment {@code i} for {@code selection}. */
    public Body segment(int i, Selection selection) {
        return media.fragment(i + 1, ranges(i, selection));
    }

    /** Size in bytes of media segment {@code i} for {@code selection}. */
    public long segmentLength(int i, Selection selection) {
        return lengths(selection.ordinal(), selection)[i];
    }

    /** Size in bytes of the fragment holding only the key frame that starts segment {@code i}. */
    public long keyFrameLength(int i) {
        return lengths(Selection.values().length, null)[i];
    }

    private long[] lengths(int slot, Selection selection) {
        long[] table = lengths[slot];
        if (table == null) {
            table = new long[segmentCount()];
            for (int i = 0; i < table.length; i++) {
                table[i] = media.fragmentLength(selection == null ? keyFrame(i) : ranges(i, selection));
            }
            lengths[slot] = table; // racing threads compute equal tables
        }
        return table;
    }

    /** The init segment for {@code selection}, built once. */
    public byte[] init(Selection selection) {
        byte[] init = inits[selection.ordinal()];
        if (init == null) {
            List<MediaTrack> tracks = switch (selection) {
                case MUXED -> audio == null ? List.of(video) : List.of(video, audio);
                case VIDEO -> List.of(video);
                case AUDIO -> List.of(audio);
            };
            init = media.init(tracks);
            inits[selection.ordinal()] = init;
        }
        return init;
    }

    /**
     * Offsets of the muxed segments in the virtual fragmented file: {@code [0]} is the end of the init segment,
     * {@code [i + 1]} the end of segment {@code i}. Computed from sample sizes, without building segments.
     */
    public long[] virtualOffsets() {
        long[] offsets = muxedOffsets;
        if (offsets == null) {
            offsets = new long[segmentCount() + 1];
            offsets[0] = init(Selection.MUXED).length;
            for (int i = 0; i < segmentCount(); i++) {
                offsets[i + 1] = offsets[i] + segmentLength(i, Selection.MUXED);
            }
            muxedOffsets = offsets;
        }
        return offsets;
    }

    /**
     * The whole virtual fragmented MP4: the muxed init segment and every muxed segment, in order. Fragment
     * headers are generated when (and only as far as) a response sends them, so a Range request into a long
     * film builds the one fragment header it touches.
     */
    public Body virtualFile() {
        Body body = virtualFile;
        if (body == null) {
            List<Segment> segments = new ArrayList<>();
            segments.add(new Segment.Bytes(init(Selection.MUXED)));
            for (int i = 0; i < segmentCount(); i++) {
                Body fragment = segment(i, Selection.MUXED);
                List<Segment> parts = fragment.segments();
                int index = i;
                long headerLength = parts.get(0).length();
                segments.add(new Segment.Generated(headerLength, (from, dst, offset, count) -> {
                    byte[] header = ((Segment.Bytes) segment(index, Selection.MUXED).segments().get(0)).data();
                    System.arraycopy(header, (int) from, dst, offset, count);
                }));
                segments.addAll(parts.subList(1, parts.size()));
            }
            body = Body.of(segments);
            virtualFile = body;
        }
        return body;
    }

    /**
     * The source file's own layout as this rendition's segments, when it is a fragmented MP4 whose fragments
     * are exactly the segments (one moof + mdat each, starting at every boundary): {@code [0]} = 0, {@code [1]}
     * the end of its init part (ftyp + moov), then the end of each segment; null when the fragments do not fit
     * (a progressive file, fragments shorter or longer than the segments, other boxes between them).
     */
    public long[] sourceLayout() {
        long initEnd = media.sourceFragmentsStart();
        if (initEnd < 0) {
            return null;
        }
        long[] ends = new long[segmentCount() + 2];
        ends[1] = initEnd;
        for (int i = 0; i <= segmentCount(); i++) {
            long at = media.sourceFragmentStart(video, videoStarts[i]);
            if (at < 0 || (i == 0 && at != initEnd) || (i > 0 && media.sourceFragmentsIn(ends[i], at) != 1)) {
                return null;
            }
            ends[i + 1] = at;
        }
        return ends;
    }

    /** Memory this plan holds besides the media's own tables, for the cache's budget (virtual file included). */
    long weight() {
        return 1024 + media.weight() + segmentCount() * (64L + 4 * 8 + 3 * 40);
    }
}
