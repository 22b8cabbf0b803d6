package dev.vod.internal.packager;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.body.SourceFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a subtitle playlist needs of a WebVTT file: when its last cue ends. */
public final class Subtitles {
    /** Larger WebVTT files are not read (a film's subtitles are a few hundred KiB). */
    static final int MAX_BYTES = 4 * 1024 * 1024;
    private static final Pattern CUE_END = Pattern.compile("-->[ \\t]*(?:(\\d{1,3}):)?(\\d{1,2}):(\\d{2})[.,](\\d{3})");

    private Subtitles() {
    }

    /** The end of the last cue in seconds (at least 1). */
    public static double endSeconds(SourceFile file) {
        if (file.size() > MAX_BYTES) {
            throw new HttpProblem(422, "Unprocessable media: " + file.fileName() + " is larger than "
                    + MAX_BYTES + " bytes");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) file.size());
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            while (bytes.hasRemaining() && channel.read(bytes) > 0) {
                // read it all
            }
        } catch (IOException e) {
            throw HttpProblem.notFound();
        }
        Matcher m = CUE_END.matcher(new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8));
        double end = 1;
        while (m.find()) {
            double hours = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
            end = Math.max(end, hours * 3600 + Integer.parseInt(m.group(2)) * 60 + Integer.parseInt(m.group(3))
                    + Integer.parseInt(m.group(4)) / 1000.0);
        }
        return end;
    }
}
