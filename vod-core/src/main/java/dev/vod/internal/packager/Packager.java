package dev.vod.internal.packager;

import dev.vod.PackagingSettings;
import dev.vod.internal.HttpProblem;
import dev.vod.internal.body.SourceFile;
import dev.vod.internal.mp4.Mp4Media;
import dev.vod.internal.mp4.Mp4Service;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packager: turns MP4 files into {@link Rendition}s (segment tables over the MP4 index) and groups them into
 * {@link Title}s. Manifests (HLS, DASH, manifest.txt) are views of these written elsewhere; segment bodies come
 * from {@link Rendition#segment}.
 *
 * <p>Renditions are cached by file snapshot (path, size, mtime) in an LRU bounded in bytes, over the MP4 index
 * cache of {@link Mp4Service}: a cold title parses each moov once, and a changed file is planned afresh. Two
 * threads missing on one file at once may both plan it; the results are equal and one is kept. Thread-safe.
 */
public final class Packager {
    private static final Logger LOG = LoggerFactory.getLogger("vod.packager");
    /** Budget of the rendition cache: segment tables and fragmented files' sample arrays. */
    static final long CACHE_BYTES = 64L * 1024 * 1024;

    private final Mp4Service mp4;
    private final PackagingSettings settings;
    private final LinkedHashMap<SourceFile, Rendition> renditions = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;
    private final Set<List<SourceFile>> warnedMisaligned = ConcurrentHashMap.newKeySet();
    private final SegmentCache segments = new SegmentCache(SegmentCache.DEFAULT_BYTES);

    public Packager(Mp4Service mp4, PackagingSettings settings) {
        this.mp4 = mp4;
        this.settings = settings;
    }

    public PackagingSettings settings() {
        return settings;
    }

    /**
     * The segments of {@code file}.
     *
     * @throws HttpProblem 404 not an MP4; 422 no video, an undescribable codec or a corrupt file; 500 moov too large
     */
    public Rendition rendition(SourceFile file) {
        synchronized (this) {
            Rendition cached = renditions.get(file);
            if (cached != null) {
                return cached;
            }
        }
        Mp4Media media = mp4.media(file);
        Rendition planned = Rendition.plan(media, settings.segmentSeconds());
        synchronized (this) {
            Rendition raced = renditions.get(file);
            if (raced != null) {
                return raced;
            }
            renditions.put(file, planned);
            cachedBytes += planned.weight();
            Iterator<Map.Entry<SourceFile, Rendition>> eldest = renditions.entrySet().iterator();
            while (cachedBytes > CACHE_BYTES && renditions.size() > 1 && eldest.hasNext()) {
                cachedBytes -= eldest.next().getValue().weight();
                eldest.remove();
            }
        }
        return planned;
    }

    /** Media segment {@code index} of {@code rendition} for {@code selection}, cached (see {@link SegmentCache}). */
    public dev.vod.internal.body.Body segment(Rendition rendition, int index, Selection selection) {
        return segments.get(rendition, selection, index, () -> rendition.segment(index, selection));
    }

    /** A candidate rendition of a title: its file and the URL folder of its derived resources. */
    public record Candidate(SourceFile file, String base) {
    }

    /**
     * The title made of these MP4 files. In a folder, files without a video track are left out (an audio-only
     * file is not a rendition); any other problem with a file fails the title, naming it. A single file is its
     * own title: without video it is unprocessable (422).
     *
     * @param folder whether the files are a folder's (else one file is its own title)
     * @throws HttpProblem 404 when no file of a folder has video; 422/500 as {@link #rendition}
     */
    public Title title(String name, List<Candidate> files, List<Title.Subtitle> subtitles, boolean folder) {
        List<Title.Entry> entries = new ArrayList<>();
        HttpProblem noVideo = null;
        for (Candidate c : files) {
            try {
                entries.add(new Title.Entry(c.file().fileName(), c.base(), rendition(c.file())));
            } catch (HttpProblem p) {
                if (p.status() == 422 && p.getMessage().contains("has no video track") && folder) {
                    noVideo = p;
                    continue;
                }
                if (p.status() == 404 && folder) {
                    continue; // a file named .mp4 that is not one
                }
                throw p;
            }
        }
        if (entries.isEmpty()) {
            throw noVideo != null ? new HttpProblem(404, "not a title: no MP4 with video in " + name)
                    : new HttpProblem(404, "not a title: " + name);
        }
        entries.sort(Comparator.comparingLong((Title.Entry e) -> e.rendition().video().averageBitrate()
                        + (e.rendition().audio() == null ? 0 : e.rendition().audio().averageBitrate()))
                .thenComparing(Title.Entry::fileName));
        boolean aligned = aligned(entries);
        if (!aligned) {
            List<SourceFile> key = files.stream().map(Candidate::file).toList();
            if (warnedMisaligned.add(key) && warnedMisaligned.size() < 10_000) {
                LOG.warn("Renditions of title {} have key frames at different times: segment boundaries differ, "
                        + "players may stall when they switch quality ({})", name,
                        entries.stream().map(e -> e.fileName() + ": " + e.rendition().segmentCount() + " segments")
                                .toList());
            }
        }
        return new Title(name, List.copyOf(entries), List.copyOf(subtitles), aligned);
    }

    /** Same boundaries in every rendition, to within half a frame of the slowest frame rate. */
    static boolean aligned(List<Title.Entry> entries) {
        Rendition first = entries.get(0).rendition();
        for (Title.Entry e : entries) {
            Rendition r = e.rendition();
            if (r.segmentCount() != first.segmentCount()) {
                return false;
            }
            double fps = Math.min(first.video().frameRate(), r.video().frameRate());
            double tolerance = fps > 0 ? 0.5 / fps : 0.02;
            for (int i = 1; i < r.segmentCount(); i++) {
                if (Math.abs(r.startSeconds(i) - first.startSeconds(i)) > tolerance) {
                    return false;
                }
            }
        }
        return true;
    }
}
