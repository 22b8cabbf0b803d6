package dev.vod.internal.rtp;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * H.264 over RTP (RFC 6184), described from the MP4's {@code avcC} record:
 *
 * <pre>
 * a=rtpmap:96 H264/90000
 * a=fmtp:96 packetization-mode=1;profile-level-id=4d401e;sprop-parameter-sets=Z01AHuygUBf8uAiAAAADAIAAABkHixbL,aO+8gA==
 * </pre>
 *
 * <p>{@code profile-level-id} comes from the first SPS (profile_idc, constraint flags, level_idc), not from the
 * record's copies of those bytes, since the SPS is what the decoder will see.
 */
record H264Format(int payloadType, int lengthSize, List<byte[]> sps, List<byte[]> pps) implements PayloadFormat {
    /** Parses an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1). */
    static H264Format parse(int payloadType, byte[] avcC) {
        ConfigReader in = new ConfigReader("avcC", avcC);
        int version = in.u8();
        if (version != 1) {
            throw in.malformed("configurationVersion " + version + ", expected 1");
        }
        in.skip(3); // profile, compatibility, level: taken from the SPS instead
        int lengthSize = (in.u8() & 0x03) + 1;
        if (lengthSize == 3) {
            throw in.malformed("lengthSizeMinusOne 2 is not allowed");
        }
        List<byte[]> sps = readNalUnits(in, in.u8() & 0x1f, H264Packetizer.SPS);
        List<byte[]> pps = readNalUnits(in, in.u8(), H264Packetizer.PPS);
        if (sps.isEmpty() || pps.isEmpty()) {
            throw new IllegalArgumentException("avcC has " + sps.size() + " SPS and " + pps.size()
                    + " PPS; at least one of each is needed");
        }
        if (sps.get(0).length < 4) {
            throw new IllegalArgumentException("avcC SPS is " + sps.get(0).length + " bytes, too short for a profile");
        }
        return new H264Format(payloadType, lengthSize, List.copyOf(sps), List.copyOf(pps));
    }

    private static List<byte[]> readNalUnits(ConfigReader in, int count, int expectedType) {
        List<byte[]> units = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] unit = in.bytes(in.u16());
            if (unit.length == 0 || (unit[0] & 0x1f) != expectedType) {
                throw in.malformed("expected a NAL unit of type " + expectedType);
            }
            units.add(unit);
        }
        return units;
    }

    @Override
    public int clockRate() {
        return 90_000;
    }

    @Override
    public String rtpmap() {
        return payloadType + " H264/90000";
    }

    @Override
    public String fmtp() {
        byte[] first = sps.get(0);
        String profileLevelId = HexFormat.of().formatHex(first, 1, 4);
        Base64.Encoder base64 = Base64.getEncoder();
        String sprop = Stream.concat(sps.stream(), pps.stream()).map(base64::encodeToString)
                .collect(Collectors.joining(","));
        return payloadType + " packetization-mode=1;profile-level-id=" + profileLevelId
                + ";sprop-parameter-sets=" + sprop;
    }

    @Override
    public Packetizer newPacketizer() {
        List<byte[]> parameterSets = new ArrayList<>(sps);
        parameterSets.addAll(pps);
        return new H264Packetizer(lengthSize, parameterSets);
    }
}
