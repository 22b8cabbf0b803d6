package dev.vod.internal.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The two line formats, field by field, and what a hostile client can put in them. */
class AccessLinesTest {
    /** 2026-12-01T22:45:19.353Z. */
    private static final long WHEN = 1_796_165_119_353L;
    /**
     * The combined format as GoAccess and AWStats read it, strictly: quoted fields hold no bare quote or backslash
     * (escapes are {@code \xHH}), and nothing outside printable ASCII.
     */
    static final Pattern COMBINED = Pattern.compile("(\\S+) - - \\[(\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})\\] "
            + "\"([A-Z]+) (\\S+) (HTTP/\\d\\.\\d)\" (\\d{3}) (\\d+|-) \"((?:[\\x20-\\x7e&&[^\"\\\\]]|\\\\x[0-9A-F]{2})*)\" "
            + "\"((?:[\\x20-\\x7e&&[^\"\\\\]]|\\\\x[0-9A-F]{2})*)\"");

    private final AccessLines lines = new AccessLines(ZoneOffset.UTC);

    private static AccessLines.Entry entry(String host, int port, String target, long bytes, String range,
                                           String userAgent, String referer) {
        return new AccessLines.Entry(host, port, "GET", target, "HTTP/1.1", 206, bytes, 400_000, 1_200_000, null,
                false, range, userAgent, referer, WHEN);
    }

    @Test
    void vodLineKeepsTodaysFieldsAndAddsRangeAndUserAgent() {
        String line = lines.vod(entry("127.0.0.1", 51234, "/a.mp4", 65536, "bytes=0-65535", "curl/8.5.0", null), true);
        assertEquals("2026-12-01T22:45:19.353Z 127.0.0.1:51234 GET /a.mp4 206 65536 ttfb=0.4ms total=1.2ms "
                + "rate=54.6MB/s range=\"bytes=0-65535\" ua=\"curl/8.5.0\"", line);
    }

    @Test
    void vodLineForALoggerHasNoTimeAndShowsPacingAndAbort() {
        AccessLines.Entry e = new AccessLines.Entry("::1", 40000, "GET", "/a.mp4", "HTTP/1.1", 200, 10, 0, 0,
                "limit:131072B/s", true, null, null, null, WHEN);
        assertEquals("[::1]:40000 GET /a.mp4 200 10 ttfb=0.0ms total=0.0ms rate=0.0MB/s paced=limit:131072B/s aborted",
                lines.vod(e, false));
    }

    @Test
    void timesCarryTheZoneOffset() {
        AccessLines paris = new AccessLines(ZoneId.of("Europe/Paris"));
        assertTrue(paris.vod(entry("h", -1, "/", 0, null, null, null), true).startsWith("2026-12-01T23:45:19.353+01:00 h GET"));
        assertTrue(paris.combined(entry("h", -1, "/", 0, null, null, null)).contains("[01/Dec/2026:23:45:19 +0100]"));
    }

    @Test
    void combinedLineIsTheApacheFormat() {
        String line = lines.combined(entry("127.0.0.1", 51234, "/a.mp4?start=6", 65536, "bytes=0-65535", "curl/8.5.0",
                "http://example.org/page"));
        assertEquals("127.0.0.1 - - [01/Dec/2026:22:45:19 +0000] \"GET /a.mp4?start=6 HTTP/1.1\" 206 65536 "
                + "\"http://example.org/page\" \"curl/8.5.0\"", line);
        Matcher m = COMBINED.matcher(line);
        assertTrue(m.matches(), line);
        assertEquals("/a.mp4?start=6", m.group(4));
    }

    @Test
    void combinedLineWritesDashesForNoBodyAndMissingHeaders() {
        String line = lines.combined(entry("10.0.0.1", 1, "/", 0, null, null, null));
        assertTrue(line.endsWith("\" 206 - \"-\" \"-\""), line);
        assertTrue(COMBINED.matcher(line).matches(), line);
    }

    @Test
    void hostileUserAgentIsEscapedAndStaysOneLine() {
        String ua = "evil\" \"x\"\r\n127.0.0.1 - - [forged] \\ \u001b[31mred\u001b[0m caf\u00e9 \u2603";
        String combined = lines.combined(entry("127.0.0.1", 1, "/a\u001b.mp4", 1, null, ua, "\"ref\""));
        String vod = lines.vod(entry("127.0.0.1", 1, "/a b\u001b.mp4", 1, "bytes=\"0-1\"\n", ua, null), true);
        for (String line : new String[] {combined, vod}) {
            assertFalse(line.contains("\n") || line.contains("\r") || line.contains("\u001b"), line);
            assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), line);
        }
        Matcher m = COMBINED.matcher(combined);
        assertTrue(m.matches(), combined);
        assertEquals("evil\\x22 \\x22x\\x22\\x0D\\x0A127.0.0.1 - - [forged] \\x5C \\x1B[31mred\\x1B[0m caf\\xE9 "
                + "\\xE2\\x98\\x83", m.group(9));
        assertEquals("\\x22ref\\x22", m.group(8));
        assertEquals("/a\\x1B.mp4", m.group(4));
        assertTrue(vod.contains(" GET /a\\x20b\\x1B.mp4 206 "), vod);
        assertTrue(vod.contains(" range=\"bytes=\\x220-1\\x22\\x0A\" "), vod);
    }

    @ParameterizedTest
    @CsvSource({"0, 0.0", "0.04, 0.0", "0.06, 0.1", "0.4, 0.4", "1.95, 2.0", "53.34, 53.3", "8012.44, 8012.4",
        "4526.4, 4526.4", "123456789.0, 123456789.0", "-1.5, -1.5"})
    void tenthsAreRoundedToOneDecimal(double value, String expected) {
        assertEquals(expected, AccessLines.tenths(value));
    }
}
