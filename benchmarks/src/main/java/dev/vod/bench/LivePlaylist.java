package dev.vod.bench;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A live HLS media playlist as {@link LiveViewers} needs it (pure parsing, no I/O): the whole segments with their
 * media sequence numbers, their {@code EXT-X-PROGRAM-DATE-TIME} when the server writes one, the Low-Latency parts
 * ({@code EXT-X-PART}) and the init segment ({@code EXT-X-MAP}).
 *
 * <pre>
 * #EXT-X-TARGETDURATION:2          → targetSeconds 2
 * #EXT-X-MEDIA-SEQUENCE:41         → the first segment below is sequence 41
 * #EXT-X-MAP:URI="init-1.mp4"      → map "init-1.mp4"
 * #EXT-X-PROGRAM-DATE-TIME:...     → pdtMillis of the next segment (-1 when absent: nginx-rtmp writes none)
 * #EXT-X-PART:...,URI="seg-42.0.m4s" → a part
 * #EXTINF:2.000,
 * seg-41.m4s                       → Segment(41, "seg-41.m4s", pdt)
 * </pre>
 */
record LivePlaylist(double targetSeconds, List<Segment> segments, List<String> parts, String map, boolean ended) {

    /** One whole segment. */
    record Segment(long sequence, String uri, long pdtMillis) {
    }

    static LivePlaylist parse(String text) {
        double target = 0;
        long sequence = 0;
        long pdt = -1;
        String map = null;
        boolean ended = false;
        boolean inf = false;
        List<Segment> segments = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Double.parseDouble(line.substring(22));
            } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                sequence = Long.parseLong(line.substring(22));
            } else if (line.startsWith("#EXT-X-MAP:")) {
                map = attribute(line, "URI");
            } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                pdt = instant(line.substring(25));
            } else if (line.startsWith("#EXT-X-PART:")) {
                String uri = attribute(line, "URI");
                if (uri != null) {
                    parts.add(uri);
                }
            } else if (line.startsWith("#EXTINF:")) {
                inf = true;
            } else if (line.equals("#EXT-X-ENDLIST")) {
                ended = true;
            } else if (!line.startsWith("#") && inf) {
                segments.add(new Segment(sequence++, line, pdt));
                pdt = -1;
                inf = false;
            }
        }
        return new LivePlaylist(target, segments, parts, map, ended);
    }

    private static long instant(String value) {
        try {
            return Instant.parse(value.trim()).toEpochMilli();
        } catch (DateTimeParseException e) {
            try { // +00:00 rather than Z
                return java.time.OffsetDateTime.parse(value.trim()).toInstant().toEpochMilli();
            } catch (DateTimeParseException again) {
                return -1;
            }
        }
    }

    /** The quoted value of {@code name=} in an attribute list, or null. */
    static String attribute(String line, String name) {
        int at = line.indexOf(name + "=\"");
        if (at < 0) {
            return null;
        }
        int from = at + name.length() + 2;
        int to = line.indexOf('"', from);
        return to < 0 ? null : line.substring(from, to);
    }
}
