package dev.vod.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parts of a DESCRIBE answer (RFC 2326 §C, RFC 4566) that {@link RtspLoad} needs: the session's aggregate
 * control URL and, for each {@code m=} section, its control URL and RTP clock rate. Pure: no I/O.
 *
 * <pre>
 * a=control:*                          → aggregate control = the base URL
 * m=video 0 RTP/AVP 96
 * a=rtpmap:96 H264/90000               → clock rate 90000
 * a=control:trackID=0                  → rtsp://host/film.mp4/trackID=0 (relative to the base)
 * </pre>
 *
 * <p>Relative control URLs are appended to the base with one {@code /} between them, as ffmpeg and live555 do
 * (not RFC 3986 resolution, which would drop the base's last segment: servers write them expecting the former).
 */
record RtspSdp(String aggregateControl, List<Track> tracks) {

    /** One media section: its resolved control URL, media type, first payload type and that type's clock rate. */
    record Track(String control, String media, int payloadType, int clockRate) {}

    /** Parses {@code sdp}, resolving control URLs against {@code base} (Content-Base, else the request URL). */
    static RtspSdp parse(String sdp, String base) {
        String aggregate = base;
        List<Track> tracks = new ArrayList<>();
        String media = null;
        String control = null;
        int payloadType = -1;
        int clockRate = -1;
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                if (media != null) {
                    tracks.add(track(base, media, control, payloadType, clockRate));
                }
                String[] f = line.substring(2).split(" +");
                media = f[0];
                payloadType = f.length > 3 ? Integer.parseInt(f[3]) : -1;
                clockRate = staticClockRate(payloadType);
                control = null;
            } else if (line.startsWith("a=control:")) {
                String value = line.substring("a=control:".length()).trim();
                if (media == null) {
                    aggregate = resolve(base, value);
                } else {
                    control = value;
                }
            } else if (line.startsWith("a=rtpmap:") && media != null) {
                // a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]
                String[] f = line.substring("a=rtpmap:".length()).trim().split("[ /]+");
                if (f.length >= 3 && Integer.parseInt(f[0]) == payloadType) {
                    clockRate = Integer.parseInt(f[2]);
                }
            }
        }
        if (media != null) {
            tracks.add(track(base, media, control, payloadType, clockRate));
        }
        return new RtspSdp(aggregate, List.copyOf(tracks));
    }

    /** {@code control} relative to {@code base}: absolute URLs as they are, {@code *} the base itself. */
    static String resolve(String base, String control) {
        if (control == null || control.isEmpty() || control.equals("*")) {
            return base;
        }
        if (control.toLowerCase(Locale.ROOT).startsWith("rtsp://")) {
            return control;
        }
        return base.endsWith("/") ? base + control : base + "/" + control;
    }

    private static Track track(String base, String media, String control, int payloadType, int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("no clock rate for payload type " + payloadType + " of " + media);
        }
        return new Track(resolve(base, control), media, payloadType, clockRate);
    }

    /** Clock rates of the static payload types of RFC 3551 that a VOD server might send without an rtpmap. */
    private static int staticClockRate(int payloadType) {
        return switch (payloadType) {
            case 0, 3, 4, 5, 8, 9, 18 -> 8000;
            case 10, 11 -> 44100;
            case 14, 26, 31, 32, 33, 34 -> 90000;
            default -> -1;
        };
    }
}
