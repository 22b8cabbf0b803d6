package dev.vod.internal.rtp;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * H.265 over RTP (RFC 7798), described from the MP4's {@code hvcC} record:
 *
 * <pre>
 * a=rtpmap:96 H265/90000
 * a=fmtp:96 sprop-vps=QAEMAf//...;sprop-sps=QgEBAWAA...;sprop-pps=RAHB...
 * </pre>
 */
record H265Format(int payloadType, int lengthSize, List<byte[]> vps, List<byte[]> sps, List<byte[]> pps)
        implements PayloadFormat {
    /** Bytes of the fixed part of an HEVCDecoderConfigurationRecord, up to and including lengthSizeMinusOne. */
    private static final int FIXED_PART = 22;

    /** Parses an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1). */
    static H265Format parse(int payloadType, byte[] hvcC) {
        ConfigReader in = new ConfigReader("hvcC", hvcC);
        int version = in.u8();
        if (version != 1) {
            throw in.malformed("configurationVersion " + version + ", expected 1");
        }
        in.skip(FIXED_PART - 2);
        int lengthSize = (in.u8() & 0x03) + 1;
        if (lengthSize == 3) {
            throw in.malformed("lengthSizeMinusOne 2 is not allowed");
        }
        List<byte[]> vps = new ArrayList<>();
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        int arrays = in.u8();
        for (int a = 0; a < arrays; a++) {
            int type = in.u8() & 0x3f;
            int count = in.u16();
            for (int i = 0; i < count; i++) {
                byte[] unit = in.bytes(in.u16());
                if (unit.length < 2) {
                    throw in.malformed("NAL unit shorter than its 2-byte header");
                }
                switch (type) {
                    case H265Packetizer.VPS -> vps.add(unit);
                    case H265Packetizer.SPS -> sps.add(unit);
                    case H265Packetizer.PPS -> pps.add(unit);
                    default -> { } // SEI and others: not needed to start decoding
                }
            }
        }
        if (vps.isEmpty() || sps.isEmpty() || pps.isEmpty()) {
            throw new IllegalArgumentException("hvcC has " + vps.size() + " VPS, " + sps.size() + " SPS and "
                    + pps.size() + " PPS; at least one of each is needed");
        }
        return new H265Format(payloadType, lengthSize, List.copyOf(vps), List.copyOf(sps), List.copyOf(pps));
    }

    @Override
    public int clockRate() {
        return 90_000;
    }

    @Override
    public String rtpmap() {
        return payloadType + " H265/90000";
    }

    @Override
    public String fmtp() {
        return payloadType + " sprop-vps=" + base64(vps) + ";sprop-sps=" + base64(sps) + ";sprop-pps=" + base64(pps);
    }

    private static String base64(List<byte[]> units) {
        return units.stream().map(Base64.getEncoder()::encodeToString).collect(Collectors.joining(","));
    }

    @Override
    public Packetizer newPacketizer() {
        List<byte[]> parameterSets = new ArrayList<>(vps);
        parameterSets.addAll(sps);
        parameterSets.addAll(pps);
        return new H265Packetizer(lengthSize, parameterSets);
    }
}
