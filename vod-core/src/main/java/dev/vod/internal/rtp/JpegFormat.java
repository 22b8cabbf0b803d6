package dev.vod.internal.rtp;

/** Baseline JPEG over RTP (RFC 2435): static payload type 26, {@code a=rtpmap:26 JPEG/90000}, no fmtp. */
final class JpegFormat implements PayloadFormat {
    static final JpegFormat INSTANCE = new JpegFormat();
    private static final int STATIC_PAYLOAD_TYPE = 26;

    private JpegFormat() {
    }

    @Override
    public int payloadType() {
        return STATIC_PAYLOAD_TYPE;
    }

    @Override
    public int clockRate() {
        return 90_000;
    }

    @Override
    public String rtpmap() {
        return STATIC_PAYLOAD_TYPE + " JPEG/90000";
    }

    @Override
    public String fmtp() {
        return null;
    }

    @Override
    public Packetizer newPacketizer() {
        return new JpegPacketizer();
    }
}
