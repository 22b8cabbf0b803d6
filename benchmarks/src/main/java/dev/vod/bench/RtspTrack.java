package dev.vod.bench;

/**
 * What one set-up track of a session received: RTP packets and bytes, sequence gaps and the media time covered
 * (RTP timestamps over the SDP clock rate). Pure and single-threaded: the owning selector thread feeds it.
 *
 * <p>Sequence numbers and timestamps are extended past their 16- and 32-bit wrap as in RFC 3550 §A.1; a packet
 * older than the highest seen (reordered or duplicated) counts as received but moves nothing. A new SSRC starts
 * the counts of the sequence over (the lost packets of the old one are kept); the media time goes on from the
 * timestamps of the new one, counted from its first packet.
 */
final class RtspTrack {
    final String control;
    final int clockRate;
    /** RTP-Info {@code rtptime} of the PLAY answer: the timestamp of the play position, or -1 if not given. */
    long rtpInfoTime = -1;

    long packets;
    long bytes;
    /** Times the sequence jumped forward by more than one. */
    long gaps;
    private long lostBefore;

    private boolean started;
    private int ssrc;
    private long baseSeq;
    private long maxSeq;
    private long receivedThisSsrc;
    private long baseTime;
    private long maxTime;
    private long mediaTicksBefore;

    RtspTrack(String control, int clockRate) {
        this.control = control;
        this.clockRate = clockRate;
    }

    /** Counts one RTP packet of {@code length} bytes (header included) from the fields of its fixed header. */
    void packet(int seq, int timestamp, int packetSsrc, int length) {
        packets++;
        bytes += length;
        long ts = timestamp & 0xffffffffL;
        if (!started || packetSsrc != ssrc) {
            if (started) {
                lostBefore += lost();
                mediaTicksBefore += maxTime - baseTime;
                baseTime = ts;
            } else {
                // The first packet may come after the play position: media time counts from the position.
                baseTime = rtpInfoTime >= 0 ? ts - (timestamp - (int) rtpInfoTime) : ts;
            }
            started = true;
            ssrc = packetSsrc;
            baseSeq = seq;
            maxSeq = seq;
            receivedThisSsrc = 1;
            maxTime = ts;
            return;
        }
        receivedThisSsrc++;
        int seqDelta = (short) (seq - (int) maxSeq);
        if (seqDelta > 0) {
            if (seqDelta > 1) {
                gaps++;
            }
            maxSeq += seqDelta;
        }
        int timeDelta = timestamp - (int) maxTime;
        if (timeDelta > 0) {
            maxTime += timeDelta;
        }
    }

    /** Packets missing from the sequence (expected minus received, never below 0). */
    long lost() {
        long here = started ? Math.max(0, maxSeq - baseSeq + 1 - receivedThisSsrc) : 0;
        return lostBefore + here;
    }

    /** Packets the sequence numbers say were sent: received plus lost. */
    long expected() {
        return packets + lost();
    }

    /** Seconds of media received: the span of the timestamps from the play position to the latest packet. */
    double mediaSeconds() {
        return started ? (double) (mediaTicksBefore + maxTime - baseTime) / clockRate : 0;
    }
}
