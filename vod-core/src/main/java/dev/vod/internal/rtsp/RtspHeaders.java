package dev.vod.internal.rtsp;

/**
 * RTSP header names as RFC 2326 spells them. Netty's {@code RtspHeaderNames} are lower case, which HTTP/2 wants
 * and RFC 2326 allows; but cameras, NVRs and small clients often compare header names case-sensitively (VLC's
 * SAT>IP module looks for {@code Session:}), so responses use the RFC's spelling. Lookups stay case-insensitive.
 */
final class RtspHeaders {
    static final String ALLOW = "Allow";
    static final String CONTENT_BASE = "Content-Base";
    static final String CONTENT_LENGTH = "Content-Length";
    static final String CONTENT_TYPE = "Content-Type";
    static final String CSEQ = "CSeq";
    static final String PUBLIC = "Public";
    static final String RANGE = "Range";
    static final String REQUIRE = "Require";
    static final String RTP_INFO = "RTP-Info";
    static final String SESSION = "Session";
    static final String TRANSPORT = "Transport";
    static final String UNSUPPORTED = "Unsupported";

    private RtspHeaders() {
    }
}
