package dev.vod.internal.live;

import dev.vod.internal.content.PlayerPage;
import java.nio.charset.StandardCharsets;

/**
 * The page at {@code /live/NAME/}: the title player (hls.js, quality menu, player stats) on the channel's master
 * playlist, plus the live panel — latency behind the live edge (from {@code EXT-X-PROGRAM-DATE-TIME}), the
 * server's ingest stats for the rendition playing (bitrate, FPS, viewers) refreshed every second — and the chat
 * when it is on. Chat text is inserted with {@code textContent}: a message can never become markup.
 */
final class LivePlayerPage {
    private static final String PANEL = """
            <dl id="live-stats">
            <dt>Latency behind live</dt><dd id="stat-latency" data-value="">-</dd>
            <dt>Ingest bitrate</dt><dd id="stat-ingest" data-value="">-</dd>
            <dt>Ingest FPS</dt><dd id="stat-fps" data-value="">-</dd>
            <dt>Viewers</dt><dd id="stat-viewers" data-value="">-</dd>
            </dl>
            <section id="chat" hidden><h2>Chat</h2><ol id="chat-log"></ol>
            <form id="chat-form"><input id="chat-name" placeholder="name" maxlength="32" size="10">
            <input id="chat-text" placeholder="message" maxlength="500" size="40"><button>Send</button></form>
            <p id="chat-status"></p></section>
            """;

    private static final String SCRIPT = """
            <script>
            (function () {
              'use strict';
              function set(id, text, value) {
                var el = document.getElementById(id);
                el.textContent = text;
                el.setAttribute('data-value', value === undefined ? text : String(value));
              }
              setInterval(function () {
                var p = window.vodPlayer;
                if (p && p.hls && p.hls.playingDate) {
                  var behind = (Date.now() - p.hls.playingDate.getTime()) / 1000;
                  set('stat-latency', behind.toFixed(1) + ' s', behind.toFixed(3));
                }
                var xhr = new XMLHttpRequest();
                xhr.open('GET', 'stats.json');
                xhr.onload = function () {
                  if (xhr.status !== 200) return;
                  var s = JSON.parse(xhr.responseText);
                  set('stat-viewers', String(s.viewers));
                  var names = Object.keys(s.renditions);
                  if (!names.length) return;
                  var r = s.renditions[names[0]];
                  set('stat-ingest', Math.round(r.bitrate / 1000) + ' kbit/s', r.bitrate);
                  set('stat-fps', r.fps.toFixed(1), r.fps);
                };
                xhr.send();
              }, 1000);
              var chat = document.getElementById('chat');
              if (chat.getAttribute('data-on') !== 'true') return;
              chat.hidden = false;
              var log = document.getElementById('chat-log');
              var status = document.getElementById('chat-status');
              var socket = null;
              function connect() {
                var name = document.getElementById('chat-name').value;
                var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host
                    + location.pathname + 'chat' + (name ? '?name=' + encodeURIComponent(name) : '');
                socket = new WebSocket(url);
                socket.onmessage = function (e) {
                  var m = JSON.parse(e.data);
                  var lines = m.type === 'welcome' ? m.history : m.type === 'message' ? [m] : [];
                  lines.forEach(function (line) {
                    var li = document.createElement('li');
                    li.textContent = line.time.substring(11, 19) + ' ' + line.name + ': ' + line.text;
                    log.appendChild(li);
                  });
                  if (m.type === 'refused') status.textContent = m.reason;
                  if (m.type === 'members' || m.type === 'welcome') status.textContent = m.members + ' in chat';
                };
              }
              connect();
              document.getElementById('chat-form').onsubmit = function (e) {
                e.preventDefault();
                var text = document.getElementById('chat-text');
                if (socket && socket.readyState === 1 && text.value) {
                  socket.send(JSON.stringify({type: 'message', text: text.value}));
                  text.value = '';
                }
              };
            })();
            </script>
            """;

    private LivePlayerPage() {
    }

    static byte[] render(String channel, boolean chat) {
        String page = PlayerPage.render(channel + " (live)", "master.m3u8", "/live/" + channel + "/stats.json");
        String panel = PANEL.replace("<section id=\"chat\" hidden>",
                "<section id=\"chat\" hidden data-on=\"" + chat + "\">");
        int end = page.lastIndexOf("</body>");
        String html = page.substring(0, end) + panel + SCRIPT + page.substring(end);
        return html.getBytes(StandardCharsets.UTF_8);
    }
}
