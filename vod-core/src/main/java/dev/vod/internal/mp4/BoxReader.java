package dev.vod.internal.mp4;

import dev.vod.internal.ReadAhead;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads box headers: the top-level boxes of a file (headers only, one small positional read each) and the
 * children of a box held in memory.
 *
 * <p>Every size is checked before it is trusted: a box must be at least as long as its header, must end inside
 * its parent (or the file), and a size of 0 ("extends to the end") is accepted only for the last top-level box.
 * Because each box advances the cursor by at least 8 bytes, a scan always terminates.
 */
final class BoxReader {
    /** More top-level boxes than this is treated as hostile (a 24 h file cut in 1 s fragments has ~170 000). */
    static final int MAX_TOP_LEVEL_BOXES = 1_000_000;

    private BoxReader() {
    }

    /**
     * The top-level boxes of a file, or {@code null} when the file does not start like an MP4/MOV (the caller then
     * serves it as a plain file).
     *
     * @throws dev.vod.internal.HttpProblem 422 when it starts like an MP4 but its box structure is broken
     */
    static List<BoxHeader> topLevel(FileChannel channel, long fileSize) {
        List<BoxHeader> boxes = new ArrayList<>();
        ByteBuffer header = ByteBuffer.allocate(16);
        long position = 0;
        while (fileSize - position >= 8) {
            if (boxes.size() >= MAX_TOP_LEVEL_BOXES) {
                throw Mp4Problems.malformed("more than " + MAX_TOP_LEVEL_BOXES + " top-level boxes");
            }
            header.clear().limit((int) Math.min(16, fileSize - position));
            readFully(channel, header, position);
            header.flip();
            long size = header.getInt() & 0xffffffffL;
            int type = header.getInt();
            boolean first = boxes.isEmpty();
            if (first && !BoxTypes.plausibleFirstBox(type)) {
                return null;
            }
            int headerSize = 8;
            if (size == 1) {
                if (header.remaining() < 8) {
                    throw Mp4Problems.malformed("truncated 64-bit size of top-level box " + BoxTypes.name(type));
                }
                size = header.getLong();
                headerSize = 16;
                if (size < 0) {
                    throw Mp4Problems.malformed("64-bit size of box " + BoxTypes.name(type) + " overflows");
                }
            } else if (size == 0) {
                size = fileSize - position; // "extends to the end of the file": necessarily the last box
            }
            if (size < headerSize) {
                if (first) {
                    return null;
                }
                throw Mp4Problems.malformed("box " + BoxTypes.name(type) + " at " + position + " has size " + size);
            }
            if (size > fileSize - position) {
                throw Mp4Problems.malformed("box " + BoxTypes.name(type) + " at " + position + " claims " + size
                        + " bytes but the file ends after " + (fileSize - position) + " (truncated file?)");
            }
            boxes.add(new BoxHeader(type, position, headerSize, size));
            if (type == BoxTypes.MOOV) {
                // Read whole next (Mp4Index): a store fetches all of its slices now, not one after another.
                ReadAhead.hint(channel, position, size);
            }
            position += size;
        }
        // Fewer than 8 trailing bytes cannot be a box: tolerated as padding.
        return boxes.isEmpty() ? null : boxes;
    }

    /** The child boxes in {@code [from, to)} of {@code buffer} (absolute buffer indexes), checked to nest exactly. */
    static List<BoxHeader> children(ByteBuffer buffer, long from, long to, String parent) {
        List<BoxHeader> boxes = new ArrayList<>();
        long position = from;
        while (position < to) {
            if (to - position < 8) {
                throw Mp4Problems.malformed(to - position + " stray bytes at the end of " + parent);
            }
            long size = buffer.getInt((int) position) & 0xffffffffL;
            int type = buffer.getInt((int) position + 4);
            int headerSize = 8;
            if (size == 1) {
                if (to - position < 16) {
                    throw Mp4Problems.malformed("truncated 64-bit size of " + BoxTypes.name(type) + " in " + parent);
                }
                size = buffer.getLong((int) position + 8);
                headerSize = 16;
            } else if (size == 0) {
                throw Mp4Problems.malformed("box " + BoxTypes.name(type) + " in " + parent
                        + " has size 0, only valid for the last top-level box");
            }
            if (size < headerSize) {
                throw Mp4Problems.malformed("box " + BoxTypes.name(type) + " in " + parent + " has size " + size);
            }
            if (size > to - position) {
                throw Mp4Problems.malformed("box " + BoxTypes.name(type) + " of " + size
                        + " bytes extends past the end of " + parent);
            }
            boxes.add(new BoxHeader(type, position, headerSize, size));
            position += size;
        }
        return boxes;
    }

    /** The children of {@code box}, itself inside {@code buffer}. */
    static List<BoxHeader> children(ByteBuffer buffer, BoxHeader box) {
        return children(buffer, box.payloadOffset(), box.end(), box.name());
    }

    /** The first box of that type, or {@code null}. */
    static BoxHeader find(List<BoxHeader> boxes, int type) {
        for (BoxHeader b : boxes) {
            if (b.type() == type) {
                return b;
            }
        }
        return null;
    }

    /** The first box of that type; a 422 naming {@code context} when there is none. */
    static BoxHeader require(List<BoxHeader> boxes, int type, String context) {
        BoxHeader box = find(boxes, type);
        if (box == null) {
            throw Mp4Problems.malformed(context + " has no " + BoxTypes.name(type) + " box");
        }
        return box;
    }

    /** Reads exactly {@code buffer.remaining()} bytes at {@code position}. */
    static void readFully(FileChannel channel, ByteBuffer buffer, long position) {
        try {
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position);
                if (n < 0) {
                    throw Mp4Problems.malformed("file shrank while reading it");
                }
                position += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
