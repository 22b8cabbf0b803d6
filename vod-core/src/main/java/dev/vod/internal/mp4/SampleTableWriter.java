package dev.vod.internal.mp4;

import java.nio.ByteBuffer;

/**
 * Writes the sample-table boxes of a cut track: each table restricted to samples {@code [from, to)} and
 * renumbered from 1. Per-sample tables the cut cannot keep consistent and that players do not need
 * ({@code cslg}, {@code stps}, {@code subs}, {@code saiz}, ...) are dropped.
 */
final class SampleTableWriter {
    private SampleTableWriter() {
    }

    /** Writes {@code box} of {@code track} restricted to samples {@code [from, to)}, or nothing if it is dropped. */
    static void clipped(BoxWriter out, ByteBuffer in, Track track, BoxHeader box, long from, long to) {
        int type = box.type();
        if (type == BoxTypes.STTS) {
            runs(out, BoxTypes.STTS, 0, track.times.runs(), from, to);
        } else if (type == BoxTypes.CTTS) {
            runs(out, BoxTypes.CTTS, in.getInt((int) box.payloadOffset()), track.compositionOffsets, from, to);
        } else if (type == BoxTypes.STSS) {
            stss(out, track.syncSamples, from, to);
        } else if (type == BoxTypes.STSZ || type == BoxTypes.STZ2) {
            stsz(out, track.sizes, from, to);
        } else if (type == BoxTypes.SDTP) {
            sdtp(out, in, box, track.sampleCount(), from, to);
        } else if (type == BoxTypes.SBGP) {
            sbgp(out, in, box, from, to);
        }
    }

    private static void runs(BoxWriter out, int type, int versionAndFlags, Runs runs, long from, long to) {
        int box = out.begin(type);
        out.writeInt(versionAndFlags);
        int countAt = out.reserveInt();
        int[] entries = {0};
        runs.forEachRun(from, to, (count, value) -> {
            out.writeUnsignedInt(count);
            out.writeInt(value);
            entries[0]++;
        });
        out.patchInt(countAt, entries[0]);
        out.end(box);
    }

    private static void stss(BoxWriter out, SyncSamples sync, long from, long to) {
        int box = out.beginFull(BoxTypes.STSS, 0, 0);
        int countAt = out.reserveInt();
        int entries = 0;
        for (int i = sync.firstIndexAtOrAfter(from); i < sync.count() && sync.sample(i) < to; i++) {
            out.writeUnsignedInt(sync.sample(i) - from + 1);
            entries++;
        }
        out.patchInt(countAt, entries);
        out.end(box);
    }

    private static void stsz(BoxWriter out, SampleSizes sizes, long from, long to) {
        int box = out.beginFull(BoxTypes.STSZ, 0, 0);
        out.writeUnsignedInt(sizes.fixedSize());
        out.writeUnsignedInt(to - from);
        if (sizes.is32BitTable()) {
            out.write(sizes.buffer(), sizes.entryPosition(from), 4 * (to - from));
        } else if (!sizes.isFixed()) {
            for (long i = from; i < to; i++) {
                out.writeUnsignedInt(sizes.size(i));
            }
        }
        out.end(box);
    }

    /** {@code sdtp}: one byte per sample; dropped when it does not cover every sample. */
    private static void sdtp(BoxWriter out, ByteBuffer in, BoxHeader box, long sampleCount, long from, long to) {
        if (box.payloadSize() - 4 != sampleCount) {
            return;
        }
        int at = out.begin(BoxTypes.SDTP);
        out.write(in, box.payloadOffset(), 4);
        out.write(in, box.payloadOffset() + 4 + from, to - from);
        out.end(at);
    }

    /** {@code sbgp}: run-length sample-to-group map; version 1 carries a grouping type parameter. */
    private static void sbgp(BoxWriter out, ByteBuffer in, BoxHeader box, long from, long to) {
        int payload = (int) box.payloadOffset();
        int version = in.get(payload) & 0xff;
        int header = version == 1 ? 12 : 8; // version/flags, grouping_type[, grouping_type_parameter]
        if (box.payloadSize() < header + 4) {
            return;
        }
        long entries = in.getInt(payload + header) & 0xffffffffL;
        if (entries * 8 > box.payloadSize() - header - 4) {
            throw Mp4Problems.malformed("sbgp declares more entries than it holds");
        }
        Runs runs = new Runs(in, payload + header + 4, 8, (int) entries, false, "sbgp");
        int at = out.begin(BoxTypes.SBGP);
        out.write(in, payload, header);
        int countAt = out.reserveInt();
        int[] written = {0};
        runs.forEachRun(from, Math.min(to, runs.sampleCount()), (count, value) -> {
            out.writeUnsignedInt(count);
            out.writeInt(value);
            written[0]++;
        });
        out.patchInt(countAt, written[0]);
        out.end(at);
    }

    /** {@code stsc} for the kept chunks: a new entry whenever samples-per-chunk or description changes. */
    static void stsc(BoxWriter out, ChunkPieces pieces) {
        int box = out.beginFull(BoxTypes.STSC, 0, 0);
        int countAt = out.reserveInt();
        int entries = 0;
        for (int i = 0; i < pieces.count(); i++) {
            if (i == 0 || pieces.samples(i) != pieces.samples(i - 1)
                    || pieces.description(i) != pieces.description(i - 1)) {
                out.writeInt(i + 1);
                out.writeUnsignedInt(pieces.samples(i));
                out.writeInt(pieces.description(i));
                entries++;
            }
        }
        out.patchInt(countAt, entries);
        out.end(box);
    }
}
