package dev.vod.testing;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A DASH MPD (ISO/IEC 23009-1) read with the JDK's XML parser, and what a client derives from it: per
 * Representation its BaseURL (resolved level by level from the MPD's URL), its SegmentTemplate (inherited from the
 * AdaptationSet or Period) and the segment URLs that template and its SegmentTimeline expand to.
 */
public final class Mpd {
    public static final String NS = "urn:mpeg:dash:schema:mpd:2011";
    private static final Pattern IDENTIFIER = Pattern.compile("\\$(RepresentationID|Number|Bandwidth|Time)(?:%0(\\d+)d)?\\$");

    private final Document document;
    private final URI url;

    /** One {@code S} element: start {@code t} (null when absent), duration {@code d}, repeat count {@code r}. */
    public record S(Long t, long d, long r) {
    }

    /**
     * One Representation as a client sees it.
     *
     * @param element     the element, for other attributes
     * @param contentType its AdaptationSet's {@code contentType}
     * @param base        its resolved BaseURL
     * @param timescale   of its SegmentTemplate (1 when absent)
     * @param timeline    its SegmentTimeline's {@code S} elements
     * @param init        the URL of its initialization segment, or null
     * @param media       the URLs of its media segments, in order
     */
    public record Representation(Element element, String contentType, URI base, long timescale, List<S> timeline,
                                 URI init, List<URI> media) {
        public String attribute(String name) {
            return element.hasAttribute(name) ? element.getAttribute(name) : null;
        }

        /** The number of segments the timeline describes: one per S plus its repeats. */
        public long timelineSegments() {
            return timeline.stream().mapToLong(s -> 1 + s.r()).sum();
        }

        /** The total duration of the timeline in seconds. */
        public double timelineSeconds() {
            return (double) timeline.stream().mapToLong(s -> s.d() * (1 + s.r())).sum() / timescale;
        }
    }

    private Mpd(Document document, URI url) {
        this.document = document;
        this.url = url;
    }

    public static Mpd parse(String xml, String url) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            return new Mpd(doc, URI.create(url));
        } catch (Exception e) {
            throw new AssertionError("not a well-formed MPD: " + e.getMessage() + "\n" + xml, e);
        }
    }

    public Element root() {
        return document.getDocumentElement();
    }

    /** Child elements of {@code parent} named {@code name} in the MPD namespace. */
    public static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && NS.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    public List<Element> periods() {
        return children(root(), "Period");
    }

    /** The AdaptationSets of the first Period with this {@code contentType}. */
    public List<Element> adaptationSets(String contentType) {
        return children(periods().get(0), "AdaptationSet").stream()
                .filter(a -> contentType.equals(a.getAttribute("contentType"))).toList();
    }

    /** Every Representation of the first Period with this {@code contentType}, in document order. */
    public List<Representation> representations(String contentType) {
        Element period = periods().get(0);
        URI periodBase = base(base(url, root()), period);
        List<Representation> out = new ArrayList<>();
        for (Element set : adaptationSets(contentType)) {
            URI setBase = base(periodBase, set);
            for (Element rep : children(set, "Representation")) {
                out.add(representation(contentType, base(setBase, rep), rep, set, period));
            }
        }
        return out;
    }

    private static URI base(URI parent, Element element) {
        List<Element> bases = children(element, "BaseURL");
        return bases.isEmpty() ? parent : parent.resolve(bases.get(0).getTextContent().strip());
    }

    private static Representation representation(String type, URI base, Element rep, Element set, Element period) {
        Map<String, String> template = new LinkedHashMap<>();
        Element timelineElement = null;
        for (Element level : List.of(period, set, rep)) { // inner levels override outer ones
            for (Element t : children(level, "SegmentTemplate")) {
                var attributes = t.getAttributes();
                for (int i = 0; i < attributes.getLength(); i++) {
                    template.put(attributes.item(i).getNodeName(), attributes.item(i).getNodeValue());
                }
                List<Element> timelines = children(t, "SegmentTimeline");
                if (!timelines.isEmpty()) {
                    timelineElement = timelines.get(0);
                }
            }
        }
        long timescale = Long.parseLong(template.getOrDefault("timescale", "1"));
        List<S> timeline = new ArrayList<>();
        if (timelineElement != null) {
            for (Element s : children(timelineElement, "S")) {
                timeline.add(new S(s.hasAttribute("t") ? Long.parseLong(s.getAttribute("t")) : null,
                        Long.parseLong(s.getAttribute("d")),
                        s.hasAttribute("r") ? Long.parseLong(s.getAttribute("r")) : 0));
            }
        }
        String id = rep.getAttribute("id");
        String bandwidth = rep.getAttribute("bandwidth");
        URI init = template.containsKey("initialization")
                ? base.resolve(expand(template.get("initialization"), id, bandwidth, 0, 0)) : null;
        List<URI> media = new ArrayList<>();
        if (template.containsKey("media")) {
            long number = Long.parseLong(template.getOrDefault("startNumber", "1"));
            long time = 0;
            for (S s : timeline) {
                if (s.r() < 0) {
                    throw new AssertionError("open-ended S@r in a static MPD");
                }
                time = s.t() != null ? s.t() : time;
                for (long k = 0; k <= s.r(); k++) {
                    media.add(base.resolve(expand(template.get("media"), id, bandwidth, number++, time)));
                    time += s.d();
                }
            }
        }
        return new Representation(rep, type, base, timescale, List.copyOf(timeline), init, List.copyOf(media));
    }

    /** A template with its identifiers replaced (ISO/IEC 23009-1 §5.3.9.4.4). */
    static String expand(String template, String id, String bandwidth, long number, long time) {
        List<String> parts = new ArrayList<>();
        for (String part : template.split("\\$\\$", -1)) { // "$$" is an escaped "$"
            Matcher m = IDENTIFIER.matcher(part);
            StringBuilder piece = new StringBuilder();
            while (m.find()) {
                String value = switch (m.group(1)) {
                    case "RepresentationID" -> id;
                    case "Bandwidth" -> bandwidth;
                    case "Number" -> Long.toString(number);
                    default -> Long.toString(time);
                };
                if (m.group(2) != null) {
                    value = "0".repeat(Math.max(0, Integer.parseInt(m.group(2)) - value.length())) + value;
                }
                m.appendReplacement(piece, Matcher.quoteReplacement(value));
            }
            m.appendTail(piece);
            parts.add(piece.toString());
        }
        return String.join("$", parts);
    }
}
