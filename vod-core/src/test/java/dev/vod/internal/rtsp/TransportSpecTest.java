package dev.vod.internal.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransportSpecTest {
    @Test
    void udpWithAPortPair() {
        TransportSpec t = TransportSpec.parse("RTP/AVP;unicast;client_port=4588-4589");
        assertEquals(new TransportSpec(false, 4588, 4589, null, false), t);
    }

    @Test
    void udpSpelledWithItsLowerTransport() {
        assertEquals(5000, TransportSpec.parse("RTP/AVP/UDP;unicast;client_port=5000-5001").rtpPort());
    }

    @Test
    void udpWithOnePortHasNoRtcpPortYet() {
        TransportSpec t = TransportSpec.parse("RTP/AVP;unicast;client_port=5000");
        assertEquals(5000, t.rtpPort());
        assertEquals(-1, t.rtcpPort());
    }

    @Test
    void theSeedsSpellingWithSpaces() {
        TransportSpec t = TransportSpec.parse("RTP/UDP; client_port= 25000");
        assertEquals(new TransportSpec(false, 25000, -1, null, true), t);
    }

    @Test
    void interleavedChannels() {
        assertEquals(new TransportSpec(true, 2, 3, null, false),
                TransportSpec.parse("RTP/AVP/TCP;unicast;interleaved=2-3"));
    }

    @Test
    void interleavedWithoutChannelsLeavesThemToTheServer() {
        TransportSpec t = TransportSpec.parse("RTP/AVP/TCP;unicast");
        assertTrue(t.tcp());
        assertEquals(-1, t.rtpPort());
        assertEquals(new TransportSpec(true, 4, 5, null, false), t.withChannels(4, 5));
    }

    @Test
    void theFirstServableAlternativeWins() {
        TransportSpec t = TransportSpec.parse(
                "RTP/AVP;multicast;ttl=127, RTP/SAVP;unicast;client_port=1-2, RTP/AVP/TCP;interleaved=0-1");
        assertTrue(t.tcp());
    }

    @Test
    void namesAndParametersAreCaseInsensitive() {
        assertEquals(7000, TransportSpec.parse("rtp/avp;UNICAST;Client_Port=7000-7001").rtpPort());
    }

    @Test
    void aDestinationIsKeptForTheCallerToJudge() {
        assertEquals("192.0.2.1",
                TransportSpec.parse("RTP/AVP;unicast;destination=192.0.2.1;client_port=5000-5001").destination());
    }

    @Test
    void playModeIsAcceptedRecordIsNot() {
        assertFalse(TransportSpec.parse("RTP/AVP;unicast;client_port=5000-5001;mode=\"PLAY\"") == null);
        assertNull(TransportSpec.parse("RTP/AVP;unicast;client_port=5000-5001;mode=record"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "RTP/AVP;multicast", "RTP/AVP;unicast", "RTP/AVP;client_port=0-1",
        "RTP/AVP;client_port=70000", "RTP/AVP;client_port=a-b", "RTP/AVP/TCP;interleaved=256-257",
        "RTP/AVP/TCP;interleaved=-1", "RTP/SAVP;client_port=5000-5001", "RAW/RAW/UDP;client_port=5000"})
    void unusableTransportsAreNull(String header) {
        assertNull(TransportSpec.parse(header));
    }

    @Test
    void aMissingOrHugeHeaderIsNull() {
        assertNull(TransportSpec.parse(null));
        assertNull(TransportSpec.parse("RTP/AVP;client_port=5000;" + "x".repeat(5000)));
    }
}
