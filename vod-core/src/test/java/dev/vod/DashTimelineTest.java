package dev.vod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vod.testing.ServerExtension;
import dev.vod.testing.TitleFixture;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The MPD's SegmentTimeline is valid by the DASH schema (ISO/IEC 23009-1, {@code DASH-MPD.xsd}): {@code S@t},
 * {@code S@d} and {@code S@n} are {@code xs:unsignedLong}, so no {@code t} may be negative.
 *
 * <p>Found while playing the sample title with dash.js ({@link AdaptivePlaybackTest}): the audio timeline of
 * {@code sample-title/manifest.mpd} starts {@code <S t="-1024" d="266240"/>}, the AAC priming of the source's edit
 * list (elst media_time 1024 at timescale 44100) written as a negative start. dash.js tolerates it; a validating
 * MPD parser need not.
 */
class DashTimelineTest {
    @RegisterExtension
    static final ServerExtension vod = new ServerExtension();

    @BeforeAll
    static void addTitle() {
        TitleFixture.copyInto(vod.root());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sample-title/manifest.mpd", "/sample.mp4/manifest.mpd"})
    void segmentTimelineValuesAreUnsigned(String path) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(vod.url(path))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), path);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document mpd = factory.newDocumentBuilder().parse(new ByteArrayInputStream(response.body()));
        NodeList entries = mpd.getElementsByTagNameNS("urn:mpeg:dash:schema:mpd:2011", "S");
        assertTrue(entries.getLength() > 0, "no SegmentTimeline in " + path);
        List<String> invalid = new ArrayList<>();
        for (int i = 0; i < entries.getLength(); i++) {
            Element s = (Element) entries.item(i);
            for (String attribute : new String[] {"t", "d", "n"}) {
                String value = s.getAttribute(attribute);
                if (!value.isEmpty() && !value.matches("\\d+")) {
                    Element set = (Element) s.getParentNode().getParentNode().getParentNode().getParentNode();
                    invalid.add(set.getAttribute("contentType") + " S@" + attribute + "=\"" + value + "\"");
                }
            }
        }
        assertTrue(invalid.isEmpty(), path + ": S@t/@d/@n must be xs:unsignedLong: " + invalid);
    }
}
