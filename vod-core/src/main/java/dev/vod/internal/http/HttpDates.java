package dev.vod.internal.http;

import io.netty.util.AsciiString;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * HTTP-date formatting and parsing (RFC 9110 §5.6.7), without {@code DateTimeFormatter} on the hot path.
 *
 * <p>{@link #format} writes IMF-fixdate only: {@code Sun, 06 Nov 1994 08:49:37 GMT}, day always two digits
 * ({@link java.time.format.DateTimeFormatter#RFC_1123_DATE_TIME} writes {@code Sun, 6 Nov 1994}, which is not
 * IMF-fixdate). {@link #parse} accepts the three forms a recipient must accept:
 * <pre>
 * Sun, 06 Nov 1994 08:49:37 GMT    IMF-fixdate
 * Sunday, 06-Nov-94 08:49:37 GMT   obsolete RFC 850 (two-digit year: more than 50 years ahead means last century)
 * Sun Nov  6 08:49:37 1994         ANSI C asctime()
 * </pre>
 * Parsing is exact about layout and ranges but, as §5.6.7 encourages, forgiving about the case of day and month
 * names and of {@code GMT}; the day name is checked to be a day name but not against the date. A leap second
 * ({@code :60}) is read as {@code :59}.
 */
public final class HttpDates {
    /** What {@link #parse} returns for an invalid date. Valid results are whole seconds, so never this value. */
    public static final long INVALID = -1;

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] LONG_DAYS =
            {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the span a four-digit year can show. */
    private static final long MIN_SECONDS = -62_135_596_800L;
    private static final long MAX_SECONDS = 253_402_300_799L;

    /** The last formatted second and its text, swapped as one immutable object (no lock, no torn reads). */
    private record CachedSecond(long second, String text, AsciiString ascii) {
    }

    private static volatile CachedSecond cached = new CachedSecond(Long.MIN_VALUE, "", AsciiString.EMPTY_STRING);

    private HttpDates() {
    }

    /** The current time as IMF-fixdate, for the {@code Date} header; formatted at most once per second. */
    public static String now() {
        return currentSecond().text;
    }

    /**
     * As {@link #now()}, as bytes ready for the wire: the response encoder copies an {@code AsciiString} in one go
     * instead of a character at a time.
     */
    public static AsciiString nowAscii() {
        return currentSecond().ascii;
    }

    private static CachedSecond currentSecond() {
        long second = Math.floorDiv(System.currentTimeMillis(), 1000);
        CachedSecond current = cached;
        if (current.second != second) {
            String text = format(second * 1000);
            current = new CachedSecond(second, text, AsciiString.cached(text));
            cached = current;
        }
        return current;
    }

    /** IMF-fixdate for epoch milliseconds (sub-second part dropped; clamped to years 0001–9999). */
    public static String format(long epochMillis) {
        return formatSeconds(Math.min(Math.max(Math.floorDiv(epochMillis, 1000), MIN_SECONDS), MAX_SECONDS));
    }

    private static String formatSeconds(long seconds) {
        long epochDay = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        // Civil date from the day count (H. Hinnant's days_from_civil inverse): LocalDate would allocate per call.
        long z = epochDay + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153; // March = 0
        int dayOfMonth = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        byte[] out = new byte[29];
        copy(DAYS[(int) Math.floorMod(epochDay + 3, 7)], out, 0); // 1970-01-01 was a Thursday
        out[3] = ',';
        out[4] = ' ';
        twoDigits(dayOfMonth, out, 5);
        out[7] = ' ';
        copy(MONTHS[month - 1], out, 8);
        out[11] = ' ';
        twoDigits(year / 100, out, 12);
        twoDigits(year % 100, out, 14);
        out[16] = ' ';
        twoDigits(secondOfDay / 3600, out, 17);
        out[19] = ':';
        twoDigits(secondOfDay / 60 % 60, out, 20);
        out[22] = ':';
        twoDigits(secondOfDay % 60, out, 23);
        copy(" GMT", out, 25);
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * Epoch milliseconds of an HTTP-date in any of the three forms, or {@link #INVALID}. Surrounding whitespace
     * is ignored; anything else out of place makes the date invalid.
     */
    public static long parse(String value) {
        if (value == null) {
            return INVALID; // the usual case (no conditional header): no clock or calendar work
        }
        return parse(value, LocalDate.now(ZoneOffset.UTC).getYear());
    }

    /** As {@link #parse(String)}, resolving RFC 850 two-digit years relative to {@code currentYear}. */
    static long parse(String value, int currentYear) {
        if (value == null) {
            return INVALID;
        }
        String s = value.strip();
        int comma = s.indexOf(',');
        if (comma == 3 && s.length() == 29) {
            return parseImfFixdate(s);
        }
        if (comma > 3) {
            return parseRfc850(s, comma, currentYear);
        }
        if (comma < 0 && s.length() == 24) {
            return parseAsctime(s);
        }
        return INVALID;
    }

    // Sun, 06 Nov 1994 08:49:37 GMT
    private static long parseImfFixdate(String s) {
        if (indexOfName(DAYS, s, 0, 3) < 0 || s.charAt(4) != ' ' || s.charAt(7) != ' ' || s.charAt(11) != ' '
                || s.charAt(16) != ' ' || !s.regionMatches(true, 25, " GMT", 0, 4)) {
            return INVALID;
        }
        int day = digits(s, 5, 2);
        int month = indexOfName(MONTHS, s, 8, 3) + 1;
        int year = digits(s, 12, 4);
        return toEpochMillis(year, month, day, s, 17);
    }

    // Sunday, 06-Nov-94 08:49:37 GMT
    private static long parseRfc850(String s, int comma, int currentYear) {
        int p = comma + 1;
        if (s.length() != p + 23 || indexOfName(LONG_DAYS, s, 0, comma) < 0 || s.charAt(p) != ' '
                || s.charAt(p + 3) != '-' || s.charAt(p + 7) != '-' || s.charAt(p + 10) != ' '
                || !s.regionMatches(true, p + 19, " GMT", 0, 4)) {
            return INVALID;
        }
        int day = digits(s, p + 1, 2);
        int month = indexOfName(MONTHS, s, p + 4, 3) + 1;
        int twoDigitYear = digits(s, p + 8, 2);
        if (twoDigitYear < 0) {
            return INVALID;
        }
        int year = currentYear - Math.floorMod(currentYear, 100) + twoDigitYear;
        if (year > currentYear + 50) {
            year -= 100;
        }
        return toEpochMillis(year, month, day, s, p + 11);
    }

    // Sun Nov  6 08:49:37 1994
    private static long parseAsctime(String s) {
        if (indexOfName(DAYS, s, 0, 3) < 0 || s.charAt(3) != ' ' || s.charAt(7) != ' ' || s.charAt(10) != ' '
                || s.charAt(19) != ' ') {
            return INVALID;
        }
        int month = indexOfName(MONTHS, s, 4, 3) + 1;
        int day = s.charAt(8) == ' ' ? digits(s, 9, 1) : digits(s, 8, 2);
        int year = digits(s, 20, 4);
        return toEpochMillis(year, month, day, s, 11);
    }

    /** Combines a date with the {@code HH:mm:ss} starting at {@code timeAt}. */
    private static long toEpochMillis(int year, int month, int day, String s, int timeAt) {
        int hour = digits(s, timeAt, 2);
        int minute = digits(s, timeAt + 3, 2);
        int second = digits(s, timeAt + 6, 2);
        if (year < 0 || month < 1 || day < 1 || s.charAt(timeAt + 2) != ':' || s.charAt(timeAt + 5) != ':'
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return INVALID;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return INVALID; // 31 Feb, 29 Feb outside leap years
        }
        return (epochDay * 86_400 + hour * 3600L + minute * 60L + Math.min(second, 59)) * 1000;
    }

    /** The non-negative number in {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Index of the name occupying exactly {@code s[from, from + length)}, ignoring case, or -1. */
    private static int indexOfName(String[] names, String s, int from, int length) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].length() == length && s.regionMatches(true, from, names[i], 0, length)) {
                return i;
            }
        }
        return -1;
    }

    private static void twoDigits(int value, byte[] out, int at) {
        out[at] = (byte) ('0' + value / 10);
        out[at + 1] = (byte) ('0' + value % 10);
    }

    private static void copy(String ascii, byte[] out, int at) {
        for (int i = 0; i < ascii.length(); i++) {
            out[at + i] = (byte) ascii.charAt(i);
        }
    }
}
