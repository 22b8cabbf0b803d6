package dev.vod.server;

import dev.vod.RtspSettings;
import dev.vod.VodServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The launcher's flags for the RTSP server, turned into {@link RtspSettings}. RTSP is off without --rtsp-port. */
final class RtspFlags {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--rtsp-port", paramLabel = "PORT",
            description = "Also serve the content over RTSP/RTP on this TCP port (8554 is usual; 0 picks a free "
                    + "one). Off by default.")
    private Integer port;

    @Option(names = "--rtsp-host", paramLabel = "HOST",
            description = "Address to bind for RTSP and RTP (default: the --host address).")
    private String host;

    @Option(names = "--rtp-port-range", paramLabel = "A-B", defaultValue = "30000-30999",
            description = "UDP ports for the server's RTP/RTCP pairs (default: ${DEFAULT-VALUE}).")
    private String portRange;

    @Option(names = "--rtsp-session-timeout", paramLabel = "SECONDS", defaultValue = "60",
            converter = FlagConverters.Seconds.class,
            description = "End RTSP sessions with no request or RTCP report for this long (default: ${DEFAULT-VALUE}).")
    private Duration sessionTimeout;

    @Option(names = "--rtsp-max-sessions", paramLabel = "N", defaultValue = "500",
            description = "Refuse RTSP sessions past this many with 453 (default: ${DEFAULT-VALUE}).")
    private int maxSessions;

    @Option(names = "--mjpeg-fps", paramLabel = "FPS", defaultValue = "24",
            description = "Frame rate of MJPEG files over RTSP, which carry no timing (default: ${DEFAULT-VALUE}).")
    private double mjpegFps;

    /** The settings, checked; {@link RtspSettings#OFF} without --rtsp-port. */
    RtspSettings settings() {
        if (port == null) {
            return RtspSettings.OFF;
        }
        if (port < 0 || port > 65535) {
            throw bad("--rtsp-port", "must be 0-65535: " + port);
        }
        String[] range = portRange.split("-", -1);
        int min;
        int max;
        try {
            if (range.length != 2) {
                throw new NumberFormatException();
            }
            min = Integer.parseInt(range[0].strip());
            max = Integer.parseInt(range[1].strip());
        } catch (NumberFormatException e) {
            throw bad("--rtp-port-range", "'" + portRange + "' is not A-B, e.g. 30000-30999");
        }
        if (min < 1024 || max > 65535 || max < min + 1) {
            throw bad("--rtp-port-range", "must be A-B with 1024 <= A < B <= 65535: " + portRange);
        }
        if (sessionTimeout.isZero()) {
            throw bad("--rtsp-session-timeout", "must be at least 1 second");
        }
        if (maxSessions < 1) {
            throw bad("--rtsp-max-sessions", "must be at least 1: " + maxSessions);
        }
        if (!(mjpegFps >= 1 && mjpegFps <= 120)) {
            throw bad("--mjpeg-fps", "must be between 1 and 120: " + mjpegFps);
        }
        return RtspSettings.onPort(port).withHost(host).withRtpPorts(min, max).withSessionTimeout(sessionTimeout)
                .withMaxSessions(maxSessions).withMjpegFrameRate(mjpegFps);
    }

    /** {@code " and rtsp://HOST:PORT/"} for the Listening line, or "" when RTSP is off. */
    static String listening(VodServer server, String httpHost) {
        InetSocketAddress address = server.rtspAddress();
        if (address == null) {
            return "";
        }
        String host = server.config().rtsp().host();
        String shown = host == null ? httpHost : host.contains(":") ? "[" + host + "]" : host;
        return " and rtsp://" + shown + ":" + address.getPort() + "/";
    }

    private ParameterException bad(String option, String reason) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + reason);
    }
}
