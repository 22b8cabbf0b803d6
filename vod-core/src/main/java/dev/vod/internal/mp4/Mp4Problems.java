package dev.vod.internal.mp4;

import dev.vod.internal.HttpProblem;

/**
 * The {@link HttpProblem}s this package raises, in one place so status codes stay consistent.
 *
 * <ul>
 *   <li>400: a bad {@code start}/{@code end}/{@code exact} parameter;
 *   <li>416: {@code start} at or after the end of the media;
 *   <li>422: a file that claims to be MP4 but is malformed, truncated, hostile or uses a feature we do not
 *       rewrite ("Unprocessable media: ...");
 *   <li>500: a {@code moov} larger than the configured limit — the file may be fine, the server refuses the work
 *       (as nginx's {@code mp4_max_buffer_size} does).
 * </ul>
 */
final class Mp4Problems {
    static final int UNPROCESSABLE = 422;

    private Mp4Problems() {
    }

    static HttpProblem malformed(String reason) {
        return new HttpProblem(UNPROCESSABLE, "Unprocessable media: " + reason);
    }

    static HttpProblem startOutOfRange(double start, double durationSeconds) {
        return new HttpProblem(416, "start " + start + " s is at or after the end of the media ("
                + durationSeconds + " s)");
    }

    static HttpProblem moovTooLarge(long size, long limit) {
        return new HttpProblem(500, "MP4 index (moov) of " + size + " bytes exceeds the server limit of "
                + limit + " bytes");
    }
}
