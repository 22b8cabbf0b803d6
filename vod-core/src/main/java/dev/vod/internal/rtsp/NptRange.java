package dev.vod.internal.rtsp;

import java.util.Locale;

/**
 * A PLAY request's {@code Range: npt=start-[end]} (RFC 2326 §3.6), in seconds. {@code npt=now-} and an absent
 * header both mean "from where the session is" and parse to {@link #RESUME}.
 *
 * @param start seconds from the beginning, or -1 to resume
 * @param end   seconds, or -1 for "to the end"
 */
public record NptRange(double start, double end) {
    /** Continue from the current position. */
    public static final NptRange RESUME = new NptRange(-1, -1);

    /**
     * Parses a Range header value; null for a header that is not a valid {@code npt} range (the caller answers
     * 457 Invalid Range), {@link #RESUME} for a missing one.
     */
    public static NptRange parse(String header) {
        if (header == null || header.isBlank()) {
            return RESUME;
        }
        String value = header.trim();
        int semicolon = value.indexOf(';'); // ";time=..." asks to start at a wall-clock time: not supported, ignored
        if (semicolon >= 0) {
            value = value.substring(0, semicolon).trim();
        }
        if (!value.toLowerCase(Locale.ROOT).startsWith("npt=") || value.length() > 64) {
            return null;
        }
        value = value.substring(4).trim();
        int dash = value.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String from = value.substring(0, dash).trim();
        String to = value.substring(dash + 1).trim();
        double start;
        if (from.equalsIgnoreCase("now") || from.isEmpty()) {
            start = -1;
        } else {
            start = seconds(from);
            if (Double.isNaN(start)) {
                return null;
            }
        }
        double end = to.isEmpty() ? -1 : seconds(to);
        if (Double.isNaN(end) || (end >= 0 && start >= 0 && end < start)) {
            return null;
        }
        return new NptRange(start, end);
    }

    /** {@code 12.5} or {@code h:mm:ss.frac}; NaN when neither. */
    private static double seconds(String text) {
        try {
            String[] parts = text.split(":");
            if (parts.length == 1) {
                return nonNegative(Double.parseDouble(text));
            }
            if (parts.length != 3) {
                return Double.NaN;
            }
            long hours = Long.parseLong(parts[0]);
            int minutes = Integer.parseInt(parts[1]);
            double secs = Double.parseDouble(parts[2]);
            if (hours < 0 || minutes < 0 || minutes > 59 || secs < 0 || secs >= 60) {
                return Double.NaN;
            }
            return nonNegative(hours * 3600.0 + minutes * 60 + secs);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double nonNegative(double v) {
        return v >= 0 && !Double.isInfinite(v) ? v : Double.NaN;
    }

    /** Whether this is a resume rather than a seek. */
    public boolean resumes() {
        return start < 0;
    }

    /** {@code npt=1.000-10.000} as a response header states a range. */
    static String format(double start, double end) {
        return String.format(Locale.ROOT, "npt=%.3f-%s", start, end < 0 ? "" : String.format(Locale.ROOT, "%.3f", end));
    }
}
