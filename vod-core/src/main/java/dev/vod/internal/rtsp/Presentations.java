package dev.vod.internal.rtsp;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.body.SourceFile;
import dev.vod.internal.content.ContentResolver;
import dev.vod.internal.content.MimeTypes;
import dev.vod.internal.content.RequestPath;
import dev.vod.internal.content.Resolved;
import dev.vod.internal.mp4.Mp4Service;
import dev.vod.internal.rtp.MjpegIndex;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the presentation a request path names, through the same resolver and access policy as HTTP (403 for
 * confidential paths, dotfiles and deny globs; 404 for missing files and directories), and keeps the recent ones:
 * the MP4 index is cached by {@link Mp4Service} already, but the payload formats and MJPEG frame tables are built
 * here once per file version (a replaced file is a new {@link SourceFile}, so a new entry).
 */
final class Presentations {
    private static final int CACHED = 64;

    private final ContentResolver resolver;
    private final Mp4Service mp4;
    private final double mjpegFrameRate;
    private final Map<SourceFile, Presentation> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SourceFile, Presentation> eldest) {
            return size() > CACHED;
        }
    };

    Presentations(ContentResolver resolver, Mp4Service mp4, double mjpegFrameRate) {
        this.resolver = resolver;
        this.mp4 = mp4;
        this.mjpegFrameRate = mjpegFrameRate;
    }

    /** @throws HttpProblem 403, 404 or 415 (a file that is neither MP4 nor MJPEG), 422/500 for a broken MP4 */
    Presentation open(RequestPath path) {
        Resolved resolved = resolver.resolve(path);
        if (!(resolved instanceof Resolved.File found)) {
            throw new HttpProblem(404, "Not Found: a directory is not a stream");
        }
        SourceFile file = found.file();
        synchronized (recent) {
            Presentation cached = recent.get(file);
            if (cached != null) {
                return cached;
            }
        }
        Presentation opened = load(file);
        synchronized (recent) {
            recent.put(file, opened);
        }
        return opened;
    }

    private Presentation load(SourceFile file) {
        String name = file.fileName().toLowerCase(Locale.ROOT);
        if (name.endsWith(".mjpeg") || name.endsWith(".mjpg")) {
            try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
                return new MjpegPresentation(file, MjpegIndex.read(channel, file.size()), mjpegFrameRate);
            } catch (IOException e) {
                throw new HttpProblem(404, "Not Found");
            }
        }
        if (MimeTypes.isMp4Name(name) || mp4.isMp4(file)) {
            return new Mp4Presentation(mp4.media(file));
        }
        throw new HttpProblem(415, "Only MP4 (H.264, H.265, AAC) and MJPEG files are streamed over RTSP");
    }
}
