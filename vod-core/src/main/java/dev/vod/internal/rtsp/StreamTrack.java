package dev.vod.internal.rtsp;

import dev.vod.internal.rtp.PayloadFormat;

/**
 * One stream of a presentation as DESCRIBE announces it and SETUP picks it by number.
 *
 * @param number    its {@code trackID}, 1-based, in SDP order
 * @param media     the SDP media type: {@code video} or {@code audio}
 * @param format    the RTP payload format that carries it
 * @param frameRate frames per second for the SDP's {@code a=framerate}, 0 when unknown or audio
 * @param width     picture width for {@code a=x-dimensions}, 0 when unknown
 * @param height    picture height, likewise
 */
record StreamTrack(int number, String media, PayloadFormat format, double frameRate, int width, int height) {
    boolean isVideo() {
        return media.equals("video");
    }
}
