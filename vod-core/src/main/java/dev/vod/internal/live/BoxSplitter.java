package dev.vod.internal.live;

import dev.vod.internal.HttpProblem;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Splits a stream of bytes (a publisher's request body, chunk by chunk) into top-level MP4 boxes, each copied
 * once into a buffer of its own exact size as its bytes arrive — so a fragment's boxes are stored without being
 * gathered or copied again. A box over the limit is refused as soon as its header says so, before its bytes
 * arrive. Confined to one event loop.
 */
final class BoxSplitter {
    /** Receives each complete box; takes ownership of {@code box} (header included). */
    interface Sink {
        void box(int type, ByteBuf box);
    }

    /** Boxes an MP4 stream can start with: anything else is not one, whatever its bytes look like. */
    private static final Set<String> FIRST_BOXES = Set.of("ftyp", "styp", "moov", "free", "skip", "wide", "uuid");

    private final ByteBufAllocator alloc;
    private final long maxBox;
    private final Sink sink;
    private final byte[] header = new byte[16];
    private int headerFilled;
    private ByteBuf box;
    private int boxType;
    private long boxesSeen;

    BoxSplitter(ByteBufAllocator alloc, long maxBox, Sink sink) {
        this.alloc = alloc;
        this.maxBox = maxBox;
        this.sink = sink;
    }

    /**
     * Consumes {@code chunk} (not released here).
     *
     * @throws HttpProblem 413 for a box over the limit, 415 for bytes that are not MP4 boxes
     */
    void feed(ByteBuf chunk) {
        while (chunk.isReadable()) {
            if (box == null) {
                int need = headerNeeded();
                int take = Math.min(need - headerFilled, chunk.readableBytes());
                chunk.readBytes(header, headerFilled, take);
                headerFilled += take;
                if (headerFilled < need) {
                    return;
                }
                if (need == 8 && size32() == 1) {
                    continue; // a 64-bit size follows
                }
                start();
            } else {
                int take = Math.min(box.writableBytes(), chunk.readableBytes());
                box.writeBytes(chunk, take);
                if (!box.isWritable()) {
                    ByteBuf done = box;
                    box = null;
                    headerFilled = 0;
                    sink.box(boxType, done);
                }
            }
        }
    }

    private int headerNeeded() {
        return headerFilled >= 8 && size32() == 1 ? 16 : 8;
    }

    private long size32() {
        return ((header[0] & 0xffL) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
    }

    private void start() {
        boxType = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                | (header[7] & 0xff);
        for (int i = 4; i < 8; i++) {
            if (header[i] < 0x20 || header[i] > 0x7e) {
                throw new HttpProblem(415, boxesSeen == 0 ? "the body is not MP4 (publish fragmented MP4: -f mp4"
                        + " -movflags frag_keyframe+empty_moov+default_base_moof)" : "malformed box type");
            }
        }
        if (boxesSeen == 0 && !FIRST_BOXES.contains(new String(header, 4, 4, StandardCharsets.ISO_8859_1))) {
            throw new HttpProblem(415, "the body is not MP4 (publish fragmented MP4: -f mp4"
                    + " -movflags frag_keyframe+empty_moov+default_base_moof)");
        }
        long size = size32();
        int headerSize = 8;
        if (size == 1) {
            size = 0;
            for (int i = 8; i < 16; i++) {
                size = size << 8 | (header[i] & 0xff);
            }
            headerSize = 16;
        }
        if (size == 0) {
            throw new HttpProblem(415, "a box without a size (to the end of the stream) cannot be streamed live");
        }
        if (size < headerSize) {
            throw new HttpProblem(415, "malformed box size " + size);
        }
        if (size > maxBox) {
            throw new HttpProblem(413, "a box of " + size + " bytes is over the limit of " + maxBox);
        }
        boxesSeen++;
        box = alloc.directBuffer((int) size, (int) size);
        box.writeBytes(header, 0, headerSize);
        if (!box.isWritable()) {
            ByteBuf done = box;
            box = null;
            headerFilled = 0;
            sink.box(boxType, done);
        }
    }

    /** Bytes of a box still being received (a body that ends here was cut). */
    boolean midBox() {
        return box != null || headerFilled > 0;
    }

    void release() {
        if (box != null) {
            box.release();
            box = null;
        }
    }
}
