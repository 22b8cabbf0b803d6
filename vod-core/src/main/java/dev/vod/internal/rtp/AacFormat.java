package dev.vod.internal.rtp;

import java.util.HexFormat;

/**
 * MPEG-4 AAC over RTP (RFC 3640, mode AAC-hbr):
 *
 * <pre>
 * a=rtpmap:97 mpeg4-generic/44100/1
 * a=fmtp:97 streamtype=5;profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=1208
 * </pre>
 */
record AacFormat(int payloadType, byte[] audioSpecificConfig, int clockRate, int channels) implements PayloadFormat {
    static AacFormat of(int payloadType, byte[] audioSpecificConfig, int sampleRate, int channels) {
        if (audioSpecificConfig == null || audioSpecificConfig.length < 2) {
            throw new IllegalArgumentException("AudioSpecificConfig must be at least 2 bytes, is "
                    + (audioSpecificConfig == null ? "missing" : audioSpecificConfig.length + " bytes"));
        }
        if (sampleRate <= 0 || channels <= 0) {
            throw new IllegalArgumentException("AAC needs a positive sample rate and channel count, not "
                    + sampleRate + " Hz, " + channels + " channels");
        }
        return new AacFormat(payloadType, audioSpecificConfig.clone(), sampleRate, channels);
    }

    @Override
    public String rtpmap() {
        return payloadType + " mpeg4-generic/" + clockRate + "/" + channels;
    }

    @Override
    public String fmtp() {
        return payloadType + " streamtype=5;profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;"
                + "indexdeltalength=3;config=" + HexFormat.of().formatHex(audioSpecificConfig);
    }

    @Override
    public Packetizer newPacketizer() {
        return new AacPacketizer();
    }
}
