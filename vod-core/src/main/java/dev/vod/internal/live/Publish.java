package dev.vod.internal.live;

import dev.vod.internal.HttpProblem;
import dev.vod.internal.mp4.LiveInit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One publisher's request body turned into a rendition's init segment and fragments: {@code ftyp} and {@code moov}
 * first (the init segment), then {@code moof + mdat} pairs, each appended to the rendition as it completes.
 * {@code styp}, {@code sidx}, {@code prft}, {@code free}, {@code skip}, {@code emsg} and {@code uuid} boxes are
 * skipped. Anything else is refused with a 4xx (see {@link BoxSplitter}): a fragment before the {@code moov},
 * an {@code mdat} without its {@code moof}, a moov that is not fragmented. Each fragment is also written to the
 * {@link SpoolFile} of its segment (a new one at every key frame) when there is a spool directory, so viewers get
 * it with sendfile. Confined to the publisher's event loop.
 */
final class Publish {
    private static final Logger log = LoggerFactory.getLogger("vod.live");
    private static final int FTYP = fourcc("ftyp");
    private static final int MOOV = fourcc("moov");
    private static final int MOOF = fourcc("moof");
    private static final int MDAT = fourcc("mdat");

    final LiveChannel channel;
    final LiveRendition rendition;
    private final ByteBufAllocator alloc;
    private final BoxSplitter splitter;
    private final LiveRecorder recorder;
    private final long startedNanos = System.nanoTime();
    private byte[] ftyp;
    private LiveInit init;
    private ByteBuf moof;
    private long fragments;
    private boolean keyFrameSeen;
    private long lastData = System.nanoTime();
    /** Where segments are spooled; null when not (none configured, or the file system refused one). */
    private Path spoolDir;
    /** The spool file of the segment being received; this publish holds one reference to it. */
    private SpoolFile spool;

    Publish(LiveChannel channel, LiveRendition rendition, ByteBufAllocator alloc, long maxFragment,
            LiveRecorder recorder, Path spoolDir) {
        this.channel = channel;
        this.rendition = rendition;
        this.alloc = alloc;
        this.recorder = recorder;
        this.spoolDir = spoolDir;
        this.splitter = new BoxSplitter(alloc, maxFragment, this::box);
    }

    /** Takes the next piece of the body (not released here). @throws HttpProblem 4xx for bad input */
    void feed(ByteBuf chunk) {
        if (chunk.isReadable()) {
            lastData = System.nanoTime();
        }
        splitter.feed(chunk);
    }

    private void box(int type, ByteBuf box) {
        try {
            if (type == FTYP && init == null) {
                ftyp = bytes(box);
            } else if (type == MOOV) {
                startInit(bytes(box));
            } else if (type == MOOF) {
                if (init == null) {
                    throw new HttpProblem(415, "a moof before the moov: publish fragmented MP4 with empty_moov");
                }
                if (moof != null) {
                    throw new HttpProblem(422, "a moof without its mdat");
                }
                moof = box.retain();
            } else if (type == MDAT) {
                if (moof == null) {
                    throw new HttpProblem(init == null ? 415 : 422, init == null
                            ? "media data before the moov: the body is not fragmented MP4"
                            + " (-movflags frag_keyframe+empty_moov+default_base_moof)" : "an mdat without its moof");
                }
                fragment(box);
            } else if (init == null && fragments == 0 && !skippable(type)) {
                throw new HttpProblem(415, "the body is not fragmented MP4 (it starts with a '"
                        + name(type) + "' box)");
            }
        } finally {
            box.release();
        }
    }

    private void startInit(byte[] moovBytes) {
        LiveInit parsed = LiveInit.parse(moovBytes);
        byte[] prefix = ftyp == null ? new byte[0] : ftyp;
        ByteArrayOutputStream whole = new ByteArrayOutputStream(prefix.length + moovBytes.length);
        whole.writeBytes(prefix);
        whole.writeBytes(moovBytes);
        init = parsed;
        byte[] initBytes = whole.toByteArray();
        rendition.init(initBytes, parsed);
        if (recorder != null) {
            recorder.init(initBytes);
        }
        log.info("live {}/{}: publishing {}", channel.name, rendition.name, parsed.tracks());
    }

    private void fragment(ByteBuf mdat) {
        ByteBuf moofBox = moof;
        moof = null;
        try {
            byte[] moofBytes = bytes(moofBox);
            long length = (long) moofBytes.length + mdat.readableBytes();
            LiveInit.Fragment described = init.describe(ByteBuffer.wrap(moofBytes), length);
            CompositeByteBuf data = alloc.compositeDirectBuffer(2);
            data.addComponent(true, moofBox.retain());
            data.addComponent(true, mdat.retain());
            if (recorder != null) {
                recorder.fragment(data);
            }
            fragments++;
            long offset = spool(data, described.independent());
            if (rendition.append(this, data, described, System.currentTimeMillis(), offset < 0 ? null : spool,
                    offset)) {
                keyFrameSeen |= described.independent();
            }
        } finally {
            moofBox.release();
        }
    }

    /**
     * Writes the fragment to its segment's spool file (a new file when it starts a segment, i.e. with a key frame)
     * and returns where it starts there; -1 when it is not spooled. A file system that refuses (full, gone) turns
     * spooling off for the rest of this publish: its viewers get the buffers instead.
     */
    private long spool(ByteBuf data, boolean startsSegment) {
        if (spoolDir == null) {
            return -1;
        }
        try {
            if (startsSegment) {
                releaseSpool();
                spool = SpoolFile.create(spoolDir);
            }
            return spool == null ? -1 : spool.append(data);
        } catch (IOException e) {
            log.warn("live {}/{}: segments served from memory, not spooled to {}: {}", channel.name,
                    rendition.name, spoolDir, e.toString());
            spoolDir = null;
            releaseSpool();
            return -1;
        }
    }

    private void releaseSpool() {
        if (spool != null) {
            spool.release();
            spool = null;
        }
    }

    /**
     * Checks the publish's clocks; @throws HttpProblem 408 when no byte came for {@code timeoutNanos}, 422 when
     * no key frame came within it of the start
     */
    void checkTimeouts(long timeoutNanos) {
        long now = System.nanoTime();
        if (now - lastData > timeoutNanos) {
            throw new HttpProblem(408, "no data for " + timeoutNanos / 1_000_000_000 + " s");
        }
        if (!keyFrameSeen && now - startedNanos > timeoutNanos) {
            throw new HttpProblem(422, "no key frame within " + timeoutNanos / 1_000_000_000 + " s");
        }
    }

    /** Whether the body ended in the middle of a box. */
    boolean cut() {
        return splitter.midBox() || moof != null;
    }

    long fragments() {
        return fragments;
    }

    /** Frees what is held; a recording is closed and put in place. */
    void release() {
        if (recorder != null) {
            recorder.finish();
        }
        splitter.release();
        releaseSpool();
        if (moof != null) {
            moof.release();
            moof = null;
        }
    }

    private static boolean skippable(int type) {
        String n = name(type);
        return n.equals("styp") || n.equals("sidx") || n.equals("prft") || n.equals("free") || n.equals("skip")
                || n.equals("emsg") || n.equals("uuid") || n.equals("mfra");
    }

    private static byte[] bytes(ByteBuf box) {
        byte[] out = new byte[box.readableBytes()];
        box.getBytes(box.readerIndex(), out);
        return out;
    }

    private static int fourcc(String s) {
        return (s.charAt(0) << 24) | (s.charAt(1) << 16) | (s.charAt(2) << 8) | s.charAt(3);
    }

    private static String name(int type) {
        return new String(new char[] {(char) (type >>> 24), (char) ((type >>> 16) & 0xff),
                (char) ((type >>> 8) & 0xff), (char) (type & 0xff)});
    }
}
