package dev.vod.server;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The byte range {@code fetch --range} asks for: {@code a-b} (both inclusive) or {@code a-} (to the end).
 * Suffix ranges ({@code -n}) are not offered because resuming one needs the file length first.
 *
 * @param first the first byte wanted, 0-based
 * @param last the last byte wanted, inclusive, or {@link #OPEN} for "to the end"
 */
record FetchRange(long first, long last) {
    /** {@link #last} of a range that runs to the end of the file. */
    static final long OPEN = -1;

    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,18})-(\\d{1,18})?");

    FetchRange {
        if (first < 0 || (last != OPEN && last < first)) {
            throw new IllegalArgumentException("bad range " + first + "-" + last);
        }
    }

    /** Parses {@code a-b} or {@code a-}; throws {@link IllegalArgumentException} with a plain reason otherwise. */
    static FetchRange parse(String text) {
        Matcher matcher = SYNTAX.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not FIRST-LAST or FIRST-, e.g. 0-1023");
        }
        long first = Long.parseLong(matcher.group(1));
        long last = matcher.group(2) == null ? OPEN : Long.parseLong(matcher.group(2));
        if (last != OPEN && last < first) {
            throw new IllegalArgumentException("'" + text + "' ends before it starts");
        }
        return new FetchRange(first, last);
    }

    /**
     * The {@code Range} header value for the rest of this range once {@code received} bytes of it are in hand.
     */
    String headerAfter(long received) {
        return "bytes=" + (first + received) + "-" + (last == OPEN ? "" : String.valueOf(last));
    }

    /** How many bytes this range covers, or -1 when it runs to an end not yet known. */
    long length() {
        return last == OPEN ? -1 : last - first + 1;
    }

    /** Picocli converter, so a bad value is reported like any other bad flag value. */
    static final class Converter implements ITypeConverter<FetchRange> {
        @Override
        public FetchRange convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
