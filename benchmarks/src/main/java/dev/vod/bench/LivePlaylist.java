package dev.vod.bench;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A live HLS media playlist as {@link LiveViewers} needs it (pure parsing, no I/O): the whole segments with their
 * media sequence numbers, their {@code EXT-X-PROGRAM-DATE-TIME} when the server writes one, the Low-Latency parts
 * ({@code EXT-X-PART}, each with the sequence number of the segment it belongs to and its index in it), the init
 * segment ({@code EXT-X-MAP}) and whether the server holds blocking reloads ({@code CAN-BLOCK-RELOAD=YES}).
 *
 * <pre>
 * #EXT-X-TARGETDURATION:2          → targetSeconds 2
 * #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,... → canBlockReload
 * #EXT-X-MEDIA-SEQUENCE:41         → the first segment below is sequence 41
 * #EXT-X-MAP:URI="init-1.mp4"      → map "init-1.mp4"
 * #EXT-X-PROGRAM-DATE-TIME:...     → pdtMillis of the next segment (-1 when absent: nginx-rtmp writes none)
 * #EXTINF:2.000,
 * seg-41.m4s                       → Segment(41, "seg-41.m4s", pdt)
 * #EXT-X-PART:...,URI="seg-42.0.m4s" → Part(42, 0, "seg-42.0.m4s"): a part belongs to the segment whose URI
 * #EXT-X-PART:...,URI="seg-42.1.m4s" → Part(42, 1, "seg-42.1.m4s")  follows it, here 42, still being written
 * </pre>
 */
record LivePlaylist(double targetSeconds, List<Segment> segments, List<Part> parts, String map, boolean ended,
                    boolean canBlockReload) {
    /** The most of a playlist's bytes a client keeps to parse (longer ones are cut there). */
    static final int MAX_BYTES = 256 * 1024;

    /** One whole segment. */
    record Segment(long sequence, String uri, long pdtMillis) {
    }

    /** One Low-Latency part: of the segment with that sequence number, the {@code index}-th (from 0). */
    record Part(long sequence, int index, String uri) {
    }

    /** The delivery directives of a blocking reload: {@code _HLS_msn}, and {@code _HLS_part} unless it is -1. */
    record Directive(long msn, int part) {
        /** The query string, e.g. {@code _HLS_msn=43&_HLS_part=2}. */
        String query() {
            return "_HLS_msn=" + msn + (part >= 0 ? "&_HLS_part=" + part : "");
        }
    }

    /**
     * The blocking reload hls.js sends next, at once, after this playlist (its {@code playlistLoaded}, in low-latency
     * mode, the default): without parts, the segment after the last one listed; with parts, the part after the last
     * one listed (the first part of the next segment when the last part is of the last whole segment). Null when
     * the server does not hold reloads, or nothing is listed yet.
     */
    Directive nextBlockingReload() {
        if (!canBlockReload || segments.isEmpty()) {
            return null;
        }
        long end = endSequence();
        if (parts.isEmpty()) {
            return new Directive(end + 1, -1);
        }
        Part last = parts.get(parts.size() - 1);
        return last.sequence() == end ? new Directive(end + 1, 0) : new Directive(last.sequence(), last.index() + 1);
    }

    /**
     * hls.js's {@code details.advanced}, without which it sends no blocking reload: true when there was no playlist
     * before, or this one ends on a later segment, or on a later part ({@code LevelDetails.reloaded}).
     */
    boolean advancedFrom(LivePlaylist before) {
        if (before == null) {
            return true;
        }
        long partSnDiff = lastPartSequence() - before.lastPartSequence();
        return endSequence() > before.endSequence() || partSnDiff > 0
                || (partSnDiff == 0 && lastPartIndex() > before.lastPartIndex());
    }

    /** The last whole segment's sequence number, -1 when none is listed. */
    long endSequence() {
        return segments.isEmpty() ? -1 : segments.get(segments.size() - 1).sequence();
    }

    private long lastPartSequence() {
        return parts.isEmpty() ? endSequence() : parts.get(parts.size() - 1).sequence();
    }

    private int lastPartIndex() {
        return parts.isEmpty() ? -1 : parts.get(parts.size() - 1).index();
    }

    static LivePlaylist parse(String text) {
        double target = 0;
        long sequence = 0;
        long pdt = -1;
        String map = null;
        boolean ended = false;
        boolean inf = false;
        boolean canBlock = false;
        int partIndex = 0;
        List<Segment> segments = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
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
            } else if (line.startsWith("#EXT-X-SERVER-CONTROL:")) {
                canBlock = ("," + line.substring(22) + ",").contains(",CAN-BLOCK-RELOAD=YES,");
            } else if (line.startsWith("#EXT-X-PART:")) {
                String uri = attribute(line, "URI");
                if (uri != null) {
                    parts.add(new Part(sequence, partIndex++, uri));
                }
            } else if (line.startsWith("#EXTINF:")) {
                inf = true;
            } else if (line.equals("#EXT-X-ENDLIST")) {
                ended = true;
            } else if (!line.startsWith("#") && inf) {
                segments.add(new Segment(sequence++, line, pdt));
                pdt = -1;
                inf = false;
                partIndex = 0;
            }
        }
        return new LivePlaylist(target, segments, parts, map, ended, canBlock);
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
