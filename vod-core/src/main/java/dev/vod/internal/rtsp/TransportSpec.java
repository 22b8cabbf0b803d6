package dev.vod.internal.rtsp;

import java.util.Locale;

/**
 * One transport a client asks for in SETUP's {@code Transport} header (RFC 2326 §12.39), of the kinds this server
 * speaks: RTP over UDP unicast, {@code RTP/AVP;unicast;client_port=4588-4589}; RTP interleaved on the RTSP
 * connection, {@code RTP/AVP/TCP;unicast;interleaved=0-1} (§10.12); and the spelling of the seed's student client,
 * {@code RTP/UDP; client_port= 25000}, one port and no RTCP.
 *
 * <p>{@link #parse} takes the whole header, a comma-separated list of alternatives in the client's order of
 * preference, and returns the first one this server can serve, or null when none is (the caller answers 461).
 * A {@code destination} naming another host is kept in {@link #destination} so that the caller can refuse it:
 * RTP goes to the RTSP client's own address only, never to a third party.
 *
 * @param tcp          interleaved on the RTSP connection rather than UDP
 * @param rtpPort      UDP: the client's RTP port; TCP: the RTP channel number (-1 when the client left it to us)
 * @param rtcpPort     UDP: the client's RTCP port (-1 without one); TCP: the RTCP channel (-1 when unassigned)
 * @param destination  the {@code destination} parameter, or null when absent
 * @param seedSpelling the client wrote {@code RTP/UDP}, the seed's spelling; the reply keeps it
 */
public record TransportSpec(boolean tcp, int rtpPort, int rtcpPort, String destination, boolean seedSpelling) {

    /** The first alternative of {@code header} this server serves, or null; never throws on garbage. */
    public static TransportSpec parse(String header) {
        if (header == null || header.length() > 4096) {
            return null;
        }
        for (String alternative : header.split(",")) {
            TransportSpec spec = parseOne(alternative);
            if (spec != null) {
                return spec;
            }
        }
        return null;
    }

    private static TransportSpec parseOne(String alternative) {
        String[] parts = alternative.split(";");
        String protocol = parts[0].trim().toUpperCase(Locale.ROOT);
        boolean tcp;
        boolean seed = false;
        switch (protocol) {
            case "RTP/AVP", "RTP/AVP/UDP" -> tcp = false;
            case "RTP/AVP/TCP" -> tcp = true;
            case "RTP/UDP" -> {
                tcp = false;
                seed = true;
            }
            default -> {
                return null;
            }
        }
        int[] ports = null;
        int[] channels = null;
        String destination = null;
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int eq = parameter.indexOf('=');
            String name = (eq < 0 ? parameter : parameter.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : parameter.substring(eq + 1).trim();
            switch (name) {
                case "multicast" -> {
                    return null;
                }
                case "client_port" -> {
                    ports = range(value, 1, 65535);
                    if (ports == null) {
                        return null;
                    }
                }
                case "interleaved" -> {
                    channels = range(value, 0, 255);
                    if (channels == null) {
                        return null;
                    }
                }
                case "destination" -> destination = value;
                case "mode" -> {
                    String mode = value.replace("\"", "").trim().toUpperCase(Locale.ROOT);
                    if (!mode.isEmpty() && !mode.equals("PLAY")) {
                        return null; // RECORD: this server does not take streams in
                    }
                }
                default -> { } // unicast, ttl, ssrc, ...: nothing to act on
            }
        }
        if (tcp) {
            if (channels == null) {
                return new TransportSpec(true, -1, -1, destination, false);
            }
            return new TransportSpec(true, channels[0], channels[1], destination, false);
        }
        if (ports == null) {
            return null; // UDP without a port to send to
        }
        return new TransportSpec(false, ports[0], ports[1], destination, seed);
    }

    /** {@code a} or {@code a-b} within bounds; {@code [a, -1]} for a single value (a - 1 only for ports). */
    private static int[] range(String value, int min, int max) {
        try {
            int dash = value.indexOf('-');
            int a = Integer.parseInt((dash < 0 ? value : value.substring(0, dash)).trim());
            int b = dash < 0 ? -1 : Integer.parseInt(value.substring(dash + 1).trim());
            if (a < min || a > max || (dash >= 0 && (b < min || b > max))) {
                return null;
            }
            return new int[] {a, b};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** With the interleaved channels chosen by the server when the client named none. */
    public TransportSpec withChannels(int rtp, int rtcp) {
        return new TransportSpec(true, rtp, rtcp, destination, false);
    }
}
