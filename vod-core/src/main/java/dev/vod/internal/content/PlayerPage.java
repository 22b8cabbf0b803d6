package dev.vod.internal.content;

/**
 * The HLS player page of a title, {@code T/player.html} (docs/packaging.md): the video, a quality menu, and a live
 * panel showing what adaptive streaming is doing.
 *
 * <p>One self-contained UTF-8 page with inline style and script. Its only other request is {@code hls.min.js},
 * loaded relative to the page, i.e. {@code T/hls.min.js} ({@link PlayerAssets#hlsJs()}), so the player works
 * offline and under any mount path. Where Media Source Extensions are missing but the browser plays HLS itself
 * (Safari on iOS), the page hands the playlist to the {@code <video>} element and the menu offers only Auto.
 *
 * <p>What the script does, and what tests can rely on:
 * <ul>
 *   <li>{@code #quality}: "Auto" (value -1) and one option per hls.js level (value = level index), lowest bitrate
 *       first, labelled like {@code 720p · 2.1 Mbit/s}. Choosing one sets {@code hls.currentLevel}.</li>
 *   <li>{@code #stats}, refreshed every second: {@code #stat-level}, {@code #stat-bitrate},
 *       {@code #stat-bandwidth}, {@code #stat-buffer}, {@code #stat-dropped}, {@code #stat-mode}. Each shows text
 *       and carries the raw number in {@code data-value} (level index, bit/s, bit/s, seconds, dropped frames,
 *       {@code auto}/{@code manual}), or an empty one when unknown.</li>
 *   <li>{@code window.vodPlayer = {hls, video}} ({@code hls} null with native HLS); {@code window.vodLevelSwitches},
 *       the level index of every {@code LEVEL_SWITCHED}, in order.</li>
 *   <li>{@code document.body.dataset.ready = "1"} once the master playlist is parsed (native: on
 *       {@code loadedmetadata}); on a fatal error its text goes into {@code #error} and {@code body.dataset.error}
 *       is set to the hls.js error detail (or {@code unsupported}, {@code media-N}).</li>
 * </ul>
 */
public final class PlayerPage {
    private static final String STYLE = "body{font:15px/1.45 system-ui,sans-serif;margin:1.5em auto;"
            + "max-width:62em;padding:0 1em;color:#222}"
            + "h1{margin:.2em 0 .4em;overflow-wrap:anywhere}"
            + "video{display:block;width:100%;max-height:70vh;background:#000;margin:0 0 .8em}"
            + ".bar{display:flex;gap:.6em;align-items:center;flex-wrap:wrap;margin:0 0 .8em}"
            + "select{font:inherit;padding:.15em .3em}"
            + "#error{color:#a00;background:#fee;border:1px solid #fbb;padding:.4em .6em}"
            + "#stats{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:0}"
            + "#stats dt{color:#666}#stats dd{margin:0;font-variant-numeric:tabular-nums}"
            + "a{color:#0645ad;text-decoration:none}a:hover{text-decoration:underline}";

    // Plain ES5 (var, function) so that older Safari, which takes the native branch, can still parse the page.
    // The playlist URL comes from the video element's data-src attribute, not from a string pasted into the
    // script: HTML-escaping protects an attribute, but nothing simple protects the inside of a <script>.
    private static final String SCRIPT = """
            (function () {
              'use strict';
              var video = document.getElementById('player');
              var menu = document.getElementById('quality');
              var hls = null;
              window.vodLevelSwitches = [];
              window.vodPlayer = {hls: null, video: video};

              function rate(bps) {
                if (!(bps > 0)) return '-';
                var kbit = Math.round(bps / 1000);
                return kbit < 1000 ? kbit + ' kbit/s' : (bps / 1e6).toFixed(1) + ' Mbit/s';
              }
              function label(level) {
                var parts = [];
                if (level.height) parts.push(level.height + 'p');
                if (level.bitrate) parts.push(rate(level.bitrate));
                return parts.length ? parts.join(' \\u00b7 ') : 'level';
              }
              function show(id, text, value) {
                var el = document.getElementById(id);
                el.textContent = text;
                el.setAttribute('data-value', value === undefined || value === null ? '' : String(value));
              }
              function fail(message, code) {
                var box = document.getElementById('error');
                box.textContent = message;
                box.hidden = false;
                document.body.dataset.error = code;
              }
              function start() {
                // Muted, so browsers let it start without a further gesture: the visitor already chose to play.
                var p = video.play();
                if (p && p.catch) p.catch(function () {});
              }
              function bufferAhead() {
                var ranges = video.buffered, t = video.currentTime;
                for (var i = 0; i < ranges.length; i++) {
                  // 0.1 s of slack: the first range may start a few ms after 0 (audio priming, B-frame delay),
                  // and hls.js itself jumps holes up to 0.1 s (maxBufferHole).
                  if (ranges.start(i) <= t + 0.1 && t < ranges.end(i)) return ranges.end(i) - t;
                }
                return 0;
              }
              function frames() {
                if (video.getVideoPlaybackQuality) {
                  var q = video.getVideoPlaybackQuality();
                  return [q.droppedVideoFrames, q.totalVideoFrames];
                }
                if ('webkitDroppedFrameCount' in video) {
                  return [video.webkitDroppedFrameCount, video.webkitDecodedFrameCount];
                }
                return null;
              }
              function update() {
                var ahead = bufferAhead();
                show('stat-buffer', ahead.toFixed(1) + ' s', ahead.toFixed(2));
                var f = frames();
                show('stat-dropped', f ? f[0] + ' / ' + f[1] : '-', f ? f[0] : '');
                if (hls) {
                  var index = hls.currentLevel, level = hls.levels && hls.levels[index];
                  show('stat-level', level ? (level.height ? level.height + 'p' : 'level ' + index) : '-',
                      level ? index : '');
                  show('stat-bitrate', level ? rate(level.bitrate) : '-', level ? level.bitrate : '');
                  var bw = hls.bandwidthEstimate;
                  show('stat-bandwidth', rate(bw), bw > 0 ? Math.round(bw) : '');
                  show('stat-mode', hls.autoLevelEnabled ? 'Auto' : 'Manual',
                      hls.autoLevelEnabled ? 'auto' : 'manual');
                } else {
                  show('stat-level', video.videoHeight ? video.videoHeight + 'p' : '-', '');
                  show('stat-bitrate', '-', '');
                  show('stat-bandwidth', '-', '');
                  show('stat-mode', 'Auto (native HLS)', 'auto');
                }
              }
              function fillMenu(levels) {
                var order = levels.map(function (level, i) { return i; });
                order.sort(function (a, b) {
                  return (levels[a].bitrate - levels[b].bitrate) || ((levels[a].height || 0) - (levels[b].height || 0));
                });
                order.forEach(function (i) {
                  var option = document.createElement('option');
                  option.value = String(i);
                  option.textContent = label(levels[i]);
                  menu.appendChild(option);
                });
              }

              var src = video.getAttribute('data-src');
              if (typeof Hls !== 'undefined' && Hls.isSupported()) {
                // VOD: no low-latency part loading; drop what was played over 30 s ago to bound memory.
                hls = new Hls({enableWorker: true, lowLatencyMode: false, backBufferLength: 30});
                window.vodPlayer.hls = hls;
                hls.on(Hls.Events.MANIFEST_PARSED, function () {
                  fillMenu(hls.levels);
                  document.body.dataset.ready = '1';
                  start();
                });
                hls.on(Hls.Events.LEVEL_SWITCHED, function (event, data) {
                  window.vodLevelSwitches.push(data.level);
                });
                hls.on(Hls.Events.ERROR, function (event, data) {
                  if (!data.fatal) return; // hls.js retries those itself
                  var text = 'Playback failed: ' + data.type + ' / ' + data.details;
                  if (data.response && data.response.code) text += ' (HTTP ' + data.response.code + ')';
                  if (data.error && data.error.message) text += ': ' + data.error.message;
                  fail(text, data.details || data.type);
                });
                menu.addEventListener('change', function () {
                  // currentLevel, not nextLevel: the buffered rest of the old rendition is dropped and the next
                  // segments come from the chosen one, so the choice shows within a segment instead of after the
                  // whole buffer (up to 30 s) has played out. -1 gives the choice back to the ABR controller.
                  hls.currentLevel = parseInt(menu.value, 10);
                  update();
                });
                hls.loadSource(src);
                hls.attachMedia(video);
              } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
                menu.disabled = true; // the browser picks renditions itself; only Auto exists
                video.addEventListener('loadedmetadata', function () {
                  document.body.dataset.ready = '1';
                  start();
                });
                video.addEventListener('error', function () {
                  var e = video.error;
                  fail('Playback failed: media error ' + (e ? e.code : '?') + (e && e.message ? ': ' + e.message : ''),
                      'media-' + (e ? e.code : ''));
                });
                video.src = src;
              } else {
                fail('This browser can play HLS neither with Media Source Extensions nor natively.', 'unsupported');
              }
              setInterval(update, 1000);
              update();
            })();
            """;

    private PlayerPage() {
    }

    /**
     * The player page.
     *
     * @param titleName         the title as shown (heading and window title), e.g. the folder name; any text
     * @param masterPlaylistUrl the HLS multivariant playlist, already percent-encoded; normally the relative
     *                          {@code master.m3u8}
     * @param filesUrl          the title's folder listing, already percent-encoded, e.g. {@code ./} or an
     *                          absolute {@code /videos/T/}
     */
    public static String render(String titleName, String masterPlaylistUrl, String filesUrl) {
        String name = IndexPage.escape(titleName);
        String master = IndexPage.escape(masterPlaylistUrl);
        StringBuilder html = new StringBuilder(STYLE.length() + SCRIPT.length() + 2048);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(name).append("</title>\n")
                .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<h1>").append(name).append("</h1>\n")
                .append("<video id=\"player\" controls muted playsinline data-src=\"").append(master)
                .append("\"></video>\n")
                .append("<div class=\"bar\"><label for=\"quality\">Quality</label>")
                .append("<select id=\"quality\"><option value=\"-1\" selected>Auto</option></select>")
                .append("<a id=\"files\" href=\"").append(IndexPage.escape(filesUrl)).append("\">files</a>")
                .append("<a id=\"playlist\" href=\"").append(master).append("\">master.m3u8</a></div>\n")
                .append("<p id=\"error\" role=\"alert\" hidden></p>\n")
                .append("<dl id=\"stats\">\n");
        stat(html, "stat-level", "Rendition");
        stat(html, "stat-bitrate", "Rendition bitrate");
        stat(html, "stat-bandwidth", "Bandwidth estimate");
        stat(html, "stat-buffer", "Buffer ahead");
        stat(html, "stat-dropped", "Dropped / total frames");
        stat(html, "stat-mode", "Selection");
        html.append("</dl>\n<script src=\"hls.min.js\"></script>\n<script>\n").append(SCRIPT)
                .append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void stat(StringBuilder html, String id, String label) {
        html.append("<dt>").append(label).append("</dt><dd id=\"").append(id).append("\" data-value=\"\">-</dd>\n");
    }
}
