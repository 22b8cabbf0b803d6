package dev.vod.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal reader of HLS playlists (RFC 8216) for assertions: the lines, the tags with their attribute lists,
 * and the URI that follows EXT-X-STREAM-INF and EXTINF. It checks nothing itself.
 *
 * @param lines the playlist's lines, without line ends
 */
public record M3u8(List<String> lines) {

    /**
     * One tag line.
     *
     * @param name       e.g. {@code #EXT-X-STREAM-INF}
     * @param value      everything after the colon ("" if none)
     * @param attributes the value as an attribute list (quoted strings unquoted), for tags that have one
     * @param uri        the next line that is not a tag or comment, for EXT-X-STREAM-INF and EXTINF; else null
     */
    public record Tag(String name, String value, Map<String, String> attributes, String uri) {
        public String attribute(String key) {
            return attributes.get(key);
        }
    }

    public static M3u8 parse(String text) {
        return new M3u8(text.lines().toList());
    }

    /** Every tag named {@code name}, in order. */
    public List<Tag> tags(String name) {
        List<Tag> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            String tagName = colon < 0 ? line : line.substring(0, colon);
            if (!line.startsWith("#EXT") || !tagName.equals(name)) {
                continue;
            }
            String value = colon < 0 ? "" : line.substring(colon + 1);
            String uri = null;
            if (name.equals("#EXT-X-STREAM-INF") || name.equals("#EXTINF")) {
                for (int j = i + 1; j < lines.size() && uri == null; j++) {
                    String next = lines.get(j).strip();
                    if (!next.isEmpty() && !next.startsWith("#")) {
                        uri = next;
                    } else if (next.startsWith("#EXT-X-STREAM-INF") || next.startsWith("#EXTINF")) {
                        break;
                    }
                }
            }
            out.add(new Tag(name, value, name.equals("#EXTINF") ? Map.of() : attributes(value), uri));
        }
        return out;
    }

    /** The single tag named {@code name}, or null; fails when there are several. */
    public Tag tag(String name) {
        List<Tag> all = tags(name);
        if (all.size() > 1) {
            throw new AssertionError(all.size() + " " + name + " tags");
        }
        return all.isEmpty() ? null : all.get(0);
    }

    /** Every URI the playlist refers to: URI lines and URI="..." attributes. */
    public List<String> uris() {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String s = line.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (!s.startsWith("#")) {
                out.add(s);
            } else if (s.startsWith("#EXT") && s.indexOf(':') > 0) {
                String uri = attributes(s.substring(s.indexOf(':') + 1)).get("URI");
                if (uri != null) {
                    out.add(uri);
                }
            }
        }
        return out;
    }

    /** The EXTINF durations in seconds. */
    public List<Double> durations() {
        return tags("#EXTINF").stream().map(t -> Double.parseDouble(t.value().split(",", 2)[0])).toList();
    }

    /** An attribute list ({@code KEY=value,KEY="quoted, string"}); quoted values are returned without quotes. */
    public static Map<String, String> attributes(String list) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < list.length()) {
            int eq = list.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = list.substring(i, eq);
            String value;
            int next;
            if (eq + 1 < list.length() && list.charAt(eq + 1) == '"') {
                int close = list.indexOf('"', eq + 2);
                if (close < 0) {
                    throw new AssertionError("unterminated quoted string in " + list);
                }
                value = list.substring(eq + 2, close);
                next = close + 1;
            } else {
                int comma = list.indexOf(',', eq);
                next = comma < 0 ? list.length() : comma;
                value = list.substring(eq + 1, next);
            }
            if (out.put(key, value) != null) {
                throw new AssertionError("attribute " + key + " twice in " + list);
            }
            i = next < list.length() && list.charAt(next) == ',' ? next + 1 : next;
        }
        return out;
    }
}
