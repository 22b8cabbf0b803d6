#!/usr/bin/env bash
# Packaging benchmark: random 6 s segments of a 2-hour, three-rendition title, 64 connections.
#   vod packaging on the fly (/title/R.mp4/seg-N.m4s, moof generated, samples by sendfile)
#   nginx serving the same segments pre-packaged by ffmpeg as static files (the limit for any packager)
# Also: time to the first master.m3u8 + media playlist on a cold title (fresh JVM, nothing parsed yet).
# Usage: benchmarks/packaging.sh [--rounds N] [--duration S] [--prepare]
#   defaults: 3 rounds of 10 s (~2 min, plus ~3 min to make the content the first time); --prepare only makes it
set -euo pipefail
cd "$(dirname "$0")"
BENCH=$PWD
ROOT=$(cd .. && pwd)
ROUNDS=3
DURATION=10
PREPARE_ONLY=0
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --prepare) PREPARE_ONLY=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
VOD_PORT=${VOD_PORT:-18090}
NGINX_PORT=${NGINX_PORT:-18091}
WORK=$BENCH/work/packaging
CONTENT=$WORK/content
NGX=$WORK/nginx
mkdir -p "$WORK/logs" "$CONTENT/title" "$CONTENT/static" "$NGX/tmp"

for tool in nginx wrk ffmpeg; do
    command -v $tool >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx wrk ffmpeg >/dev/null; break; }
done
[ -f "$ROOT/vod-server/target/vod-server.jar" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)

# --- content: a 60 s clip per rendition (aligned 2 s GOPs), concatenated 120 times without re-encoding ---
RENDITIONS="240p:426x240:300k 360p:640x360:700k 720p:1280x720:1500k"
for r in $RENDITIONS; do
    IFS=: read -r name size rate <<<"$r"
    [ -s "$CONTENT/title/$name.mp4" ] && continue
    echo "making $name (2 hours)..."
    ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=$size:rate=25" -f lavfi -i "sine=frequency=440:sample_rate=44100" \
        -t 60 -c:v libx264 -preset veryfast -profile:v main -pix_fmt yuv420p -g 50 -keyint_min 50 -sc_threshold 0 \
        -b:v "$rate" -maxrate "$rate" -bufsize "$rate" -c:a aac -b:a 64k "$WORK/clip-$name.mp4"
    for i in $(seq 120); do echo "file '$WORK/clip-$name.mp4'"; done > "$WORK/list-$name.txt"
    ffmpeg -nostdin -v error -y -f concat -safe 0 -i "$WORK/list-$name.txt" -c copy -movflags +faststart \
        "$CONTENT/title/$name.mp4"
    rm -f "$WORK/clip-$name.mp4"
done
for r in $RENDITIONS; do
    IFS=: read -r name _ _ <<<"$r"
    [ -s "$CONTENT/static/$name/index.m3u8" ] && continue
    echo "pre-packaging $name with ffmpeg..."
    mkdir -p "$CONTENT/static/$name"
    (cd "$CONTENT/static/$name" && ffmpeg -nostdin -v error -y -i "$CONTENT/title/$name.mp4" -c copy -f hls \
        -hls_time 6 -hls_playlist_type vod -hls_segment_type fmp4 -hls_fmp4_init_filename init.mp4 \
        -start_number 1 -hls_segment_filename 'seg-%d.m4s' index.m3u8)
done
SEGMENTS=$(ls "$CONTENT/static/240p" | grep -c '^seg-')
: > "$WORK/vod-paths.txt"; : > "$WORK/nginx-paths.txt"
for r in $RENDITIONS; do
    IFS=: read -r name _ _ <<<"$r"
    for i in $(seq "$SEGMENTS"); do
        echo "/title/$name.mp4/seg-$i.m4s" >> "$WORK/vod-paths.txt"
        echo "/static/$name/seg-$i.m4s" >> "$WORK/nginx-paths.txt"
    done
done
[ "$PREPARE_ONLY" = 1 ] && { echo "content ready in $CONTENT ($SEGMENTS segments per rendition)"; exit 0; }
cat "$CONTENT"/title/*.mp4 "$CONTENT"/static/*/* > /dev/null   # both start from the page cache

# --- servers ---
cat > "$NGX/nginx.conf" <<NGINX
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 2;
daemon off;
pid $NGX/nginx.pid;
error_log $NGX/error.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    types { video/mp4 m4s; }
    access_log $NGX/access.log combined buffer=64k flush=1s;
    sendfile on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    client_body_temp_path $NGX/tmp/b; proxy_temp_path $NGX/tmp/p; fastcgi_temp_path $NGX/tmp/f;
    uwsgi_temp_path $NGX/tmp/u; scgi_temp_path $NGX/tmp/s;
    server { listen 127.0.0.1:$NGINX_PORT; root $CONTENT; }
}
NGINX
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
start_vod() {
    java ${JVM_OPTS:--Xmx1g} -jar "$ROOT/vod-server/target/vod-server.jar" --root "$CONTENT" --host 127.0.0.1 \
        --port "$VOD_PORT" > "$WORK/logs/vod.out" 2> "$WORK/logs/vod.err" &
    VOD_PID=$!; PIDS+=("$VOD_PID")
    for _ in $(seq 100); do grep -q Listening "$WORK/logs/vod.out" 2>/dev/null && return; sleep 0.1; done
    echo "vod did not start" >&2; exit 1
}
cpu_ticks() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }

# --- cold title: the first master.m3u8 + 720p media playlist, nothing parsed yet ---
# (a) a fresh JVM (JIT cold too); (b) a warm server asked for a title it has never seen (hard links of the same
# files under another name: new paths, so new cache entries).
COLD=(); WARM=()
for i in 1 2 3; do
    start_vod
    t=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$VOD_PORT/title/master.m3u8")
    u=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$VOD_PORT/title/720p.mp4/index.m3u8")
    COLD+=("$(python3 -c "print(round(($t + $u) * 1000, 1))")")
    d="$CONTENT/cold-$i"; mkdir -p "$d"
    for f in "$CONTENT"/title/*.mp4; do ln -f "$f" "$d/"; done
    t=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$VOD_PORT/cold-$i/master.m3u8")
    u=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$VOD_PORT/cold-$i/720p.mp4/index.m3u8")
    WARM+=("$(python3 -c "print(round(($t + $u) * 1000, 1))")")
    kill "$VOD_PID"; wait "$VOD_PID" 2>/dev/null || true
done
echo "cold title, fresh JVM: master + media playlist (ms): ${COLD[*]}"
echo "cold title, warm server: master + media playlist (ms): ${WARM[*]}"

start_vod
nginx -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log" &
NGINX_PID=$!; PIDS+=("$NGINX_PID"); sleep 1
NGINX_ALL="$NGINX_PID $(pgrep -d' ' -P "$NGINX_PID")"
# sanity: both serve a segment of the same size region; vod's must parse as moof/mdat
curl -sf -o "$WORK/vod-seg.m4s" "http://127.0.0.1:$VOD_PORT/title/720p.mp4/seg-10.m4s"
curl -sf -o "$WORK/ngx-seg.m4s" "http://127.0.0.1:$NGINX_PORT/static/720p/seg-10.m4s"
echo "segment 10 of 720p: vod $(stat -c %s "$WORK/vod-seg.m4s") bytes, ffmpeg's $(stat -c %s "$WORK/ngx-seg.m4s") bytes"
for s in vod nginx; do   # warm-up: JIT compilation, and every segment requested once (the segment cache fills)
    port=$([ $s = vod ] && echo $VOD_PORT || echo $NGINX_PORT)
    PATHS="$WORK/$s-paths.txt" wrk -t2 -c64 -d5s -s wrk/paths.lua "http://127.0.0.1:$VOD_PORT" > /dev/null
    PATHS="$WORK/$s-paths.txt" wrk -t2 -c64 -d15s -s wrk/paths.lua "http://127.0.0.1:$port" > /dev/null
done

: > "$WORK/results.txt"
for round in $(seq "$ROUNDS"); do
    # vod-static: vod serving ffmpeg's files as plain files, to tell packaging costs from serving costs
    order="vod nginx vod-static"; [ $((round % 2)) = 0 ] && order="vod-static nginx vod"
    for s in $order; do
        paths="$WORK/$s-paths.txt"
        case $s in
            vod) port=$VOD_PORT; pids="$VOD_PID" ;;
            vod-static) port=$VOD_PORT; pids="$VOD_PID"; paths="$WORK/nginx-paths.txt" ;;
            nginx) port=$NGINX_PORT; pids="$NGINX_ALL" ;;
        esac
        before=$(cpu_ticks $pids)
        out=$(PATHS="$paths" wrk -t2 -c64 -d"${DURATION}s" -s wrk/paths.lua "http://127.0.0.1:$port")
        after=$(cpu_ticks $pids)
        echo "$out" > "$WORK/logs/wrk-$s-$round.txt"
        echo "$s $round $(echo "$out" | grep '^RESULT' | cut -d' ' -f2-) $((after - before))" >> "$WORK/results.txt"
    done
done
python3 - "$WORK/results.txt" "$(getconf CLK_TCK)" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    s, rnd, js, ticks = line.split()
    r = json.loads(js); secs = r["duration_us"] / 1e6
    rows.setdefault(s, []).append((r["requests"] / secs, r["bytes"] / secs / 1e6, r["p99_us"] / 1000,
                                   int(ticks) / float(sys.argv[2]) / max(r["requests"], 1) * 1e6, r["status_errors"]))
print("| server | req/s (median, min–max) | MB/s | p99 ms | server CPU per segment (µs) | non-2xx |")
print("|---|---:|---:|---:|---:|---:|")
for s, v in rows.items():
    col = lambda i: statistics.median(x[i] for x in v)
    print(f"| {s} | {col(0):,.0f} ({min(x[0] for x in v):,.0f}–{max(x[0] for x in v):,.0f}) | {col(1):,.0f} | {col(2):.1f} | {col(3):.0f} | {sum(x[4] for x in v)} |")
ratios = [a[0] / b[0] for a, b in zip(rows["vod"], rows["nginx"])]
print(f"\nvod / nginx-static req/s per round: {', '.join(f'{x:.2f}' for x in ratios)}; median {statistics.median(ratios):.2f}")
PY
