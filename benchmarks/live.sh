#!/usr/bin/env bash
# Live benchmark: vod's live HLS (fMP4 published over HTTP PUT) against nginx-rtmp's HLS (MPEG-TS, published over
# RTMP), the same ffmpeg encode feeding each, N HLS viewers at the live edge (dev.vod.bench.LiveViewers).
#
#   benchmarks/live.sh [--viewers LIST] [--duration S] [--rounds N] [--servers LIST] [--ll-viewers N] [--warmup S]
#                      [--settle S] [--churn] [--no-blocking-reload] [--quick] [--no-build]
#
#   --viewers LIST    comma-separated viewer counts (default 100,500,1000); steady state grows the audience
#                     through them in increasing order
#   --duration S      seconds of each measured window (default 30)
#   --warmup S        seconds of warm-up before the first window, not measured, for every server alike (default 20)
#   --settle S        steady state: seconds after new viewers joined before the next window (default 5)
#   --rounds N        rounds, each a fresh server session; the table shows medians over them (default 3)
#   --servers LIST    comma-separated: vod,nginx,vod-ll (default all three); vod-ll is vod with a Low-Latency
#                     publisher (ffmpeg -frag_duration 500000: 0.5 s parts)
#   --ll-viewers N    the one viewer count vod-ll runs with (default: the largest of --viewers)
#   --churn           the former method: a new LiveViewers process (new connections) per viewer count, the
#                     server's CPU sampled by this script around it, polling reloads only (see below)
#   --no-blocking-reload  steady state: viewers poll even where the playlist offers blocking reloads
#   --quick           1 round, 10 s windows, 3 s warm-up, 50,200 viewers (a smoke test of the harness, not a
#                     measurement)
#   --no-build        use the jars as they are (default: mvn -o -q install -DskipTests first)
#
# Each server session: start it, start the publisher, then the viewers. Steady state (the default): ONE
# LiveViewers process for the whole session, whose viewers stay connected: they join up to the first count, play
# --warmup seconds (not measured: vod's JIT compiler is still busy for tens of seconds after a start; nginx needs
# none, but gets the same), then a --duration window is measured; more viewers join up to the next count (the
# others keep their connections, as a growing audience does), --settle seconds, the next window, and so on.
# LiveViewers reads the server's and the publisher's CPU from /proc itself at both ends of each window, and
# prints one result per window. Its viewers send blocking playlist reloads where the playlist says
# CAN-BLOCK-RELOAD=YES (vod-ll, and vod once it says so without parts; nginx-rtmp never does: it is polled), as
# hls.js does. After the last window and the viewers' exit: the server's CPU for 5 s with the publisher alone
# (its ingest baseline).
# --churn: warm up with one LiveViewers run at the largest count, the 5 s ingest baseline, then one new
# LiveViewers run per count (each: accept, master playlist, init segment, N closes), polling, the server's CPU
# read by this script from just before each run to its exit: the method behind the live figures in RESULTS.md
# so far (their JIT share came from this churn).
#
# Before starting each server (nothing of ours running) it waits until the 1-minute load average is below
# LOAD_MAX (default 1.0), looking every 10 s for up to 10 minutes: the machine is shared. Every process it
# starts is stopped on exit, Ctrl-C or error. Results: benchmarks/work/live/results.jsonl (one line per window) and
# the table in benchmarks/work/live/last-results.md. See "Live" in benchmarks/README.md for the method.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
WORK="$HERE/work/live"
LOGS="$WORK/logs"
NGX="$WORK/nginx"
VOD_JAR="$REPO/vod-server/target/vod-server.jar"
BENCH_JAR="$REPO/benchmarks/target/benchmarks.jar"
NGINX_HTTP_PORT=${NGINX_HTTP_PORT:-18111}
NGINX_RTMP_PORT=${NGINX_RTMP_PORT:-18112}
# nginx-rtmp's segment length: its default (5 s) unless NGINX_HLS_FRAGMENT is set, e.g. 2s to match vod's GOPs.
NGINX_HLS_FRAGMENT=${NGINX_HLS_FRAGMENT:-}
NGINX_HLS_FRAGMENT_LINE=${NGINX_HLS_FRAGMENT:+hls_fragment $NGINX_HLS_FRAGMENT;}
JVM_OPTS=${JVM_OPTS:--Xmx1g}
LOAD_MAX=${LOAD_MAX:-1.0}
TOKEN="bench-$$"
RTMP_MODULE=/usr/lib/nginx/modules/ngx_rtmp_module.so

VIEWERS="100,500,1000"
DURATION=30
ROUNDS=3
WARMUP=20
SERVERS="vod,nginx,vod-ll"
LL_VIEWERS=""
SETTLE=5
CHURN=0
BLOCKING=1
BUILD=1
COMMAND="benchmarks/live.sh${*:+ $*}"

. "$HERE/lib/common.sh"   # die, log, elapsed, PIDS and the clean-up on exit

while [ $# -gt 0 ]; do
    case "$1" in
        --viewers) VIEWERS=${2:?}; shift ;;
        --duration) DURATION=${2:?}; shift ;;
        --rounds) ROUNDS=${2:?}; shift ;;
        --servers) SERVERS=${2:?}; shift ;;
        --ll-viewers) LL_VIEWERS=${2:?}; shift ;;
        --warmup) WARMUP=${2:?}; shift ;;
        --settle) SETTLE=${2:?}; shift ;;
        --churn) CHURN=1 ;;
        --no-blocking-reload) BLOCKING=0 ;;
        --quick) ROUNDS=1; DURATION=10; WARMUP=3; VIEWERS="50,200" ;;
        --no-build) BUILD=0 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive number"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "--duration must be a positive number of seconds"
[[ "$WARMUP" =~ ^[1-9][0-9]*$ ]] || die "--warmup must be a positive number of seconds"
[[ "$SETTLE" =~ ^[0-9]+$ ]] || die "--settle must be a number of seconds"
[[ "$VIEWERS" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--viewers must be comma-separated positive numbers"
[ -n "$LL_VIEWERS" ] || LL_VIEWERS=$(tr ',' '\n' <<<"$VIEWERS" | sort -n | tail -1)
serves() { [[ ",$SERVERS," == *",$1,"* ]]; }



# stop PID: TERM, up to 5 s, then KILL; drops it from PIDS.
stop() {
    local pid=$1 keep=() p
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}

# ---------------------------------------------------------------- tools, jars
ensure_tools() {
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    if ! command -v nginx >/dev/null || ! command -v ffmpeg >/dev/null || [ ! -f "$RTMP_MODULE" ]; then
        log "installing nginx, its RTMP module and ffmpeg (apt-get)"
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx \
            libnginx-mod-rtmp ffmpeg >/dev/null || die "could not install nginx, libnginx-mod-rtmp and ffmpeg"
    fi
    local tool
    for tool in java curl python3; do
        command -v "$tool" >/dev/null || die "$tool is required"
    done
}

ensure_jars() {
    if [ "$BUILD" = 1 ] || [ ! -f "$VOD_JAR" ] || [ ! -f "$BENCH_JAR" ]; then
        log "building (mvn -o -q install -DskipTests)"
        (cd "$REPO" && { mvn -o -q install -DskipTests || mvn -B -q install -DskipTests; }) > "$LOGS/build.log" 2>&1 \
            || { tail -20 "$LOGS/build.log" >&2; die "build failed"; }
    fi
}

raise_fd_limit() {
    local hard
    hard=$(ulimit -Hn)
    if [ "$hard" = unlimited ] || [ "$hard" -ge 65536 ]; then ulimit -n 65536; else ulimit -n "$hard"; fi
}

# Waits until the 1-minute load average is below LOAD_MAX (10 s between looks, 10 minutes at most). Once it has
# waited 10 minutes in vain, later sessions of the same run do not wait again (their rows are marked all the
# same): the load average also counts tasks that use no CPU, and the busy share of /proc/stat during each viewer
# run (others_cpu_s in the results) says what other processes really took.
GAVE_UP=""
wait_for_quiet() {
    local waited=0 load
    while :; do
        load=$(cut -d' ' -f1 /proc/loadavg)
        python3 -c "import sys; sys.exit(0 if $load < $LOAD_MAX else 1)" && return 0
        if [ "$waited" -ge 600 ] || [ -n "$GAVE_UP" ]; then
            log "WARNING: load average still $load after 10 minutes; measuring anyway (marked in the results)"
            NOISY="load $load"
            GAVE_UP=1
            return 0
        fi
        [ $((waited % 60)) = 0 ] && log "load average $load >= $LOAD_MAX: waiting (every 10 s, 10 minutes at most)"
        sleep 10
        waited=$((waited + 10))
    done
}

# ---------------------------------------------------------------- servers and the publisher
CLK_TCK=$(getconf CLK_TCK)
# thread_ticks PID: "compiler gc other" clock ticks of a JVM's threads by kind (its JIT compiler threads, its
# garbage collector's, the rest: event loops and everything else), from /proc/PID/task/*/stat.
thread_ticks() {
    python3 - "$1" <<'PY'
import os, sys
pid = sys.argv[1]
kinds = {"compiler": 0, "gc": 0, "other": 0}
try:
    tasks = os.listdir(f"/proc/{pid}/task")
except OSError:
    tasks = []
for t in tasks:
    try:
        s = open(f"/proc/{pid}/task/{t}/stat").read()
    except OSError:
        continue
    name = s[s.index("(") + 1:s.rindex(")")]
    f = s[s.rindex(")") + 2:].split()
    ticks = int(f[11]) + int(f[12])
    kind = "compiler" if "Compiler" in name else "gc" if name.startswith(("G1 ", "GC Thread", "VM Thread")) else "other"
    kinds[kind] += ticks
print(kinds["compiler"], kinds["gc"], kinds["other"])
PY
}
# machine_ticks: clock ticks all CPUs spent busy (user, nice, system, irq, softirq, steal), from /proc/stat.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
# cpu_ticks PID...: user + system clock ticks of these processes and their children (nginx: master + workers).
cpu_ticks() {
    local total=0 p
    for p in "$@" $(for q in "$@"; do pgrep -P "$q"; done 2>/dev/null); do
        total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
    done
    echo "$total"
}

SERVER_PID=""
PLAYLIST=""
start_vod() {
    : > "$LOGS/vod.out"
    java $JVM_OPTS -jar "$VOD_JAR" --root "$WORK/vod-root" --host 127.0.0.1 --port 0 --publish-token "$TOKEN" \
        >> "$LOGS/vod.out" 2> "$LOGS/vod.err" &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    local port="" tries=0
    until [ -n "$port" ]; do
        port=$(sed -n 's#^Listening on http://[^:]*:\([0-9]*\)/.*#\1#p' "$LOGS/vod.out" | head -1)
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -5 "$LOGS/vod.err" >&2; die "vod exited at start"; }
        tries=$((tries + 1)); [ $tries -gt 300 ] && die "vod did not start within 30 s"
        [ -n "$port" ] || sleep 0.1
    done
    VOD_PORT=$port
    PLAYLIST="http://127.0.0.1:$port/live/bench/master.m3u8"
    log "vod listening on 127.0.0.1:$port (pid $SERVER_PID)"
}

write_nginx_conf() {
    mkdir -p "$NGX/tmp"
    local user_line=""
    [ "$(id -u)" = 0 ] && user_line="user root;  # workers write and read benchmarks/work/live/nginx/hls"
    cat > "$NGX/nginx.conf" <<EOF
# Written by benchmarks/live.sh; edit the script, not this file.
load_module $RTMP_MODULE;
$user_line
worker_processes 2;
daemon off;
pid $NGX/nginx.pid;
error_log $NGX/error.log warn;
worker_rlimit_nofile $(ulimit -n);
events { worker_connections 16384; }

rtmp {
    server {
        listen 127.0.0.1:$NGINX_RTMP_PORT;
        application live {
            live on;
            hls on;
            hls_path $NGX/hls;
            $NGINX_HLS_FRAGMENT_LINE
            # every other hls_* setting is the module's default (hls_fragment 5s, hls_playlist_length 30s, ...)
        }
    }
}

http {
    types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
    default_type application/octet-stream;
    access_log $LOGS/nginx-access.log combined buffer=64k flush=1s;
    sendfile on;
    tcp_nodelay on;
    client_body_temp_path $NGX/tmp/client_body;
    proxy_temp_path $NGX/tmp/proxy;
    fastcgi_temp_path $NGX/tmp/fastcgi;
    uwsgi_temp_path $NGX/tmp/uwsgi;
    scgi_temp_path $NGX/tmp/scgi;
    server {
        listen 127.0.0.1:$NGINX_HTTP_PORT;
        root $NGX/hls;
    }
}
EOF
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_nginx() {
    port_free "$NGINX_HTTP_PORT" || die "port $NGINX_HTTP_PORT is in use (set NGINX_HTTP_PORT)"
    port_free "$NGINX_RTMP_PORT" || die "port $NGINX_RTMP_PORT is in use (set NGINX_RTMP_PORT)"
    rm -rf "$NGX/hls"   # a playlist left from the last run would be served before the publisher is on
    write_nginx_conf
    nginx -t -q -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log" || die "nginx rejected $NGX/nginx.conf"
    nginx -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log" > "$LOGS/nginx.out" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    local tries=0
    until ! port_free "$NGINX_HTTP_PORT" && ! port_free "$NGINX_RTMP_PORT"; do
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -5 "$NGX/error.log" >&2; die "nginx exited at start"; }
        tries=$((tries + 1)); [ $tries -gt 300 ] && die "nginx did not listen within 30 s"
        sleep 0.1
    done
    PLAYLIST="http://127.0.0.1:$NGINX_HTTP_PORT/bench.m3u8"
    log "nginx listening on 127.0.0.1:$NGINX_HTTP_PORT (http) and :$NGINX_RTMP_PORT (rtmp) (pid $SERVER_PID)"
}

PUBLISHER_PID=""
PUBLISHER_START=""
# start_publisher SERVER: one ffmpeg encode, 720p25 at 1 Mbit/s, a key frame every 2 s, AAC; to vod as fragmented
# MP4 over HTTP PUT (vod-ll: fragments of 0.5 s), to nginx-rtmp as FLV over RTMP.
start_publisher() {
    local server=$1 out=()
    case $server in
        vod) out=(-f mp4 -movflags frag_keyframe+empty_moov+default_base_moof -method PUT
                  "http://127.0.0.1:$VOD_PORT/live/bench?token=$TOKEN") ;;
        vod-ll) out=(-frag_duration 500000 -f mp4 -movflags frag_keyframe+empty_moov+default_base_moof
                  -method PUT "http://127.0.0.1:$VOD_PORT/live/bench?token=$TOKEN") ;;
        nginx) out=(-f flv "rtmp://127.0.0.1:$NGINX_RTMP_PORT/live/bench") ;;
    esac
    # The wall clock just before ffmpeg starts: -re reads the input at its own rate from (about) then, so the
    # frame at media time t is captured at PUBLISHER_START + t (plus ffmpeg's start-up, the same for every server).
    PUBLISHER_START=$(date +%s%3N)
    ffmpeg -nostdin -v error -re -f lavfi -i testsrc2=size=1280x720:rate=25 -f lavfi -i sine=frequency=440 \
        -c:v libx264 -preset veryfast -b:v 1M -maxrate 1M -bufsize 1M -g 50 -c:a aac "${out[@]}" \
        > "$LOGS/ffmpeg-$server.log" 2>&1 &
    PUBLISHER_PID=$!
    PIDS+=("$PUBLISHER_PID")
    # Until the playlist lists two segments (about 5 s), 30 s at most.
    local media=$PLAYLIST tries=0
    [ "$server" != nginx ] && media="${PLAYLIST%master.m3u8}main/index.m3u8"
    until [ "$(curl --noproxy '*' -s --max-time 2 "$media" | grep -c '^#EXTINF')" -ge 2 ]; do
        kill -0 "$PUBLISHER_PID" 2>/dev/null || { tail -5 "$LOGS/ffmpeg-$server.log" >&2; die "ffmpeg exited"; }
        tries=$((tries + 1)); [ $tries -gt 150 ] && die "no segments from $server after 30 s"
        sleep 0.2
    done
    log "publisher on $server (pid $PUBLISHER_PID), first segments after $(( $(date +%s%3N) - PUBLISHER_START )) ms"
}

# ---------------------------------------------------------------- runs
RESULTS="$WORK/results.jsonl"
NOISY=""

# media_offset SERVER: nginx-rtmp starts MPEG-TS timestamps 700 ms in (NGX_RTMP_HLS_DELAY in ngx_rtmp_mpegts.c).
media_offset() { if [ "$1" = nginx ]; then echo 0.7; else echo 0; fi; }

# steady SERVER ROUND COUNTS: one LiveViewers process for the session, a growing audience, one result per window
# (LiveViewers reads the CPU figures itself); then the ingest baseline.
steady() {
    local server=$1 round=$2 counts=$3 n blocking=()
    local logfile="$LOGS/viewers-$server-r$round.log"
    n=$(tr ',' '\n' <<<"$counts" | wc -l)
    [ "$BLOCKING" = 1 ] || blocking=(--no-blocking-reload)
    timeout -k 5 $((WARMUP + n * (DURATION + SETTLE + 5) + 60)) java -Xmx512m -XX:+UseSerialGC -cp "$BENCH_JAR" \
        dev.vod.bench.LiveViewers --url "$PLAYLIST" --schedule "$counts" --warmup "$WARMUP" --duration "$DURATION" \
        --settle "$SETTLE" --threads 2 --server-pid "$SERVER_PID" --publisher-pid "$PUBLISHER_PID" \
        --publisher-start "$PUBLISHER_START" --media-offset "$(media_offset "$server")" "${blocking[@]}" \
        > "$logfile" 2>&1 < /dev/null
    # One record per count, as --churn writes them (the CPU figures also at the top level); a count with no
    # result line (LiveViewers failed in or before its window) is recorded as skipped.
    python3 - "$logfile" "$RESULTS" "$round" "$server" "$counts" "$NOISY" <<'PY'
import json, sys
logfile, results, rnd, server, counts, noisy = sys.argv[1:]
windows = {}
for line in open(logfile):
    if line.startswith("RESULT "):
        r = json.loads(line[7:])
        windows[r["viewers"]] = r
with open(results, "a") as out:
    for c in map(int, counts.split(",")):
        r = windows.get(c)
        rec = {"round": int(rnd), "server": server, "viewers": c, "mode": "steady"}
        if r is None:
            rec["skipped"] = "LiveViewers failed"
        else:
            rec.update({k: r[k] for k in ("wall_s", "server_cpu_s", "publisher_cpu_s", "others_cpu_s",
                                          "server_jit_s", "server_gc_s")})
            rec.update({"noisy": noisy, "result": r})
        out.write(json.dumps(rec) + "\n")
PY
    local line
    while IFS= read -r line; do log "  $server: $line"; done < <(grep '^steady window' "$logfile")
    grep -q '^steady window' "$logfile" || log "  $server: LiveViewers failed (see $logfile)"
    [ "$(grep -c '^RESULT ' "$logfile")" = "$n" ] || log "  $server: only $(grep -c '^RESULT ' "$logfile") of $n windows (see $logfile)"
    ingest_baseline "$server" "$round"
}

# ingest_baseline SERVER ROUND: the server's CPU for 5 s with the publisher alone, no viewers.
ingest_baseline() {
    local i0 i1 w0 w1
    sleep 2
    w0=$(date +%s%N); i0=$(cpu_ticks "$SERVER_PID"); sleep 5; w1=$(date +%s%N); i1=$(cpu_ticks "$SERVER_PID")
    echo "{\"round\":$2,\"server\":\"$1\",\"idle_cpu_pct\":$(python3 -c "print(round(100 * ($i1 - $i0) / $CLK_TCK / (($w1 - $w0) / 1e9), 1))")}" >> "$RESULTS"
}

# churn SERVER ROUND COUNTS: the former method. A warm-up run at the largest count, the ingest baseline, then a
# new LiveViewers process per count, the CPU read here around each one.
churn() {
    local server=$1 round=$2 counts=$3 warm_viewers
    warm_viewers=$(tr ',' '\n' <<<"$counts" | sort -n | tail -1)
    timeout -k 5 $((WARMUP + 60)) java -Xmx512m -XX:+UseSerialGC -cp "$BENCH_JAR" dev.vod.bench.LiveViewers \
        --url "$PLAYLIST" --viewers "$warm_viewers" --duration "$WARMUP" --threads 2 --no-blocking-reload \
        --publisher-start "$PUBLISHER_START" > "$LOGS/warmup-$server.log" 2>&1 < /dev/null
    sleep 1
    ingest_baseline "$server" "$round"
    local viewers
    for viewers in ${counts//,/ }; do
        churn_run "$server" "$viewers" "$round"
        sleep 2
    done
}

# churn_run SERVER VIEWERS ROUND
churn_run() {
    local server=$1 viewers=$2 round=$3 offset
    offset=$(media_offset "$server")
    local logfile="$LOGS/viewers-$server-$viewers-r$round.log"
    local t0 t1 s0 s1 p0 p1
    local m0 m1 j0=(0 0 0) j1=(0 0 0)
    [ "$server" != nginx ] && read -ra j0 <<<"$(thread_ticks "$SERVER_PID")"
    t0=$(date +%s%N); s0=$(cpu_ticks "$SERVER_PID"); p0=$(cpu_ticks "$PUBLISHER_PID"); m0=$(machine_ticks)
    timeout -k 5 $((DURATION + 60)) java -Xmx512m -XX:+UseSerialGC -cp "$BENCH_JAR" dev.vod.bench.LiveViewers \
        --url "$PLAYLIST" --viewers "$viewers" --duration "$DURATION" --threads 2 --no-blocking-reload \
        --publisher-start "$PUBLISHER_START" --media-offset "$offset" > "$logfile" 2>&1 < /dev/null
    t1=$(date +%s%N); s1=$(cpu_ticks "$SERVER_PID"); p1=$(cpu_ticks "$PUBLISHER_PID"); m1=$(machine_ticks)
    [ "$server" != nginx ] && read -ra j1 <<<"$(thread_ticks "$SERVER_PID")"
    local jit gc
    jit=$(python3 -c "print(round(( ${j1[0]} - ${j0[0]}) / $CLK_TCK, 2))")
    gc=$(python3 -c "print(round(( ${j1[1]} - ${j0[1]}) / $CLK_TCK, 2))")
    local result
    result=$(sed -n 's/^RESULT //p' "$logfile" | tail -1)
    if [ -z "$result" ]; then
        log "  $server, $viewers viewers: LiveViewers failed (see $logfile)"
        echo "{\"round\":$round,\"server\":\"$server\",\"viewers\":$viewers,\"mode\":\"churn\",\"skipped\":\"LiveViewers failed\"}" >> "$RESULTS"
        return
    fi
    local wall cpu pcpu others
    wall=$(python3 -c "print(round(($t1 - $t0) / 1e9, 3))")
    cpu=$(python3 -c "print(round(($s1 - $s0) / $CLK_TCK, 2))")
    pcpu=$(python3 -c "print(round(($p1 - $p0) / $CLK_TCK, 2))")
    # What every other process took meanwhile: the machine's busy time less the server's, the publisher's and
    # LiveViewers' own (its JVM's CPU time, from its result).
    others=$(python3 -c "import json; r = json.loads('$result'); print(round(max(0, ($m1 - $m0 - ($s1 - $s0) - ($p1 - $p0)) / $CLK_TCK - r['client_cpu_s']), 2))")
    echo "{\"round\":$round,\"server\":\"$server\",\"viewers\":$viewers,\"mode\":\"churn\",\"wall_s\":$wall,\"server_cpu_s\":$cpu,\"publisher_cpu_s\":$pcpu,\"others_cpu_s\":$others,\"server_jit_s\":$jit,\"server_gc_s\":$gc,\"noisy\":\"$NOISY\",\"result\":$result}" >> "$RESULTS"
    log "  $server, $viewers viewers: $(tail -1 "$logfile"); server CPU $cpu s in $wall s"
}

# session SERVER ROUND: the server, its publisher, then the viewers (steady state, or --churn).
session() {
    local server=$1 round=$2 counts
    NOISY=""
    wait_for_quiet
    case $server in
        vod|vod-ll) start_vod ;;
        nginx) start_nginx ;;
    esac
    start_publisher "$server"
    counts=$VIEWERS
    [ "$server" = vod-ll ] && counts=$LL_VIEWERS
    if [ "$CHURN" = 1 ]; then
        churn "$server" "$round" "$counts"
    else
        steady "$server" "$round" "$(tr ',' '\n' <<<"$counts" | sort -n | uniq | paste -sd,)"
    fi
    stop "$PUBLISHER_PID"
    stop "$SERVER_PID"
    [ "$server" != nginx ] && grep -h 'publisher disconnected\|publish refused' "$LOGS/vod.err" | tail -3 >&2
    : > "$LOGS/vod.out"; : > "$LOGS/nginx-access.log" 2>/dev/null
}

# Servers in a different order each round, so none always runs first.
server_order() {
    local round=$1 list=(${SERVERS//,/ }) i n
    n=${#list[@]}
    for ((i = 0; i < n; i++)); do echo "${list[$(( (i + round - 1) % n ))]}"; done
}

# The table: medians over the rounds of each server and viewer count.
report() {
    python3 - "$RESULTS" <<'EOF'
import json, os, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
e = os.environ
def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None
def f(x, digits=2):
    return "–" if x is None else f"{x:.{digits}f}"
order = {"vod": 0, "nginx": 1, "vod-ll": 2}
groups = {}
idle = {}
for r in runs:
    if "idle_cpu_pct" in r:
        idle.setdefault(r["server"], []).append(r["idle_cpu_pct"])
        continue
    groups.setdefault((r["server"], r["viewers"]), []).append(r)
print(f"Live HLS, {e['M_MACHINE']}; `{e['M_COMMAND']}`; {e['M_JDK']}; nginx {e['M_NGINX']}; ffmpeg {e['M_FFMPEG']};"
      f" vod {e['M_VOD']}; {e['M_METHOD']}; {e['M_SECONDS']} s in all."
      " Medians over rounds (n = rounds measured).")
print()
print("| server | viewers | n | complete viewers | failed requests | latency p50 (s) | latency p95 (s) | edge p50 (s) |"
      " Mbit/s delivered | server CPU (% of a core) | CPU ms per viewer-second | viewers per core |"
      " 1 Mbit/s viewers per core |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
notes = []
for (server, viewers), rs in sorted(groups.items(), key=lambda g: (order.get(g[0][0], 9), g[0][1])):
    ok = [r for r in rs if "result" in r]
    if not ok:
        print(f"| {server} | {viewers} | 0 | ⚠ {rs[0].get('skipped', 'failed')} | | | | | | | | | |")
        continue
    res = [r["result"] for r in ok]
    cpu = [100 * r["server_cpu_s"] / r["wall_s"] for r in ok]
    per_core = [x["mbps"] / (c / 100) if c > 0 else None for x, c in zip(res, cpu)]
    viewers_per_core = [viewers / (c / 100) if c > 0 else None for c in cpu]
    ms_per_viewer = [10 * c / viewers for c in cpu]
    noisy = " ⚠" if any(r.get("noisy") for r in ok) else ""
    print(f"| {server}{noisy} | {viewers} | {len(ok)} | {f(med([x['complete'] for x in res]), 0)} |"
          f" {f(med([x['failed'] for x in res]), 0)} | {f(med([x['latency_p50'] for x in res]))} |"
          f" {f(med([x['latency_p95'] for x in res]))} | {f(med([x['edge_p50'] for x in res]))} |"
          f" {f(med([x['mbps'] for x in res]), 0)} | {f(med(cpu), 1)} | {f(med(ms_per_viewer), 3)} |"
          f" {f(med(viewers_per_core), 0)} | {f(med(per_core), 0)} |")
    extra = []
    if any(x.get("pdt_latency_p50") is not None for x in res):
        extra.append(f"latency from the server's PDT p50 {f(med([x['pdt_latency_p50'] for x in res]))} s")
    if any(x.get("part_edge_p50") is not None for x in res):
        extra.append(f"part edge p50 {f(med([x['part_edge_p50'] for x in res]))} s,"
                     f" p95 {f(med([x['part_edge_p95'] for x in res]))} s")
    if all("requests_playlist" in x for x in res):
        vs = [viewers * r["wall_s"] for r in ok]
        kinds = ", ".join(f"{k} {f(med([x['requests_' + k] / v for x, v in zip(res, vs)]), 2)}"
                          for k in ("playlist", "blocking", "segment"))
        extra.append(f"requests per viewer-second: {kinds}")
        if any(x.get("blocking_wait_mean_s") is not None for x in res):
            extra.append(f"blocking reloads held {f(med([x.get('blocking_wait_mean_s') for x in res]))} s on average")
    if any(r.get("server_jit_s") for r in ok):
        extra.append(f"of the server's CPU: JIT compiler {f(med([100 * r['server_jit_s'] / max(r['server_cpu_s'], 0.01) for r in ok]), 0)} %,"
                     f" GC {f(med([100 * r['server_gc_s'] / max(r['server_cpu_s'], 0.01) for r in ok]), 0)} %")
    extra.append(f"publisher (ffmpeg) {f(med([100 * r['publisher_cpu_s'] / r['wall_s'] for r in ok]), 0)} % of a core,"
                 f" LiveViewers {f(med([100 * x['client_cpu_s'] / r['wall_s'] for x, r in zip(res, ok)]), 0)} %,"
                 f" other processes {f(med([100 * r.get('others_cpu_s', 0) / r['wall_s'] for r in ok]), 0)} %")
    errors = {}
    for x in res:
        for k, v in x.get("errors", {}).items():
            errors[k] = errors.get(k, 0) + v
    if errors:
        extra.append("errors: " + ", ".join(f"{k} ×{v}" for k, v in sorted(errors.items(), key=lambda kv: -kv[1])[:3]))
    if any(x["missed"] for x in res):
        extra.append(f"segments missed (gone from the window): {sum(x['missed'] for x in res)}")
    notes.append(f"- {server}, {viewers} viewers: " + "; ".join(extra))
print()
print("\n".join(notes))
print()
print("Ingest alone (publisher on, no viewers, 5 s), server CPU in % of a core: "
      + ", ".join(f"{k} {f(med(v), 1)}" for k, v in sorted(idle.items(), key=lambda kv: order.get(kv[0], 9))) + ".")
print()
print("latency: last byte of a segment at the viewer minus the capture of its first frame (publisher start + the"
      " segment's media start); edge: first seen in the playlist (100 ms reloads) minus the same capture time."
      " CPU ms per viewer-second: the server's CPU time over viewers × wall time (the measured window, or with"
      " --churn the LiveViewers run). Viewers per core: viewers divided by the server's CPU in cores; 1 Mbit/s viewers"
      " per core: Mbit/s delivered divided by the same. ⚠: the load average was still high.")
EOF
}

main() {
    mkdir -p "$WORK/vod-root" "$LOGS" "$NGX"
    ensure_tools
    ensure_jars
    raise_fd_limit
    : > "$RESULTS"
    local runs_per_round sessions per_run=$((DURATION + SETTLE)) method
    runs_per_round=$(( $(serves vod && tr ',' '\n' <<<"$VIEWERS" | wc -l || echo 0) \
        + $(serves nginx && tr ',' '\n' <<<"$VIEWERS" | wc -l || echo 0) + $(serves vod-ll && echo 1 || echo 0) ))
    sessions=$(tr ',' '\n' <<<"$SERVERS" | wc -l)
    [ "$CHURN" = 1 ] && per_run=$((DURATION + 6))
    log "about $(( (ROUNDS * runs_per_round * per_run + ROUNDS * sessions * (WARMUP + 25) + 59) / 60 )) min of runs, plus any wait for a quiet machine"
    if [ "$CHURN" = 1 ]; then
        method="--churn (the former method): a warm-up run of $WARMUP s at the largest count, then a new LiveViewers process per count, $DURATION s each, polling reloads"
    else
        method="steady state: one audience per server session, $WARMUP s of warm-up at the first count, $SETTLE s to settle after each growth, $DURATION s windows"
        if [ "$BLOCKING" = 1 ]; then method+=", blocking playlist reloads where the playlist offers them"
        else method+=", polling reloads only (--no-blocking-reload)"; fi
    fi
    local round server
    for ((round = 1; round <= ROUNDS; round++)); do
        for server in $(server_order "$round"); do
            log "round $round/$ROUNDS: $server"
            session "$server" "$round"
        done
    done
    M_COMMAND="$COMMAND" M_MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" \
    M_JDK="$(java -version 2>&1 | head -1)" M_NGINX="$(nginx -v 2>&1 | cut -d/ -f2), libnginx-mod-rtmp $(dpkg-query -W -f '${Version}' libnginx-mod-rtmp 2>/dev/null)" \
    M_FFMPEG="$(ffmpeg -version | head -1 | cut -d' ' -f3)" \
    M_VOD="commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)" M_SECONDS="$(( $(date +%s) - STARTED ))" \
    M_METHOD="$method" \
        report > "$WORK/last-results.md"
    cat "$WORK/last-results.md"
    log "done in $(( $(date +%s) - STARTED )) s; table in benchmarks/work/live/last-results.md, runs in $RESULTS"
}

main
