package dev.vod.internal.rtsp;

/**
 * What every RTSP connection of a server shares.
 *
 * @param presentations         files resolved and opened for streaming
 * @param registry              the sessions
 * @param ports                 the server's UDP port pairs
 * @param sessionTimeoutSeconds how long a quiet session lives
 */
record RtspServices(Presentations presentations, SessionRegistry registry, UdpPorts ports,
                    long sessionTimeoutSeconds) {
}
