package dev.vod;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the RTSP 1.0 server (RFC 2326) that serves the same content folder as RTP streams: MP4 files (H.264,
 * H.265, AAC) and MJPEG files, over UDP or interleaved on the RTSP connection. Off unless set:
 *
 * <pre>
 * VodConfig.builder().root(media).rtsp(RtspSettings.onPort(8554)).build();
 * </pre>
 *
 * See {@code docs/rtsp.md}.
 *
 * @param enabled        whether {@link VodServer#start()} binds the RTSP port
 * @param host           address to bind, or null for the HTTP server's host
 * @param port           TCP port for RTSP; 0 picks a free one ({@link VodServer#rtspAddress()} tells which)
 * @param rtpPortMin     first UDP port for the server's side of RTP/RTCP pairs (even)
 * @param rtpPortMax     last UDP port of that range, inclusive
 * @param sessionTimeout a session with no RTSP request, RTCP report or open connection for this long is ended
 * @param maxSessions    sessions beyond this many are refused with {@code 453 Not Enough Bandwidth}
 * @param mjpegFrameRate frames per second of MJPEG files, which carry no timing of their own
 */
public record RtspSettings(boolean enabled, String host, int port, int rtpPortMin, int rtpPortMax,
                           Duration sessionTimeout, int maxSessions, double mjpegFrameRate) {
    /** RTSP off; when turned on: port 8554, UDP 30000-30999, 60 s sessions, at most 500 of them, MJPEG at 24 fps. */
    public static final RtspSettings OFF =
            new RtspSettings(false, null, 8554, 30000, 30999, Duration.ofSeconds(60), 500, 24);

    public RtspSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("RTSP port must be 0-65535: " + port);
        }
        if (rtpPortMin < 1024 || rtpPortMax > 65535 || rtpPortMax < rtpPortMin + 1) {
            throw new IllegalArgumentException("RTP port range must be A-B with 1024 <= A < B <= 65535: "
                    + rtpPortMin + "-" + rtpPortMax);
        }
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        if (sessionTimeout.toMillis() < 1000 || sessionTimeout.toSeconds() > 86400) {
            throw new IllegalArgumentException("RTSP session timeout must be 1 s to 1 day: " + sessionTimeout);
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("RTSP max sessions must be at least 1: " + maxSessions);
        }
        if (!(mjpegFrameRate >= 1 && mjpegFrameRate <= 120)) {
            throw new IllegalArgumentException("MJPEG frame rate must be 1-120: " + mjpegFrameRate);
        }
    }

    /** RTSP on {@code port} (0 for a free one) with every other setting at its default. */
    public static RtspSettings onPort(int port) {
        return OFF.withPort(port);
    }

    /** These settings, turned on, at {@code port}. */
    public RtspSettings withPort(int port) {
        return new RtspSettings(true, host, port, rtpPortMin, rtpPortMax, sessionTimeout, maxSessions, mjpegFrameRate);
    }

    /** These settings binding {@code host} (null: the HTTP host). */
    public RtspSettings withHost(String host) {
        return new RtspSettings(enabled, host, port, rtpPortMin, rtpPortMax, sessionTimeout, maxSessions,
                mjpegFrameRate);
    }

    /** These settings with the server's RTP/RTCP ports taken from {@code [min, max]}. */
    public RtspSettings withRtpPorts(int min, int max) {
        return new RtspSettings(enabled, host, port, min, max, sessionTimeout, maxSessions, mjpegFrameRate);
    }

    /** These settings with another session timeout. */
    public RtspSettings withSessionTimeout(Duration timeout) {
        return new RtspSettings(enabled, host, port, rtpPortMin, rtpPortMax, timeout, maxSessions, mjpegFrameRate);
    }

    /** These settings with another session limit. */
    public RtspSettings withMaxSessions(int max) {
        return new RtspSettings(enabled, host, port, rtpPortMin, rtpPortMax, sessionTimeout, max, mjpegFrameRate);
    }

    /** These settings with another MJPEG frame rate. */
    public RtspSettings withMjpegFrameRate(double fps) {
        return new RtspSettings(enabled, host, port, rtpPortMin, rtpPortMax, sessionTimeout, maxSessions, fps);
    }
}
