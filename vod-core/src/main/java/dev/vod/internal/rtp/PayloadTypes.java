package dev.vod.internal.rtp;

/** The one check of a dynamic payload type number (RFC 3551 §3). */
final class PayloadTypes {
    private PayloadTypes() {
    }

    static int dynamic(int payloadType) {
        if (payloadType < 96 || payloadType > 127) {
            throw new IllegalArgumentException("dynamic RTP payload type must be 96..127, not " + payloadType);
        }
        return payloadType;
    }
}
