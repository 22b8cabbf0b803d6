package dev.vod.internal.mp4;

import dev.vod.internal.body.Body;
import dev.vod.internal.body.SourceFile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An MP4 file seen as tracks of samples, for packaging it into segments (HLS, DASH, a virtual fragmented MP4):
 * track descriptions (codecs, size, frame rate), key frames and times, and the two writers — the init segment and
 * media fragments whose samples are slices of the file. Progressive, moov-at-end and fragmented files all look
 * the same here. Obtained from {@link Mp4Service#media}; immutable and thread-safe.
 *
 * <p>Times: "presentation" times are on the movie's timeline, in the track's timescale: composition time minus
 * the edit list's first media time, plus its leading empty edit, so every track of a file shares one timeline
 * starting near 0. Decode times in fragments stay the source's (the init segment carries the edit list).
 */
public final class Mp4Media {
    private final SourceFile file;
    private final Movie movie;
    private final List<MediaTrack> tracks;
    private final Track[] sources;
    private final SampleView[] views;
    private final long weight;
    /** For a fragmented file of init + moof/mdat pairs only: where the pairs start and end; else -1. */
    private long fragmentsStart = -1;
    private long fragmentsEnd = -1;
    private long[] moofOffsets = new long[0];

    private Mp4Media(SourceFile file, Movie movie, List<Track> sourceTracks, List<SampleView> sampleViews) {
        this.file = file;
        this.movie = movie;
        this.sources = sourceTracks.toArray(new Track[0]);
        this.views = sampleViews.toArray(new SampleView[0]);
        List<MediaTrack> described = new ArrayList<>();
        long w = 512;
        for (int i = 0; i < sources.length; i++) {
            described.add(describe(i, sources[i], views[i]));
            if (views[i] instanceof FragmentedSamples f) {
                w += f.weight();
            }
        }
        this.tracks = List.copyOf(described);
        this.weight = w;
    }

    static Mp4Media of(SourceFile file, Mp4Index.Parsed index, java.nio.channels.FileChannel channel,
                      long maxMoovBytes) {
        Movie movie = index.movie();
        List<Track> kept = new ArrayList<>();
        List<SampleView> views = new ArrayList<>();
        for (Track track : movie.tracks()) {
            SampleView view = index.fragmented()
                    ? FragmentedSamples.read(channel, index.topLevel(), movie, track.trackId, file.size(), maxMoovBytes)
                    : new ProgressiveSamples(track);
            if (view.count() > 0) {
                kept.add(track);
                views.add(view);
            }
        }
        Mp4Media media = new Mp4Media(file, movie, kept, views);
        if (index.fragmented()) {
            media.findFragmentRun(index.topLevel());
        }
        return media;
    }

    /** Notes where the moof/mdat pairs lie when nothing else stands between them (an mfra may follow). */
    private void findFragmentRun(List<BoxHeader> top) {
        long start = -1;
        long end = -1;
        List<Long> moofs = new ArrayList<>();
        for (int i = 0; i < top.size(); i++) {
            BoxHeader box = top.get(i);
            if (box.type() == BoxTypes.MOOF) {
                moofs.add(box.offset());
                if (end >= 0 && box.offset() != end) {
                    return;
                }
                if (i + 1 >= top.size() || top.get(i + 1).type() != BoxTypes.MDAT) {
                    return;
                }
                start = start < 0 ? box.offset() : start;
                end = top.get(i + 1).end();
                i++;
            } else if (start >= 0 && box.type() == BoxTypes.MDAT) {
                return;
            }
        }
        fragmentsStart = start;
        fragmentsEnd = end;
        moofOffsets = moofs.stream().mapToLong(Long::longValue).toArray();
    }

    /** How many of the source's moof boxes start in {@code [from, to)} (0 for a progressive file). */
    public int sourceFragmentsIn(long from, long to) {
        int a = java.util.Arrays.binarySearch(moofOffsets, from);
        int b = java.util.Arrays.binarySearch(moofOffsets, to);
        return (b < 0 ? -b - 1 : b) - (a < 0 ? -a - 1 : a);
    }

    /**
     * Where the source's own fragment holding {@code track}'s sample {@code sample} first begins, when the file is
     * fragmented as init + moof/mdat pairs and such a fragment starts with that sample; else -1. Lets a manifest
     * point at the source's fragments instead of repackaged ones.
     */
    public long sourceFragmentStart(MediaTrack track, long sample) {
        if (fragmentsStart < 0 || !(views[track.index()] instanceof FragmentedSamples f)) {
            return -1;
        }
        if (sample == track.sampleCount()) {
            return fragmentsEnd;
        }
        return f.moofStarting(sample);
    }

    /** End of the source's init part (its first moof), or -1 when it is not a plain fragmented layout. */
    public long sourceFragmentsStart() {
        return fragmentsStart;
    }

    private MediaTrack describe(int index, Track track, SampleView view) {
        MediaTrack.Kind kind = track.isVideo() ? MediaTrack.Kind.VIDEO
                : track.handler == BoxTypes.SOUN ? MediaTrack.Kind.AUDIO : MediaTrack.Kind.OTHER;
        SampleEntries.Info info = kind == MediaTrack.Kind.OTHER
                ? new SampleEntries.Info("", null, 0, 0, 0, 0) : SampleEntries.of(track);
        long duration = view.decodeTime(view.count()) - view.decodeTime(0);
        double fps = kind == MediaTrack.Kind.VIDEO && duration > 0
                ? Math.round(view.count() * (double) track.timescale / duration * 1000) / 1000.0 : 0;
        return new MediaTrack(index, track.trackId, kind, track.timescale, info.format(), info.codecs(),
                info.width(), info.height(), fps, info.channels(), info.sampleRate(), language(track),
                view.count(), view.bytes(0, view.count()), duration);
    }

    private static String language(Track track) {
        ByteBuffer b = track.buffer;
        int at = (int) track.mdhd.payloadOffset() + (MoovParser.version(b, track.mdhd) == 1 ? 32 : 20);
        if (at + 2 > track.mdhd.end()) {
            return "und";
        }
        int packed = b.getShort(at) & 0x7fff;
        if (packed == 0 || packed == 0x7fff) {
            return "und";
        }
        char[] code = {(char) (((packed >> 10) & 31) + 0x60), (char) (((packed >> 5) & 31) + 0x60),
                (char) ((packed & 31) + 0x60)};
        for (char c : code) {
            if (c < 'a' || c > 'z') {
                return "und";
            }
        }
        return new String(code);
    }

    /** The file this describes. */
    public SourceFile file() {
        return file;
    }

    /** Tracks that hold samples, in file order. */
    public List<MediaTrack> tracks() {
        return tracks;
    }

    /** The first track of this kind, or null. */
    public MediaTrack first(MediaTrack.Kind kind) {
        for (MediaTrack t : tracks) {
            if (t.kind() == kind) {
                return t;
            }
        }
        return null;
    }

    /** Memory held beyond the cached moov (per-sample arrays of fragmented files), for cache budgets. */
    public long weight() {
        return weight;
    }

    public int keyFrameCount(MediaTrack track) {
        return views[track.index()].syncCount();
    }

    public long keyFrameSample(MediaTrack track, int index) {
        return views[track.index()].syncSample(index);
    }

    /** Presentation time of {@code sample} (see the class comment), in the track's timescale. */
    public long presentationTime(MediaTrack track, long sample) {
        SampleView view = views[track.index()];
        long media = sample >= view.count() ? view.decodeTime(view.count())
                : view.decodeTime(sample) + view.compositionOffset(sample);
        return media - editShift(track);
    }

    /** The first sample whose decode time, on the presentation timeline, is at or after {@code time}. */
    public long sampleAtOrAfter(MediaTrack track, long time) {
        return views[track.index()].firstAtOrAfter(time + editShift(track));
    }

    /** Presentation end of the track: the end of its last sample on the presentation timeline. */
    public long endTime(MediaTrack track) {
        SampleView view = views[track.index()];
        long count = view.count();
        long end = view.decodeTime(count);
        // With B-frames the last sample shown is among the last few decoded: the end is the latest of theirs.
        for (long s = Math.max(0, count - 16); s < count; s++) {
            end = Math.max(end, view.decodeTime(s + 1) + view.compositionOffset(s));
        }
        return end - editShift(track);
    }

    /** File offset of the data of {@code track}'s {@code sample}. */
    public long sampleOffset(MediaTrack track, long sample) {
        return views[track.index()].offset(sample);
    }

    /** Total size of samples {@code [from, to)} of {@code track}. */
    public long bytes(MediaTrack track, long from, long to) {
        return views[track.index()].bytes(from, to);
    }

    /** Decode time of {@code sample} as the fragment's {@code tfdt} states it (source media time). */
    public long decodeTime(MediaTrack track, long sample) {
        return views[track.index()].decodeTime(sample);
    }

    /**
     * The codec configuration record RTP payload formats describe in SDP: {@code avcC}/{@code hvcC} payload or
     * the AAC AudioSpecificConfig; null when the track has none (a copy; callers may keep it).
     */
    public byte[] decoderConfig(MediaTrack track) {
        return SampleEntries.decoderConfig(sources[track.index()]);
    }

    /** Visits {@code track}'s samples {@code [from, to)} in decode order, with source decode-time durations. */
    public void samples(MediaTrack track, long from, long to, SampleVisitor visitor) {
        views[track.index()].visit(from, to, visitor::sample);
    }

    /** Media time minus presentation time: subtract it from a sample's composition time to place it. */
    public long presentationShift(MediaTrack track) {
        return editShift(track);
    }

    /** Media time minus presentation time: the edit's first media time less its leading empty edit. */
    private long editShift(MediaTrack track) {
        Track source = sources[track.index()];
        long delay = Timescales.rescale(source.edits.emptyDelay(), movie.timescale(), source.timescale);
        return source.edits.mediaStart() - delay;
    }

    /** The init segment (ftyp + moov with mvex) for these tracks, in this order. */
    public byte[] init(List<MediaTrack> selected) {
        List<Track> chosen = new ArrayList<>();
        long[] durations = new long[selected.size()];
        long duration = 0;
        for (int i = 0; i < selected.size(); i++) {
            MediaTrack t = selected.get(i);
            chosen.add(sources[t.index()]);
            durations[i] = t.duration(); // the samples' durations: players add the track's start time to it
            duration = Math.max(duration, Timescales.rescale(durations[i], t.timescale(), movie.timescale()));
        }
        return FragmentWriter.init(movie, chosen, durations, duration);
    }

    /** The media fragment {@code moof + mdat} holding these ranges, with sequence number {@code sequence}. */
    public Body fragment(int sequence, List<SampleRange> ranges) {
        return FragmentWriter.fragment(file, sequence, runs(ranges));
    }

    /** The length of {@link #fragment} for these ranges, without writing it. */
    public long fragmentLength(List<SampleRange> ranges) {
        return FragmentWriter.length(runs(ranges));
    }

    private List<FragmentWriter.Run> runs(List<SampleRange> ranges) {
        List<FragmentWriter.Run> runs = new ArrayList<>(ranges.size());
        for (SampleRange r : ranges) {
            int i = r.track().index();
            if (tracks.get(i) != r.track()) {
                throw new IllegalArgumentException("track of another file: " + r.track());
            }
            runs.add(new FragmentWriter.Run(sources[i], views[i], r.from(), r.to()));
        }
        return runs;
    }
}
