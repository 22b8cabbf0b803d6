package dev.vod.internal.rtp;

/**
 * One RTP payload format of a stream: what goes into its SDP media section, and a factory of packetizers.
 *
 * <pre>
 * m=video 0 RTP/AVP 96
 * a=rtpmap:96 H264/90000                                  &lt;- rtpmap()
 * a=fmtp:96 packetization-mode=1;profile-level-id=4d401e;sprop-parameter-sets=Z01AHuyg...,aO+8gA==
 *         ^ fmtp(), payload type included, like rtpmap()
 * </pre>
 */
public interface PayloadFormat {
    /** The RTP payload type: 96..127 (dynamic) for H.264, H.265 and AAC; 26 (static) for JPEG. */
    int payloadType();

    /** The RTP timestamp clock: 90000 for video, the sample rate for AAC. */
    int clockRate();

    /** The value after {@code a=rtpmap:}, e.g. {@code 96 H264/90000}, {@code 97 mpeg4-generic/48000/2}. */
    String rtpmap();

    /**
     * The value after {@code a=fmtp:}, starting with the payload type as {@link #rtpmap()} does, e.g.
     * {@code 97 streamtype=5;...}; null when the format has none (JPEG).
     */
    String fmtp();

    /** A packetizer for one stream of this format. */
    Packetizer newPacketizer();

    /**
     * H.264 (RFC 6184, packetization mode 1) from an {@code avcC} box payload (AVCDecoderConfigurationRecord).
     *
     * @throws IllegalArgumentException if the record is malformed or has no SPS or no PPS
     */
    static PayloadFormat h264(int payloadType, byte[] avcC) {
        return H264Format.parse(PayloadTypes.dynamic(payloadType), avcC);
    }

    /**
     * H.265 (RFC 7798) from an {@code hvcC} box payload (HEVCDecoderConfigurationRecord).
     *
     * @throws IllegalArgumentException if the record is malformed or lacks a VPS, SPS or PPS
     */
    static PayloadFormat h265(int payloadType, byte[] hvcC) {
        return H265Format.parse(PayloadTypes.dynamic(payloadType), hvcC);
    }

    /**
     * MPEG-4 AAC (RFC 3640, mode AAC-hbr), one access unit per packet.
     *
     * @throws IllegalArgumentException if the AudioSpecificConfig is shorter than 2 bytes, or the rate or channel
     *                                  count is not positive
     */
    static PayloadFormat aac(int payloadType, byte[] audioSpecificConfig, int sampleRate, int channels) {
        return AacFormat.of(PayloadTypes.dynamic(payloadType), audioSpecificConfig, sampleRate, channels);
    }

    /** Baseline JPEG (RFC 2435) on static payload type 26; frames that RFC 2435 cannot carry are refused. */
    static PayloadFormat jpeg() {
        return JpegFormat.INSTANCE;
    }
}
