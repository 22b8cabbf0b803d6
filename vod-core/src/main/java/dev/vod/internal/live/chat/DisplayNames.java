package dev.vod.internal.live.chat;

/**
 * The rule for display names, in one place: control and format characters removed (a name must not break a line,
 * beep, or reverse the text after it with a bidi override), surrounding space trimmed, at most
 * {@link #MAX_LENGTH} characters (code points, so an emoji is not cut in half). Escaping for HTML is the page's job:
 * names are kept as typed, and the JSON writer escapes them.
 */
final class DisplayNames {
    /** Longest display name kept; longer ones are cut. */
    static final int MAX_LENGTH = 32;

    private DisplayNames() {
    }

    /** {@code requested} made safe to show; empty when nothing is left of it (or it was null). */
    static String sanitize(String requested) {
        if (requested == null) {
            return "";
        }
        StringBuilder kept = new StringBuilder(Math.min(requested.length(), MAX_LENGTH * 2));
        requested.codePoints().filter(DisplayNames::isShown).forEach(kept::appendCodePoint);
        String trimmed = kept.toString().strip();
        if (trimmed.codePointCount(0, trimmed.length()) > MAX_LENGTH) {
            trimmed = trimmed.substring(0, trimmed.offsetByCodePoints(0, MAX_LENGTH)).strip();
        }
        return trimmed;
    }

    private static boolean isShown(int codePoint) {
        int type = Character.getType(codePoint);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
                && type != Character.UNASSIGNED && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR;
    }
}
