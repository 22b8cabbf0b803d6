package dev.vod.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The watcher of {@link LiveViewers}: an observer of the server, not a viewer. It reloads the media playlist every
 * 100 ms ({@code --watch-ms}) on its own connection and notes the wall clock at which each segment (and
 * Low-Latency part) first appears, and fetches each one on a second connection to read the media time its first
 * video sample starts at ({@link LiveMedia}). With the publisher's wall-clock start that gives when the segment's
 * first frame was captured, which the latency figures of {@link LiveReport} start from. It polls the same way for
 * every server (no blocking reloads), so the edge figures compare.
 *
 * <p>Everything runs on one {@link LiveLoop}; {@link #snapshot} too (or after the loop stopped).
 */
final class LiveWatcher {
    private static final int KEEP_MEDIA = 16 * 1024;

    /** What the watcher learnt of one segment or part. firstSeen: -1 when it was listed at its first reload. */
    record Seen(long sequence, boolean part, long firstSeen, long pdtMillis, double mediaStart) {
    }

    /** A copy of what it learnt so far: by URI, the URI of each whole segment by sequence, failed requests. */
    record Snapshot(Map<String, Seen> byUri, Map<Long, String> uriOf, int failures) {
    }

    private final LiveLoop loop;
    private final long watchMillis;
    private final BooleanSupplier running;
    private final LiveHttp poller;
    private final LiveHttp fetcher;
    private final Map<String, Seen> seen = new HashMap<>();
    private final Map<Long, String> uriOf = new HashMap<>();
    private final ArrayDeque<String> toFetch = new ArrayDeque<>();
    private long[] videoTrack;
    private boolean first = true;
    private URI media;
    private String map;
    private int failures;

    LiveWatcher(LiveLoop loop, InetSocketAddress address, long watchMillis, BooleanSupplier running) {
        this.loop = loop;
        this.watchMillis = watchMillis;
        this.running = running;
        poller = new LiveHttp(loop, address, "LiveViewers/watcher");
        fetcher = new LiveHttp(loop, address, "LiveViewers/watcher");
    }

    /** Starts reloading {@code mediaUrl}; on its loop. */
    void start(URI mediaUrl) {
        media = mediaUrl;
        reload();
    }

    Snapshot snapshot() {
        return new Snapshot(Map.copyOf(seen), Map.copyOf(uriOf), failures);
    }

    private void reload() {
        if (!running.getAsBoolean()) {
            return;
        }
        poller.get(media.getRawPath(), LivePlaylist.MAX_BYTES, new LiveHttp.Done() {
            @Override
            public void ok(int status, long length, byte[] body, int kept, long end) {
                if (status == 200) {
                    note(LivePlaylist.parse(new String(body, 0, kept, UTF_8)), end);
                } else {
                    failures++;
                }
                again();
            }

            @Override
            public void failed(String why) {
                failures++;
                again();
            }
        });
    }

    private void again() {
        loop.at(System.nanoTime() + watchMillis * 1_000_000, this::reload);
    }

    private void note(LivePlaylist p, long now) {
        if (p.map() != null && map == null) {
            map = p.map();
            toFetch.addFirst(p.map());
        }
        long firstSeen = first ? -1 : now;
        for (LivePlaylist.Segment s : p.segments()) {
            Seen x = seen.get(s.uri());
            if (x == null) {
                seen.put(s.uri(), new Seen(s.sequence(), false, firstSeen, s.pdtMillis(), Double.NaN));
                uriOf.put(s.sequence(), s.uri());
                toFetch.add(s.uri());
            } else if (x.part()) { // listed as a part first? (not with the servers here)
                seen.put(s.uri(), new Seen(s.sequence(), false, x.firstSeen(), s.pdtMillis(), x.mediaStart()));
                uriOf.put(s.sequence(), s.uri());
            }
        }
        for (LivePlaylist.Part part : p.parts()) {
            if (!seen.containsKey(part.uri())) {
                seen.put(part.uri(), new Seen(-1, true, firstSeen, -1, Double.NaN));
                toFetch.add(part.uri());
            }
        }
        first = false;
        fetchNext();
    }

    private void fetchNext() {
        if (fetcher.busy() || toFetch.isEmpty()) {
            return;
        }
        String uri = toFetch.poll();
        fetcher.get(media.resolve(uri).getRawPath(), uri.equals(map) ? LivePlaylist.MAX_BYTES : KEEP_MEDIA,
                new LiveHttp.Done() {
                    @Override
                    public void ok(int status, long length, byte[] body, int kept, long end) {
                        if (status != 200) {
                            failures++;
                        } else if (uri.equals(map)) {
                            videoTrack = LiveMedia.videoTrack(Arrays.copyOf(body, kept));
                        } else {
                            Seen x = seen.get(uri);
                            double start = uri.contains(".ts") ? LiveMedia.tsStart(body, kept)
                                    : LiveMedia.fmp4Start(body, kept, videoTrack);
                            seen.put(uri, new Seen(x.sequence(), x.part(), x.firstSeen(), x.pdtMillis(), start));
                        }
                        fetchNext();
                    }

                    @Override
                    public void failed(String why) {
                        failures++;
                        fetchNext();
                    }
                });
    }
}
