package dev.vod.server;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * The text progress bar {@code fetch} draws on stderr, redrawn in place with a carriage return at most ten times a
 * second, plus the download's notes on lines of their own:
 *
 * <pre>
 * [##############>               ]  47%   1.9 MiB / 4.0 MiB   812.4 KiB/s
 * </pre>
 *
 * With the bar off ({@code --no-progress}) only the notes are printed. The JDK is enough for this; a bar library
 * would add a dependency and its own terminal detection for a few lines of drawing.
 */
final class ProgressBar implements FetchListener {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean drawBar;
    private long segmentStart = System.nanoTime();
    private long segmentStartBytes;
    private long lastDraw;
    private long lastBytes;
    private long drawnBytes = -1;
    private long lastTotal = -1;
    private boolean lineOpen;

    ProgressBar(PrintWriter err, boolean drawBar) {
        this.err = err;
        this.drawBar = drawBar;
    }

    @Override
    public synchronized void requestSent(int number, Map<String, String> headers) {
        segmentStart = System.nanoTime();
        segmentStartBytes = lastBytes;
    }

    @Override
    public synchronized void progress(long bytes, long total) {
        lastBytes = bytes;
        lastTotal = total;
        long now = System.nanoTime();
        if (drawBar && (now - lastDraw >= REDRAW_NANOS || bytes == total)) {
            lastDraw = now;
            draw(now);
        }
    }

    @Override
    public synchronized void note(String message) {
        endLine();
        err.println("vod fetch: " + message);
        err.flush();
    }

    /** Draws the final state and ends the bar's line, so what follows starts on a fresh one. */
    synchronized void finish() {
        if (drawBar && lastBytes > 0 && lastBytes != drawnBytes) {
            draw(System.nanoTime());
        }
        endLine();
    }

    private void draw(long now) {
        StringBuilder line = new StringBuilder("\r");
        if (lastTotal > 0) {
            int filled = (int) Math.min(WIDTH, lastBytes * WIDTH / lastTotal);
            line.append('[').append("#".repeat(filled));
            line.append(filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "").append(']');
            line.append(String.format(Locale.ROOT, " %3d%%", lastBytes * 100 / lastTotal));
            line.append("  ").append(FetchMetrics.humanBytes(lastBytes)).append(" / ")
                    .append(FetchMetrics.humanBytes(lastTotal));
        } else {
            line.append(FetchMetrics.humanBytes(lastBytes));
        }
        double seconds = (now - segmentStart) / 1e9;
        if (seconds > 0) {
            line.append("  ").append(FetchMetrics.humanBytes((long) ((lastBytes - segmentStartBytes) / seconds)))
                    .append("/s   ");
        }
        err.print(line);
        err.flush();
        drawnBytes = lastBytes;
        lineOpen = true;
    }

    private void endLine() {
        if (lineOpen) {
            err.println();
            lineOpen = false;
        }
    }
}
