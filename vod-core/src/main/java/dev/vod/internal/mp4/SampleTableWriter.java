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
        out.patchInt(countAt, runs.writeRuns(out, from, to));
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
            sizes.writeEntries(out, from, to);
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

    /**
     * {@code stsc} for the kept chunks: a new entry whenever samples-per-chunk or description changes. Works run
     * by run of the source {@code stsc} (only the first and last piece can differ from their run), not chunk by
     * chunk.
     */
    static void stsc(BoxWriter out, ChunkPieces pieces) {
        int box = out.beginFull(BoxTypes.STSC, 0, 0);
        int countAt = out.reserveInt();
        StscEntries entries = new StscEntries(out);
        ChunkTable chunks = pieces.chunks();
        int last = pieces.count() - 1;
        entries.add(0, pieces.samples(0), chunks.runDescription(chunks.runOfChunk(pieces.chunk(0))));
        if (last > 1) { // the whole chunks between the first and the last piece
            int from = pieces.chunk(1);
            int to = pieces.chunk(last); // exclusive
            int firstRun = chunks.runOfChunk(from);
            int endRun = chunks.runOfChunk(to - 1) + 1;
            entries.add(Math.max(from, chunks.runFirstChunk(firstRun)) - pieces.chunk(0),
                    chunks.runSamplesPerChunk(firstRun), chunks.runDescription(firstRun));
            if (chunks.runsDistinct()) { // no run repeats its predecessor: write the rest as they are
                chunks.writeRuns(out, firstRun + 1, endRun, pieces.chunk(0));
                entries.skipped(endRun - firstRun - 1, chunks.runSamplesPerChunk(endRun - 1),
                        chunks.runDescription(endRun - 1));
            } else {
                for (int run = firstRun + 1; run < endRun; run++) {
                    entries.add(chunks.runFirstChunk(run) - pieces.chunk(0), chunks.runSamplesPerChunk(run),
                            chunks.runDescription(run));
                }
            }
        }
        if (last > 0) {
            entries.add(last, pieces.samples(last), chunks.runDescription(chunks.runOfChunk(pieces.chunk(last))));
        }
        out.patchInt(countAt, entries.count);
        out.end(box);
    }

    /** Writes stsc entries, skipping any that repeats the previous one's values. */
    private static final class StscEntries {
        private final BoxWriter out;
        private int count;
        private long samples = -1;
        private int description;

        StscEntries(BoxWriter out) {
            this.out = out;
        }

        /** Accounts for {@code count} entries written directly, the last with these values. */
        void skipped(int count, long samplesPerChunk, int descriptionIndex) {
            if (count > 0) {
                this.count += count;
                samples = samplesPerChunk;
                description = descriptionIndex;
            }
        }

        /** Pieces from {@code piece} (0-based) on hold {@code samples} each, with this description. */
        void add(int piece, long samplesPerChunk, int descriptionIndex) {
            if (count > 0 && samplesPerChunk == samples && descriptionIndex == description) {
                return;
            }
            out.writeInt(piece + 1);
            out.writeUnsignedInt(samplesPerChunk);
            out.writeInt(descriptionIndex);
            samples = samplesPerChunk;
            description = descriptionIndex;
            count++;
        }
    }
}
