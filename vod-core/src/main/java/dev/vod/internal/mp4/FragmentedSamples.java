package dev.vod.internal.mp4;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.List;

/**
 * {@link SampleView} of one track of a fragmented MP4, built by reading every top-level {@code moof}
 * ({@code tfhd}, {@code tfdt}, {@code trun}; defaults from {@code trex}) into compact arrays: about 29 bytes
 * per sample, and only the moof boxes are read, never media data.
 *
 * <p>Every data offset is checked to lie inside the file; sizes and counts are bounded by the moof they come
 * from, and the total by {@link #MAX_SAMPLES}.
 */
final class FragmentedSamples implements SampleView {
    /** The most samples ever held for one track (about 60 hours of 25 fps video plus its audio). */
    static final int MAX_SAMPLES = 20_000_000;
    /** Samples one live fragment may hold: minutes of 120 fps video, far beyond any real fragment. */
    static final int MAX_FRAGMENT_SAMPLES = 100_000;

    private static final int NON_SYNC = 0x00010000;

    private int count;
    private long[] offsets = new long[1024];
    private int[] sizes = new int[1024];
    private long[] decodeTimes = new long[1025];
    private int[] compositionOffsets = new int[1024];
    private long[] sizesBefore;
    private int[] syncs = new int[64];
    private int syncCount;
    /** The moofs holding this track's samples: their file offsets and the first sample each holds. */
    private long[] moofOffsets = new long[64];
    private int[] moofFirstSample = new int[64];
    private int moofCount;

    /** Samples this track may hold: the bound is what a moov of the configured maximum could describe. */
    private final int limit;

    private FragmentedSamples(int limit) {
        this.limit = limit;
    }

    /** Reads the samples of track {@code trackId} from every moof of the file. */
    static FragmentedSamples read(FileChannel channel, List<BoxHeader> topLevel, Movie movie, int trackId,
                                  long fileSize, long maxMoovBytes) {
        Defaults trex = Defaults.ofTrex(movie, trackId);
        // A progressive file's moov spends at least 8 bytes per sample (stsz and stts/stsc/stco shares); holding a
        // fragmented file to the same count bounds its arrays (29 bytes a sample) like the moov limit bounds those.
        FragmentedSamples samples = new FragmentedSamples((int) Math.min(MAX_SAMPLES, Math.max(1, maxMoovBytes / 8)));
        long nextDecode = 0;
        for (BoxHeader box : topLevel) {
            if (box.type() == BoxTypes.MOOF) {
                ByteBuffer moof = FragmentIndex.read(channel, box);
                nextDecode = samples.readMoof(moof, box.offset(), trackId, trex, nextDecode, fileSize);
            }
        }
        samples.finish(nextDecode);
        return samples;
    }

    /**
     * The samples of track {@code trackId} in one fragment held in memory: {@code moof} is the moof box, and the
     * fragment (moof + mdat) is {@code fragmentSize} bytes long; sample offsets are relative to the moof's start.
     * Decode times start at the fragment's tfdt (0 without one).
     */
    static FragmentedSamples ofFragment(ByteBuffer moof, Movie movie, int trackId, long fragmentSize) {
        FragmentedSamples samples = new FragmentedSamples(MAX_FRAGMENT_SAMPLES);
        long end = samples.readMoof(moof, 0, trackId, Defaults.ofTrex(movie, trackId), 0, fragmentSize);
        samples.finish(end);
        return samples;
    }

    private long readMoof(ByteBuffer moof, long moofOffset, int trackId, Defaults trex, long nextDecode,
                          long fileSize) {
        BoxHeader root = new BoxHeader(BoxTypes.MOOF, 0, 8, moof.capacity());
        long previousTrafEnd = moofOffset;
        for (MoofParser.Traf traf : MoofParser.trafs(moof, root)) {
            List<BoxHeader> parts = traf.parts();
            BoxHeader tfhd = traf.tfhd();
            int flags = traf.flags();
            int id = traf.trackId();
            Defaults d = trex.with(moof, tfhd, flags);
            long base = (flags & 0x01) != 0 ? d.baseOffset : (flags & 0x020000) != 0 ? moofOffset : previousTrafEnd;
            long dataEnd = base;
            long decode = nextDecode;
            for (BoxHeader part : parts) {
                if (part.type() == BoxTypes.TFDT && id == trackId) {
                    decode = MoofParser.tfdt(moof, part);
                }
            }
            if (id == trackId && (moofCount == 0 || moofOffsets[moofCount - 1] != moofOffset)) {
                if (moofCount == moofOffsets.length) {
                    moofOffsets = Arrays.copyOf(moofOffsets, moofCount * 2);
                    moofFirstSample = Arrays.copyOf(moofFirstSample, moofCount * 2);
                }
                moofOffsets[moofCount] = moofOffset;
                moofFirstSample[moofCount++] = count;
            }
            // A tfdt a little before the running end (rounding in some muxers) shortens the previous sample; one
            // before the previous sample's own start would make decode times go backwards.
            if (id == trackId && count > 0 && decode < decodeTimes[count - 1]) {
                throw Mp4Problems.malformed("fragment decode times go backwards in track " + trackId);
            }
            for (BoxHeader part : parts) {
                if (part.type() == BoxTypes.TRUN) {
                    long[] state = {dataEnd, decode};
                    readTrun(moof, part, base, d, id == trackId, state, fileSize);
                    dataEnd = state[0];
                    decode = state[1];
                }
            }
            previousTrafEnd = dataEnd;
            if (id == trackId) {
                nextDecode = decode;
            }
        }
        return nextDecode;
    }

    /** {@code state}: [next data offset, next decode time], updated. */
    private void readTrun(ByteBuffer moof, BoxHeader trun, long base, Defaults d, boolean keep, long[] state,
                          long fileSize) {
        int at = (int) trun.payloadOffset();
        if (trun.payloadSize() < 8) {
            throw Mp4Problems.malformed("trun box too short");
        }
        int flags = moof.getInt(at) & 0xffffff;
        long samples = moof.getInt(at + 4) & 0xffffffffL;
        int p = at + 8;
        long offset = state[0];
        if ((flags & 0x001) != 0) {
            offset = base + moof.getInt(p);
            p += 4;
        }
        int firstFlags = -1;
        if ((flags & 0x004) != 0) {
            firstFlags = moof.getInt(p);
            p += 4;
        }
        int perSample = Integer.bitCount(flags & 0xf00) * 4;
        if (p > trun.end() || samples * perSample > trun.end() - p) {
            throw Mp4Problems.malformed("trun declares more samples than it holds");
        }
        long decode = state[1];
        for (long i = 0; i < samples; i++) {
            long duration = (flags & 0x100) != 0 ? moof.getInt(p) & 0xffffffffL : d.duration;
            p += (flags & 0x100) != 0 ? 4 : 0;
            long size = (flags & 0x200) != 0 ? moof.getInt(p) & 0xffffffffL : d.size;
            p += (flags & 0x200) != 0 ? 4 : 0;
            int sampleFlags = (flags & 0x400) != 0 ? moof.getInt(p) : i == 0 && firstFlags != -1 ? firstFlags : d.flags;
            p += (flags & 0x400) != 0 ? 4 : 0;
            int cto = 0;
            if ((flags & 0x800) != 0) {
                cto = moof.getInt(p); // read as signed in both versions, as muxers that write version 0 mean it
                p += 4;
            }
            if (offset < 0 || size > fileSize || offset > fileSize - size) {
                throw Mp4Problems.malformed("fragment sample data lies outside the file");
            }
            if (keep) {
                add(offset, (int) size, decode, cto, (sampleFlags & NON_SYNC) == 0);
            }
            offset += size;
            decode = Math.addExact(decode, duration);
        }
        state[0] = offset;
        state[1] = decode;
    }

    private void add(long offset, int size, long decode, int cto, boolean sync) {
        if (count == limit) {
            throw new dev.vod.internal.HttpProblem(500, "fragmented MP4 with more than " + limit
                    + " samples in one track exceeds the server limit (raise the MP4 index limit)");
        }
        if (count == offsets.length) {
            int grown = (int) Math.min(limit, count * 2L);
            offsets = Arrays.copyOf(offsets, grown);
            sizes = Arrays.copyOf(sizes, grown);
            compositionOffsets = Arrays.copyOf(compositionOffsets, grown);
            decodeTimes = Arrays.copyOf(decodeTimes, grown + 1);
        }
        if (sync) {
            if (syncCount == syncs.length) {
                syncs = Arrays.copyOf(syncs, syncCount * 2);
            }
            syncs[syncCount++] = count;
        }
        offsets[count] = offset;
        sizes[count] = size;
        decodeTimes[count] = decode;
        compositionOffsets[count] = cto;
        count++;
    }

    private void finish(long end) {
        offsets = Arrays.copyOf(offsets, count);
        sizes = Arrays.copyOf(sizes, count);
        compositionOffsets = Arrays.copyOf(compositionOffsets, count);
        decodeTimes = Arrays.copyOf(decodeTimes, count + 1);
        decodeTimes[count] = end;
        syncs = Arrays.copyOf(syncs, syncCount);
        sizesBefore = new long[count + 1];
        for (int i = 0; i < count; i++) {
            sizesBefore[i + 1] = sizesBefore[i] + sizes[i];
        }
    }

    /** The file offset of the moof whose first sample of this track is {@code sample}, or -1. */
    long moofStarting(long sample) {
        int i = Arrays.binarySearch(moofFirstSample, 0, moofCount, (int) sample);
        return i >= 0 && (i + 1 == moofCount || moofFirstSample[i + 1] > sample) ? moofOffsets[i] : -1;
    }

    /** Memory held, for the cache's budget. */
    long weight() {
        return count * 36L + syncCount * 4L + moofCount * 12L;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long decodeTime(long sample) {
        return decodeTimes[(int) sample];
    }

    @Override
    public int compositionOffset(long sample) {
        return compositionOffsets[(int) sample];
    }

    @Override
    public long offset(long sample) {
        return offsets[(int) sample];
    }

    @Override
    public long bytes(long from, long to) {
        return sizesBefore[(int) to] - sizesBefore[(int) from];
    }

    @Override
    public int syncCount() {
        return syncCount;
    }

    @Override
    public long syncSample(int index) {
        return syncs[index];
    }

    @Override
    public long firstAtOrAfter(long time) {
        int i = Arrays.binarySearch(decodeTimes, 0, count, time);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && decodeTimes[i - 1] == time) {
            i--;
        }
        return i;
    }

    @Override
    public void visit(long from, long to, Visitor visitor) {
        for (int s = (int) from; s < to; s++) {
            boolean sync = Arrays.binarySearch(syncs, s) >= 0;
            visitor.sample(offsets[s], sizes[s], decodeTimes[s + 1] - decodeTimes[s], compositionOffsets[s], sync);
        }
    }

    /** Per-track sample defaults: {@code trex}, overridden per fragment by {@code tfhd}. */
    private record Defaults(long baseOffset, long duration, long size, int flags) {
        static Defaults ofTrex(Movie movie, int trackId) {
            ByteBuffer buffer = movie.buffer();
            BoxHeader mvex = BoxReader.find(movie.children(), BoxTypes.MVEX);
            if (mvex != null) {
                for (BoxHeader trex : BoxReader.children(buffer, mvex)) {
                    int at = (int) trex.payloadOffset();
                    if (trex.type() == BoxTypes.TREX && trex.payloadSize() >= 24 && buffer.getInt(at + 4) == trackId) {
                        return new Defaults(0, buffer.getInt(at + 12) & 0xffffffffL,
                                buffer.getInt(at + 16) & 0xffffffffL, buffer.getInt(at + 20));
                    }
                }
            }
            return new Defaults(0, 0, 0, 0);
        }

        Defaults with(ByteBuffer moof, BoxHeader tfhd, int flags) {
            int p = (int) tfhd.payloadOffset() + 8;
            int need = 8 + ((flags & 0x01) != 0 ? 8 : 0) + ((flags & 0x02) != 0 ? 4 : 0) + ((flags & 0x08) != 0 ? 4 : 0)
                    + ((flags & 0x10) != 0 ? 4 : 0) + ((flags & 0x20) != 0 ? 4 : 0);
            if (tfhd.payloadSize() < need) {
                throw Mp4Problems.malformed("tfhd box too short");
            }
            long base = 0;
            if ((flags & 0x01) != 0) {
                base = moof.getLong(p);
                p += 8;
            }
            if ((flags & 0x02) != 0) {
                p += 4;
            }
            long duration = this.duration;
            if ((flags & 0x08) != 0) {
                duration = moof.getInt(p) & 0xffffffffL;
                p += 4;
            }
            long size = this.size;
            if ((flags & 0x10) != 0) {
                size = moof.getInt(p) & 0xffffffffL;
                p += 4;
            }
            int sampleFlags = this.flags;
            if ((flags & 0x20) != 0) {
                sampleFlags = moof.getInt(p);
            }
            if (base < 0) {
                throw Mp4Problems.malformed("tfhd base data offset overflows");
            }
            return new Defaults(base, duration, size, sampleFlags);
        }
    }
}
