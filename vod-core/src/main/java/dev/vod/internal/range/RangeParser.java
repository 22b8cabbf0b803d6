package dev.vod.internal.range;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The parsing and coalescing behind {@link RangeSpec#parse}; see there for the rules. */
final class RangeParser {
    static final RangeSpec.Ignore IGNORE = new RangeSpec.Ignore();
    static final RangeSpec.Unsatisfiable UNSATISFIABLE = new RangeSpec.Unsatisfiable();

    /** Marks a syntax error while scanning one range-spec. */
    private static final long INVALID = -1;
    /** Stands for any number too large for a long; larger than every representation length. */
    private static final long HUGE = Long.MAX_VALUE;

    private RangeParser() {
    }

    static RangeSpec parse(String header, long length) {
        if (header == null || header.length() > RangeSpec.MAX_HEADER_LENGTH || length < 0) {
            return IGNORE;
        }
        int equals = header.indexOf('=');
        if (equals < 0 || !trim(header, 0, equals).equalsIgnoreCase("bytes")) {
            return IGNORE;
        }
        List<ByteRange> satisfiable = new ArrayList<>();
        int specs = 0;
        boolean suffixOnEmpty = false;
        int start = equals + 1;
        while (start <= header.length()) {
            int comma = header.indexOf(',', start);
            int end = comma < 0 ? header.length() : comma;
            String spec = trim(header, start, end);
            start = end + 1;
            if (spec.isEmpty()) {
                continue; // "bytes=0-1,,2-3": empty list elements are allowed by the #rule
            }
            if (++specs > RangeSpec.MAX_RANGES) {
                return IGNORE;
            }
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return IGNORE;
            }
            if (dash == 0) {
                long suffix = number(spec, 1, spec.length());
                if (suffix == INVALID) {
                    return IGNORE;
                }
                if (suffix > 0 && length == 0) {
                    suffixOnEmpty = true;
                } else if (suffix > 0) {
                    satisfiable.add(new ByteRange(Math.max(0, length - suffix), length - 1));
                }
                continue;
            }
            long first = number(spec, 0, dash);
            boolean open = dash == spec.length() - 1;
            long last = open ? HUGE : number(spec, dash + 1, spec.length());
            if (first == INVALID || last == INVALID || last < first) {
                return IGNORE;
            }
            if (first < length) {
                satisfiable.add(new ByteRange(first, Math.min(last, length - 1)));
            }
        }
        if (specs == 0) {
            return IGNORE;
        }
        if (satisfiable.isEmpty()) {
            return suffixOnEmpty ? IGNORE : UNSATISFIABLE;
        }
        return new RangeSpec.Satisfiable(coalesce(satisfiable));
    }

    /** Sorts and merges ranges that overlap, touch or lie less than {@link RangeSpec#COALESCE_GAP} apart. */
    static List<ByteRange> coalesce(List<ByteRange> ranges) {
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ByteRange::first));
        List<ByteRange> merged = new ArrayList<>(sorted.size());
        ByteRange current = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            ByteRange next = sorted.get(i);
            // gap = bytes strictly between the two ranges; negative when they overlap. No overflow: both >= 0.
            long gap = next.first() - current.last() - 1;
            if (gap < RangeSpec.COALESCE_GAP) {
                current = new ByteRange(current.first(), Math.max(current.last(), next.last()));
            } else {
                merged.add(current);
                current = next;
            }
        }
        merged.add(current);
        return merged;
    }

    /** Digits only, saturating at {@link #HUGE}; {@link #INVALID} when empty or any other character. */
    private static long number(String s, int from, int to) {
        if (from >= to) {
            return INVALID;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return INVALID;
            }
            int digit = c - '0';
            value = value > (HUGE - digit) / 10 ? HUGE : value * 10 + digit;
        }
        return value;
    }

    /** The substring without optional whitespace (SP, HTAB) at either end. */
    private static String trim(String s, int from, int to) {
        while (from < to && isOws(s.charAt(from))) {
            from++;
        }
        while (to > from && isOws(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
