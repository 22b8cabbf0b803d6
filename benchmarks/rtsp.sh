#!/usr/bin/env bash
# RTSP benchmark: how many 2 Mbit/s sessions a server keeps at real time, and its CPU per session.
#
#   benchmarks/rtsp.sh [--quick] [--rounds N] [--duration S] [--sessions LIST] [--servers LIST]
#                      [--transports LIST] [--budget S]
#
#   --quick            1 round of 8 s, 10 and 50 sessions (a smoke test of the harness, not a measurement)
#   --rounds N         rounds of every run (default 3); the table shows the median
#   --duration S       seconds of each measured window (default 20)
#   --sessions LIST    comma-separated session counts (default 10,50,100,200)
#   --servers LIST     comma-separated servers: gst,vod (default: both; vod only if its launcher has --rtsp-port)
#   --transports LIST  comma-separated: udp,tcp (default: both)
#   --budget S         start no new run after S seconds in total (default 600: ~10 min for one server;
#                      with both servers the defaults need ~20 min, --budget 1200)
#
# Makes benchmarks/work/rtsp/content/film.mp4 once (120 s, 1280x720 25 fps H.264 at 2 Mbit/s, AAC), starts
# GStreamer's RTSP server (benchmarks/tools/gst_rtsp_server.py, port 18554) and vod (RTSP on 18555), warms each
# up, then runs dev.vod.bench.RtspLoad against each server, transport and session count, round after round.
# Each run reads the server's CPU time (/proc/PID/stat) over the measured window (in RtspLoad) and over the
# whole run (here). Prints a markdown table (also written to benchmarks/work/rtsp/last-results.md); every run is
# a JSON line in benchmarks/work/rtsp/results.jsonl. See benchmarks/README.md, section "RTSP".
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
WORK="$HERE/work/rtsp"
CONTENT="$WORK/content"
LOGS="$WORK/logs"
FILM="$CONTENT/film.mp4"
FILM_SECONDS=120

GST_PORT=${GST_PORT:-18554}
VOD_RTSP_PORT=${VOD_RTSP_PORT:-18555}
VOD_PORT=${VOD_PORT:-18095}
VOD_RTP_PORTS=${VOD_RTP_PORTS:-30000-31999}
VOD_JAR="$REPO/vod-server/target/vod-server.jar"
BENCH_JAR="$REPO/benchmarks/target/benchmarks.jar"
JVM_OPTS=${JVM_OPTS:--Xmx1g}
SYSTEM_PYTHON=/usr/bin/python3 # GStreamer's bindings (python3-gi) are in the system Python, not in a venv

ROUNDS=3
DURATION=20
WARMUP=3
SESSIONS="10,50,100,200"
SERVERS="gst,vod"
TRANSPORTS="udp,tcp"
BUDGET=600
COMMAND="benchmarks/rtsp.sh${*:+ $*}"

. "$HERE/lib/common.sh"   # die, log, elapsed, PIDS and the clean-up on exit

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) ROUNDS=1; DURATION=8; WARMUP=2; SESSIONS="10,50" ;;
        --rounds) ROUNDS=${2:?}; shift ;;
        --duration) DURATION=${2:?}; shift ;;
        --sessions) SESSIONS=${2:?}; shift ;;
        --servers) SERVERS=${2:?}; shift ;;
        --transports) TRANSPORTS=${2:?}; shift ;;
        --budget) BUDGET=${2:?}; shift ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive number"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "--duration must be a positive number of seconds"
[ "$DURATION" -le $((FILM_SECONDS - 30)) ] || die "--duration must leave 30 s of the $FILM_SECONDS s film for set-up"
[[ "$SESSIONS" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--sessions is a comma-separated list of numbers"
serves() { [[ ",$SERVERS," == *",$1,"* ]]; }



# ---------------------------------------------------------------- tools, jars, content
ensure_tools() {
    local tool
    for tool in java ffmpeg python3; do
        command -v "$tool" >/dev/null || die "$tool is required"
    done
    if serves gst && ! "$SYSTEM_PYTHON" -c 'import gi; gi.require_version("GstRtspServer", "1.0")' 2>/dev/null; then
        log "installing GStreamer's RTSP server and plugins (apt-get)"
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-gi \
            gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good \
            gstreamer1.0-plugins-bad || die "could not install GStreamer's RTSP server"
    fi
}

ensure_jars() {
    # Rebuilt when missing or older than the load generator's sources.
    if [ ! -f "$VOD_JAR" ] || [ ! -f "$BENCH_JAR" ] \
        || [ -n "$(find "$HERE/src/main/java/dev/vod/bench" -name 'Rtsp*.java' -newer "$BENCH_JAR")" ]; then
        log "building the jars (mvn -B -q -pl vod-server,benchmarks -am package -DskipTests)"
        (cd "$REPO" && mvn -B -q -pl vod-server,benchmarks -am package -DskipTests) || die "build failed"
    fi
}

ensure_content() {
    mkdir -p "$CONTENT" "$LOGS"
    if [ ! -s "$FILM" ]; then
        # Constant 2 Mbit/s (maxrate = bufsize = bitrate), one key frame every 2 s, no B-frames (RTP timestamps
        # rise), AAC 128 kbit/s stereo, moov first. About a minute to encode on 2 cores, then kept.
        log "generating rtsp/content/film.mp4 ($FILM_SECONDS s, 720p25 H.264 2 Mbit/s + AAC)"
        ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=size=1280x720:rate=25 -f lavfi \
            -i sine=frequency=440:sample_rate=48000 -t "$FILM_SECONDS" -c:v libx264 -preset veryfast \
            -profile:v main -pix_fmt yuv420p -b:v 2M -maxrate 2M -bufsize 2M -g 50 -keyint_min 50 -sc_threshold 0 \
            -bf 0 -c:a aac -b:a 128k -ac 2 -movflags +faststart "$FILM.part.mp4" || die "ffmpeg failed"
        mv "$FILM.part.mp4" "$FILM"
    fi
    cat "$FILM" > /dev/null # page cache
}

vod_has_rtsp() {
    [ -f "$VOD_JAR" ] && timeout 20 java -jar "$VOD_JAR" --help 2>&1 | grep -q -- '--rtsp-port'
}

# The 1-minute load average must be under 0.6 before measuring: waits up to 90 s for it (for example after
# encoding the film), then warns and goes on.
check_load() {
    local load tries=0
    while true; do
        load=$(cut -d' ' -f1 /proc/loadavg)
        python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 0.6 else 1)" "$load" && return 0
        [ $tries -ge 18 ] && break
        [ $tries = 0 ] && log "load average $load: waiting up to 90 s for it to fall under 0.6"
        tries=$((tries + 1))
        sleep 5
    done
    log "WARNING: load average $load (>= 0.6) before measuring: something else is using the CPU; numbers will be noisy"
}

# ---------------------------------------------------------------- servers
# start NAME PORT COMMAND...: common.sh's start_server (runs it in the background, records its pid, waits for the port).
start() {
    start_server "$@"
}

start_servers() {
    serves gst && start gst "$GST_PORT" "$SYSTEM_PYTHON" "$HERE/tools/gst_rtsp_server.py" "$GST_PORT" "$FILM"
    # vod as a user starts it, access log off: RTSP sessions, not HTTP requests, are measured here.
    serves vod && start vod "$VOD_RTSP_PORT" java $JVM_OPTS -jar "$VOD_JAR" --root "$CONTENT" --host 127.0.0.1 \
        --port "$VOD_PORT" --rtsp-port "$VOD_RTSP_PORT" --rtsp-host 127.0.0.1 --rtp-port-range "$VOD_RTP_PORTS" \
        --rtsp-max-sessions 10000 --access-log off
}

url_of() {
    case $1 in
        gst) echo "rtsp://127.0.0.1:$GST_PORT/film.mp4" ;;
        vod) echo "rtsp://127.0.0.1:$VOD_RTSP_PORT/film.mp4" ;;
    esac
}

# ---------------------------------------------------------------- runs
RESULTS="$WORK/results.jsonl"
CLK_TCK=$(getconf CLK_TCK)

cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# rtsp_load SERVER TRANSPORT SESSIONS SECONDS LOGFILE: one RtspLoad run; prints its RESULT json (empty if none).
rtsp_load() {
    local server=$1 transport=$2 sessions=$3 seconds=$4 logfile=$5
    timeout -k 5 $((seconds + 120)) java -Xmx512m -XX:+UseSerialGC -cp "$BENCH_JAR" dev.vod.bench.RtspLoad \
        --url "$(url_of "$server")" --transport "$transport" --sessions "$sessions" --duration "$seconds" \
        --server-pid "${PID_OF[$server]}" --clk-tck "$CLK_TCK" > "$logfile" 2>&1 < /dev/null
    sed -n 's/^RESULT //p' "$logfile" | tail -1
}

# run SERVER TRANSPORT SESSIONS ROUND: one measured run, appended to results.jsonl.
run() {
    local server=$1 transport=$2 sessions=$3 round=$4
    local logfile="$LOGS/load-$server-$transport-$sessions-r$round.log"
    local before after t0 t1 result load1
    load1=$(cut -d' ' -f1 /proc/loadavg)
    before=$(cpu_ticks "${PID_OF[$server]}")
    t0=$(date +%s.%N)
    result=$(rtsp_load "$server" "$transport" "$sessions" "$DURATION" "$logfile")
    t1=$(date +%s.%N)
    after=$(cpu_ticks "${PID_OF[$server]}")
    if [ -z "$result" ]; then
        log "  $server: RtspLoad failed (see $logfile)"
        echo "{\"round\":$round,\"server\":\"$server\",\"transport\":\"$transport\",\"sessions\":$sessions,\"skipped\":\"RtspLoad failed, see $logfile\"}" >> "$RESULTS"
        return
    fi
    kill -0 "${PID_OF[$server]}" 2>/dev/null || die "$server died during the run (see $LOGS/$server.err)"
    python3 -c 'import json, sys
rnd, server, load1, ticks, clk, t0, t1, load = sys.argv[1:]
print(json.dumps({"round": int(rnd), "server": server, "load1": float(load1), "run_cpu_s": round(int(ticks) / int(clk), 3),
                  "run_s": round(float(t1) - float(t0), 3), "load": json.loads(load)}))' \
        "$round" "$server" "$load1" "$((after - before))" "$CLK_TCK" "$t0" "$t1" "$result" >> "$RESULTS"
    log "  $server: $(grep -v '^RESULT' "$logfile" | tail -2 | tr '\n' ' ')"
}

warm_up() {
    local server transport
    for server in ${SERVERS//,/ }; do
        for transport in ${TRANSPORTS//,/ }; do
            log "warming up $server over $transport (20 sessions, ${WARMUP} s)"
            rtsp_load "$server" "$transport" 20 "$WARMUP" "$LOGS/warmup-$server-$transport.log" > /dev/null
        done
    done
}

# Servers in a different order each round, so none always runs first.
server_order() {
    local round=$1 list=(${SERVERS//,/ }) i n
    n=${#list[@]}
    for ((i = 0; i < n; i++)); do echo "${list[$(( (i + round - 1) % n ))]}"; done
}

report() {
    python3 - "$RESULTS" "$WORK/last-results.md" "$COMMAND" <<'EOF'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rows = {}
for r in runs:
    if "skipped" in r:
        continue
    l = r["load"]
    key = (r["server"], l["transport"], l["sessions"])
    window, cpu = l["window_s"], l["server_cpu_window_s"]
    playing = max(l["playing"], 1)
    core = cpu / window  # cores the server used during the window
    rows.setdefault(key, []).append({
        "rt": l["sessions_at_realtime"], "p50": l["startup_ms_p50"], "p95": l["startup_ms_p95"],
        "mbps": l["total_mbps"], "loss": l["loss_pct"], "cpu_pct": 100 * core,
        "per_session": 1000 * cpu / (playing * window),  # ms of CPU per session-second
        "per_core": l["sessions_at_realtime"] / core if core > 0 else float("inf"),
        "client_pct": 100 * l["client_cpu_s"] / r["run_s"], "errors": l["errors"], "error": l["error"]})
med = lambda v, k: statistics.median(x[k] for x in v)
out = ["| server | transport | sessions | at real time (min–max) | startup p50 / p95 ms | Mbit/s | loss % "
       "| server CPU % of a core | CPU ms per session-s | real-time sessions per core | client CPU % | rounds |",
       "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
notes = []
for (server, transport, sessions), v in sorted(rows.items()):
    rt = [x["rt"] for x in v]
    warn = " ⚠" if any(x["errors"] for x in v) else ""
    out.append(f"| {server} | {transport} | {sessions} | {statistics.median(rt):.0f} ({min(rt)}–{max(rt)}){warn} "
               f"| {med(v, 'p50'):.0f} / {med(v, 'p95'):.0f} | {med(v, 'mbps'):.0f} | {med(v, 'loss'):.2f} "
               f"| {med(v, 'cpu_pct'):.0f} | {med(v, 'per_session'):.2f} | {med(v, 'per_core'):.0f} "
               f"| {med(v, 'client_pct'):.0f} | {len(v)} |")
    for x in v:
        if x["error"]:
            notes.append(f"- ⚠ {server} {transport} {sessions}: {x['errors']} sessions failed, first: {x['error']}")
            break
text = "\n".join(out + ([""] + notes if notes else []) + ["", f"`{sys.argv[3]}`; medians over the rounds."])
print(text)
open(sys.argv[2], "w").write(text + "\n")
EOF
}

# ---------------------------------------------------------------- main
main() {
    ensure_tools
    ensure_jars
    if serves vod && ! vod_has_rtsp; then
        log "vod's launcher has no --rtsp-port yet: measuring GStreamer only"
        SERVERS=$(echo ",$SERVERS," | sed 's/,vod,/,/; s/^,//; s/,$//')
    fi
    [ -n "$SERVERS" ] || die "no server to measure"
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    ensure_content
    check_load
    : > "$RESULTS"
    start_servers
    warm_up

    local nruns
    nruns=$(( $(echo "${SERVERS//,/ }" | wc -w) * $(echo "${TRANSPORTS//,/ }" | wc -w) * $(echo "${SESSIONS//,/ }" | wc -w) ))
    local estimate=$(( nruns * ROUNDS * (DURATION + 4) + $(elapsed) ))
    log "about $(( estimate / 60 + 1 )) min in all ($ROUNDS rounds of $nruns runs); stops starting runs after ${BUDGET} s"
    [ "$estimate" -gt "$BUDGET" ] && log "WARNING: that is more than --budget $BUDGET: the last rounds will be cut (see --help)"
    local round sessions transport server
    for ((round = 1; round <= ROUNDS; round++)); do
        for sessions in ${SESSIONS//,/ }; do
            for transport in ${TRANSPORTS//,/ }; do
                for server in $(server_order "$round"); do
                    if [ "$(elapsed)" -ge "$BUDGET" ]; then
                        log "budget of ${BUDGET} s used: no more runs (round $round)"
                        break 4
                    fi
                    log "round $round/$ROUNDS: $server, $transport, $sessions sessions"
                    run "$server" "$transport" "$sessions" "$round"
                    sleep 0.5 # let the server close the sessions' sockets
                done
            done
        done
    done
    echo
    report
}

main
