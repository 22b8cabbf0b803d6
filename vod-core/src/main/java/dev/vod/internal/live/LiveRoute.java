package dev.vod.internal.live;

import dev.vod.internal.HttpProblem;

/**
 * A request path under {@code /live/}, parsed (pure):
 *
 * <pre>
 * /live/NAME                      publish (PUT/POST) the main rendition
 * /live/NAME/RENDITION            publish a rendition
 * /live/NAME.mp4                  the continuous fragmented MP4 of the channel
 * /live/NAME/master.m3u8          master playlist
 * /live/NAME/RENDITION/index.m3u8 media playlist
 * /live/NAME/RENDITION/init-N.mp4 init segment
 * /live/NAME/RENDITION/seg-S.m4s  segment; seg-S.P.m4s: part P of it
 * /live/NAME/stats.json           the channel's statistics
 * /live/NAME/chat                 the chat (WebSocket)
 * /live/NAME/                     the player page (and its hls.min.js)
 * </pre>
 *
 * @param kind      which of the above
 * @param channel   the channel's name
 * @param rendition the rendition ({@link LiveChannel#MAIN} when the path has none), or null
 * @param number    the init number or segment sequence, -1 when none
 * @param part      the part index, -1 for a whole segment
 */
record LiveRoute(Kind kind, String channel, String rendition, long number, int part) {
    /** What a live path names. */
    enum Kind { PUBLISH, STREAM, MASTER, MEDIA, INIT, SEGMENT, STATS, CHAT, PLAYER, HLS_JS }

    /** The route of {@code path} (decoded, starting {@code /live/}). @throws HttpProblem 404 when it is none */
    static LiveRoute parse(String path) {
        if (!path.startsWith("/live/")) {
            throw HttpProblem.notFound();
        }
        String rest = path.substring("/live/".length());
        // Up to three names between slashes (indexOf, not split: every viewer request comes through here)
        int first = rest.indexOf('/');
        if (first < 0) {
            if (rest.endsWith(".mp4") && LiveChannels.validName(rest.substring(0, rest.length() - 4))) {
                return new LiveRoute(Kind.STREAM, rest.substring(0, rest.length() - 4), null, -1, -1);
            }
            return named(Kind.PUBLISH, rest, LiveChannel.MAIN);
        }
        String channel = rest.substring(0, first);
        int second = rest.indexOf('/', first + 1);
        if (second < 0) {
            String name = rest.substring(first + 1);
            return switch (name) {
                case "" -> named(Kind.PLAYER, channel, null);
                case "master.m3u8" -> named(Kind.MASTER, channel, null);
                case "stats.json" -> named(Kind.STATS, channel, null);
                case "chat" -> named(Kind.CHAT, channel, null);
                case "hls.min.js" -> named(Kind.HLS_JS, channel, null);
                case "index.m3u8" -> named(Kind.MEDIA, channel, LiveChannel.MAIN);
                default -> name.indexOf('.') >= 0 ? inRendition(channel, LiveChannel.MAIN, name)
                        : named(Kind.PUBLISH, channel, name);
            };
        }
        if (rest.indexOf('/', second + 1) < 0) {
            return inRendition(channel, rest.substring(first + 1, second), rest.substring(second + 1));
        }
        throw HttpProblem.notFound();
    }

    private static LiveRoute inRendition(String channel, String rendition, String file) {
        if (file.equals("index.m3u8")) {
            return named(Kind.MEDIA, channel, rendition);
        }
        try {
            if (file.startsWith("init-") && file.endsWith(".mp4")) {
                long n = Long.parseLong(file.substring(5, file.length() - 4));
                if (n < 0) {
                    throw HttpProblem.notFound();
                }
                return numbered(Kind.INIT, channel, rendition, n, -1);
            }
            if (file.startsWith("seg-") && file.endsWith(".m4s")) {
                String middle = file.substring(4, file.length() - 4);
                int dot = middle.indexOf('.');
                long sequence = Long.parseLong(dot < 0 ? middle : middle.substring(0, dot));
                int part = dot < 0 ? -1 : Integer.parseInt(middle.substring(dot + 1));
                if (sequence < 0 || (dot >= 0 && part < 0) || middle.startsWith("+")) {
                    throw HttpProblem.notFound();
                }
                return numbered(Kind.SEGMENT, channel, rendition, sequence, part);
            }
        } catch (NumberFormatException e) {
            throw HttpProblem.notFound();
        }
        throw HttpProblem.notFound();
    }

    private static LiveRoute named(Kind kind, String channel, String rendition) {
        return numbered(kind, channel, rendition, -1, -1);
    }

    private static LiveRoute numbered(Kind kind, String channel, String rendition, long number, int part) {
        if (!LiveChannels.validName(channel) || (rendition != null && !LiveChannels.validName(rendition))
                || number < -1 || part < -1) {
            throw HttpProblem.notFound();
        }
        return new LiveRoute(kind, channel, rendition, number, part);
    }
}
