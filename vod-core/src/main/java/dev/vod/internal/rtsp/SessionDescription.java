package dev.vod.internal.rtsp;

import java.util.Locale;

/**
 * The SDP (RFC 8866) a DESCRIBE answers with: one {@code m=} section per stream, each with its payload format's
 * {@code rtpmap}/{@code fmtp} and a relative {@code a=control:trackID=N} that clients resolve against the reply's
 * {@code Content-Base}. For example:
 *
 * <pre>
 * v=0
 * o=- 1733100000 1733100000 IN IP4 127.0.0.1
 * s=sample.mp4
 * c=IN IP4 0.0.0.0
 * t=0 0
 * a=tool:vod
 * a=control:*
 * a=range:npt=0-10.000
 * m=video 0 RTP/AVP 96
 * a=rtpmap:96 H264/90000
 * a=fmtp:96 packetization-mode=1;profile-level-id=64001f;sprop-parameter-sets=Z2QAH6zZQFAFuwEQAAADABAAAAMDIPGDGWA=,aOvjyyLA
 * a=framerate:25
 * a=control:trackID=1
 * </pre>
 */
final class SessionDescription {
    private SessionDescription() {
    }

    static String of(Presentation presentation, String serverAddress, long version) {
        String ipVersion = serverAddress.contains(":") ? "IP6" : "IP4";
        StringBuilder sdp = new StringBuilder(512);
        line(sdp, "v=0");
        line(sdp, "o=- " + version + " " + version + " IN " + ipVersion + " " + serverAddress);
        line(sdp, "s=" + sanitize(presentation.file().fileName()));
        line(sdp, "c=IN " + ipVersion + (ipVersion.equals("IP6") ? " ::" : " 0.0.0.0"));
        line(sdp, "t=0 0");
        line(sdp, "a=tool:vod");
        line(sdp, "a=control:*");
        line(sdp, "a=range:npt=0-" + String.format(Locale.ROOT, "%.3f", presentation.duration()));
        for (StreamTrack track : presentation.tracks()) {
            int pt = track.format().payloadType();
            line(sdp, "m=" + track.media() + " 0 RTP/AVP " + pt);
            line(sdp, "a=rtpmap:" + track.format().rtpmap());
            String fmtp = track.format().fmtp();
            if (fmtp != null) {
                line(sdp, "a=fmtp:" + fmtp);
            }
            if (track.frameRate() > 0) {
                line(sdp, "a=framerate:" + trim(track.frameRate()));
            }
            if (track.width() > 0 && track.height() > 0) {
                line(sdp, "a=x-dimensions:" + track.width() + "," + track.height());
            }
            line(sdp, "a=control:" + RtspTarget.TRACK_PREFIX + track.number());
        }
        return sdp.toString();
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3f", value);
    }

    /** A file name is the client's business, but not a line break in our SDP. */
    private static String sanitize(String name) {
        String clean = name.replaceAll("[\\p{Cntrl}]", "_");
        return clean.isEmpty() ? "vod" : clean;
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append("\r\n");
    }
}
