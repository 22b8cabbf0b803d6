/**
 * RTP payload formats and RTCP for the RTSP server, with no networking: samples in, payloads out.
 *
 * <ul>
 *   <li>{@link dev.vod.internal.rtp.PayloadFormat}: the SDP {@code rtpmap}/{@code fmtp} of a stream and a
 *       {@link dev.vod.internal.rtp.Packetizer} factory, for H.264 (RFC 6184), H.265 (RFC 7798), AAC (RFC 3640)
 *       and JPEG (RFC 2435).</li>
 *   <li>{@link dev.vod.internal.rtp.RtpOutput}: implemented by the session, which owns the RTP header fields and
 *       writes them with {@link dev.vod.internal.rtp.RtpHeader}.</li>
 *   <li>{@link dev.vod.internal.rtp.JpegFrame} and {@link dev.vod.internal.rtp.MjpegIndex}: what an MJPEG file
 *       holds, and whether each frame can travel as RFC 2435.</li>
 *   <li>{@link dev.vod.internal.rtp.Rtcp}: sender reports and goodbyes out, validity of receiver reports in.</li>
 * </ul>
 *
 * <p>A session's loop, per access unit: {@code packetizer.packetize(sample, isSync, output)}, where
 * {@code output.send} writes an {@code RtpHeader} with the next sequence number, the unit's timestamp and the
 * marker bit it is given. A {@code false} return means nothing was sent; count the unit as skipped (for JPEG,
 * {@code JpegFrame.parse(frame).reason()} says why).
 */
package dev.vod.internal.rtp;
