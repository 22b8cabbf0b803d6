package dev.vod.internal.accesslog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Builds access-log lines: vod's own format and the Apache/nginx combined format. Pure: no I/O, no Netty.
 *
 * <pre>
 * 2026-12-01T22:45:19.353+00:00 127.0.0.1:51234 GET /a.mp4 206 65536 ttfb=0.4ms total=1.2ms rate=53.3MB/s range="bytes=0-65535" ua="curl/8.5.0"
 * 127.0.0.1 - - [01/Dec/2026:22:45:19 +0000] "GET /a.mp4 HTTP/1.1" 206 65536 "-" "curl/8.5.0"
 * </pre>
 *
 * <p>Everything a client chose (target, Range, User-Agent, Referer) is escaped nginx's way: {@code "}, {@code \},
 * control characters and every byte outside printable ASCII become {@code \xHH} (UTF-8 bytes for characters past
 * U+00FF), so a line is always one line of ASCII and a quoted field never holds a quote — a hostile User-Agent can
 * neither forge a second line nor reach a terminal's escape sequences. The unquoted target of vod's format also
 * escapes spaces.
 *
 * <p>The time is formatted once per second (cached): per line only the milliseconds are appended.
 */
public final class AccessLines {
    private static final DateTimeFormatter ISO_SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.");
    private static final DateTimeFormatter ISO_OFFSET = DateTimeFormatter.ofPattern("XXX");
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/uuuu:HH:mm:ss Z", Locale.ENGLISH);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final ZoneId zone;
    /** The last second formatted; replaced whole, so a reader sees a consistent pair. */
    private volatile Second isoSecond = new Second(Long.MIN_VALUE, "", "");
    private volatile Second clfSecond = new Second(Long.MIN_VALUE, "", "");

    private record Second(long epochSecond, String prefix, String suffix) { }

    /** Lines with times in {@code zone} (the system's zone in the server). */
    public AccessLines(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * What one response did.
     *
     * @param host      the client's address without port, e.g. {@code 127.0.0.1} or {@code ::1}
     * @param port      the client's port, or -1 when it has none
     * @param paced     {@code limit:262144B/s} and the like when the body was rate-limited, else {@code null}
     * @param range     the request's {@code Range} header, or {@code null}
     * @param userAgent the request's {@code User-Agent} header, or {@code null}
     * @param referer   the request's {@code Referer} header, or {@code null}
     * @param epochMillis when the response ended (wall clock)
     */
    public record Entry(String host, int port, String method, String target, String protocol, int status,
                        long bytes, long ttfbNanos, long totalNanos, String paced, boolean aborted,
                        String range, String userAgent, String referer, long epochMillis) { }

    /**
     * vod's format: time (when {@code withTime}), client, method, target, status, body bytes, time to first byte,
     * total time, throughput, then {@code paced=}, {@code aborted}, {@code range="..."} and {@code ua="..."}
     * when they apply.
     */
    public String vod(Entry e, boolean withTime) {
        StringBuilder b = new StringBuilder(160);
        if (withTime) {
            isoTime(b, e.epochMillis());
            b.append(' ');
        }
        appendHost(b, e.host(), e.port());
        b.append(' ').append(e.method()).append(' ');
        escape(b, e.target(), true);
        b.append(' ').append(e.status()).append(' ').append(e.bytes());
        double mbPerSecond = e.totalNanos() > 0 ? e.bytes() / (e.totalNanos() / 1e9) / 1e6 : 0;
        b.append(" ttfb=");
        tenths(b, e.ttfbNanos() / 1e6);
        b.append("ms total=");
        tenths(b, e.totalNanos() / 1e6);
        b.append("ms rate=");
        tenths(b, mbPerSecond);
        b.append("MB/s");
        if (e.paced() != null) {
            b.append(" paced=").append(e.paced());
        }
        if (e.aborted()) {
            b.append(" aborted");
        }
        if (e.range() != null) {
            b.append(" range=\"");
            escape(b, e.range(), false);
            b.append('"');
        }
        if (e.userAgent() != null) {
            b.append(" ua=\"");
            escape(b, e.userAgent(), false);
            b.append('"');
        }
        return b.toString();
    }

    /**
     * The combined format: {@code %h - - [%t] "%r" %>s %b "%{Referer}i" "%{User-Agent}i"}, with the request line
     * as sent, the body bytes ({@code -} for none, as Apache writes it) and {@code "-"} for a missing header.
     */
    public String combined(Entry e) {
        StringBuilder b = new StringBuilder(160);
        escape(b, e.host(), true);
        b.append(" - - [");
        clfTime(b, e.epochMillis());
        b.append("] \"").append(e.method()).append(' ');
        escape(b, e.target(), false);
        b.append(' ').append(e.protocol()).append("\" ").append(e.status()).append(' ');
        if (e.bytes() > 0) {
            b.append(e.bytes());
        } else {
            b.append('-');
        }
        b.append(" \"");
        escapeOrDash(b, e.referer());
        b.append("\" \"");
        escapeOrDash(b, e.userAgent());
        return b.append('"').toString();
    }

    private static void appendHost(StringBuilder b, String host, int port) {
        boolean v6 = host.indexOf(':') >= 0;
        if (port >= 0 && v6) {
            b.append('[');
        }
        escape(b, host, true);
        if (port >= 0) {
            b.append(v6 ? "]:" : ":").append(port);
        }
    }

    private static void escapeOrDash(StringBuilder b, String value) {
        if (value == null || value.isEmpty()) {
            b.append('-');
        } else {
            escape(b, value, false);
        }
    }

    /** Appends {@code s} with {@code "}, {@code \}, controls and non-ASCII as {@code \xHH}; spaces too if asked. */
    static void escape(StringBuilder b, String s, boolean spaces) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if ((c > 0x20 && c < 0x7f && c != '"' && c != '\\') || (c == ' ' && !spaces)) {
                b.append(c);
            } else if (c <= 0xff) {
                hex(b, c);
            } else {
                // Not from the wire (Netty reads header bytes as ISO-8859-1): an application's string. Its UTF-8.
                int end = Character.isHighSurrogate(c) && i + 1 < n ? i + 2 : i + 1;
                for (byte x : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    hex(b, x & 0xff);
                }
                i = end - 1;
            }
        }
    }

    private static void hex(StringBuilder b, int c) {
        b.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
    }

    private void isoTime(StringBuilder b, long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        Second s = isoSecond;
        if (s.epochSecond() != second) {
            var time = Instant.ofEpochSecond(second).atZone(zone);
            s = new Second(second, ISO_SECOND.format(time), ISO_OFFSET.format(time));
            isoSecond = s;
        }
        int millis = (int) Math.floorMod(epochMillis, 1000);
        b.append(s.prefix()).append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
                .append((char) ('0' + millis % 10)).append(s.suffix());
    }

    private void clfTime(StringBuilder b, long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        Second s = clfSecond;
        if (s.epochSecond() != second) {
            s = new Second(second, CLF.format(Instant.ofEpochSecond(second).atZone(zone)), "");
            clfSecond = s;
        }
        b.append(s.prefix());
    }

    /**
     * {@code value} rounded to one decimal, e.g. {@code 53.3}. Not {@code String.format}: with the log on, its
     * parsing and locale lookups were a sixth of the server's CPU per small request (JFR).
     */
    public static String tenths(double value) {
        return tenths(new StringBuilder(8), value).toString();
    }

    private static StringBuilder tenths(StringBuilder b, double value) {
        if (!(value >= 0) || value >= Long.MAX_VALUE / 10.0) {
            return b.append(String.format(Locale.ROOT, "%.1f", value)); // NaN, negative or huge: not the hot path
        }
        long tenths = Math.round(value * 10);
        return b.append(tenths / 10).append('.').append(tenths % 10);
    }
}
