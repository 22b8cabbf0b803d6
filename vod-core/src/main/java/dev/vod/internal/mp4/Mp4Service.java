package dev.vod.internal.mp4;

import dev.vod.internal.body.Representation;
import dev.vod.internal.body.SourceFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Placeholder until the MP4 package lands: no seeking, files are served as they are. */
public final class Mp4Service {
    public Mp4Service(long maxMoovBytes, int cacheEntries) {
    }

    public static Optional<SeekRequest> seekRequest(Map<String, List<String>> queryParams) {
        return Optional.empty();
    }

    public Representation seek(SourceFile file, String contentType, SeekRequest request) {
        throw new dev.vod.internal.HttpProblem(501, "MP4 seeking is not available yet");
    }

    public Optional<Representation> faststart(SourceFile file, String contentType) {
        return Optional.empty();
    }

    public OptionalLong averageBitrate(SourceFile file) {
        return OptionalLong.empty();
    }
}
