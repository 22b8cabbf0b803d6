package dev.vod.internal.rtsp;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.content.RequestPath;

/**
 * A request-URI of this server, split into the content path it names and the track, if any: {@code
 * rtsp://host:8554/films/a.mp4/trackID=2} is {@code /films/a.mp4}, track 2. The path goes through the same
 * decoding as HTTP ({@link RequestPath#parse}); a trailing slash is dropped (clients resolve the SDP's relative
 * control URLs against {@code Content-Base: …/a.mp4/}, and some send that base back as the aggregate URL).
 *
 * <p>Relative URIs ({@code movie.Mjpeg}, as the seed's student client sends) are taken from the root.
 *
 * @param path  the content path
 * @param track the {@code trackID=N} number, or -1 for the whole presentation
 */
public record RtspTarget(RequestPath path, int track) {
    /** The control attribute prefix of a track, as DESCRIBE writes it in the SDP. */
    static final String TRACK_PREFIX = "trackID=";

    /** @throws HttpProblem 400 for a URI that is not a path of this server, or a malformed one */
    public static RtspTarget parse(String uri) {
        if (uri == null || uri.isEmpty() || uri.equals("*")) {
            throw HttpProblem.badRequest("Request-URI must name a file");
        }
        String path = uri;
        int scheme = uri.indexOf("://");
        if (scheme >= 0) {
            String name = uri.substring(0, scheme);
            if (!name.equalsIgnoreCase("rtsp") && !name.equalsIgnoreCase("rtspu")) {
                throw HttpProblem.badRequest("Request-URI must be an rtsp:// URL");
            }
            int slash = uri.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : uri.substring(slash);
        } else if (!path.startsWith("/")) {
            path = "/" + path;
        }
        int query = indexOfAny(path, '?', '#');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        int track = -1;
        int lastSlash = path.lastIndexOf('/');
        String last = path.substring(lastSlash + 1);
        if (last.regionMatches(true, 0, TRACK_PREFIX, 0, TRACK_PREFIX.length())) {
            try {
                track = Integer.parseInt(last.substring(TRACK_PREFIX.length()));
            } catch (NumberFormatException e) {
                throw HttpProblem.badRequest("Malformed track in Request-URI: " + last);
            }
            if (track < 1 || track > 64) {
                throw new HttpProblem(404, "No such track: " + last);
            }
            path = path.substring(0, lastSlash);
        }
        RequestPath parsed = RequestPath.parse(path.isEmpty() ? "/" : path);
        return new RtspTarget(new RequestPath(parsed.segments(), parsed.segments().isEmpty()), track);
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /** The same presentation without the track. */
    public RtspTarget aggregate() {
        return track < 0 ? this : new RtspTarget(path, -1);
    }
}
