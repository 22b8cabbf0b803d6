#!/usr/bin/env bash
# Load harness: vod against nginx and Jetty 12 on the same content, same machine, in turn, several rounds.
#
#   benchmarks/run.sh [--quick] [--rounds N] [--duration SECONDS] [--only LIST] [--servers LIST]
#
#   --quick           1 round of 3 s per run (a smoke test of the harness, not a measurement)
#   --rounds N        rounds of every workload on every server (default 3)
#   --duration S      seconds per load run (default 5; whole run stays under 10 minutes)
#   --only LIST       comma-separated workloads: range,whole,small,head,inm,seek,idle (default: all)
#   --servers LIST    comma-separated servers: vod,nginx,jetty (default: all)
#   --budget S        stop starting new runs after S seconds in total (default 570)
#   --nginx-open-file-cache   turn on nginx's open_file_cache (off by default, as in nginx itself)
#   --logs-off        all three servers without an access log (default: each logs every request to a file)
#
# Installs nginx and wrk with apt-get if missing, builds the jars if missing, generates the content under
# benchmarks/work/content, starts the three servers on 127.0.0.1:18080 (vod), 18081 (nginx), 18082 (Jetty),
# and prints a markdown table (also written to benchmarks/work/last-results.md). See benchmarks/README.md.
# Access logs are on by default, each server's usual way, to a file in benchmarks/work/logs/ (emptied after each
# run): nginx `access_log FILE combined buffer=64k flush=1s`, vod's launcher defaults (its stdout), Jetty's
# CustomRequestLog through an AsyncRequestLogWriter. Each run also records the server's CPU time (/proc/PID/stat).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
WORK="$HERE/work"
CONTENT="$WORK/content"
LOGS="$WORK/logs"
NGX="$WORK/nginx"

VOD_PORT=${VOD_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
JETTY_PORT=${JETTY_PORT:-18082}
VOD_JAR="$REPO/vod-server/target/vod-server.jar"
BENCH_JAR="$REPO/benchmarks/target/benchmarks.jar"
JVM_OPTS=${JVM_OPTS:--Xmx1g}

ROUNDS=3
DURATION=5
WARMUP=5
BUDGET=570
ONLY="range,whole,small,head,inm,seek,idle"
SERVERS="vod,nginx,jetty"
NGINX_OPEN_FILE_CACHE=0
LOGS_ON=1
IDLE_COUNT=10000
BIG_SIZE=$((1024 * 1024 * 1024))
COMMAND="benchmarks/run.sh${*:+ $*}"

. "$HERE/lib/common.sh"   # die, log, elapsed, PIDS and the clean-up on exit

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) ROUNDS=1; DURATION=3; WARMUP=2 ;;
        --rounds) ROUNDS=${2:?}; shift ;;
        --duration) DURATION=${2:?}; shift ;;
        --only) ONLY=${2:?}; shift ;;
        --servers) SERVERS=${2:?}; shift ;;
        --budget) BUDGET=${2:?}; shift ;;
        --nginx-open-file-cache) NGINX_OPEN_FILE_CACHE=1 ;;
        --logs-off) LOGS_ON=0 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive number"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "--duration must be a positive number of seconds"
wants() { [[ ",$ONLY," == *",$1,"* ]]; }
serves() { [[ ",$SERVERS," == *",$1,"* ]]; }

# ---------------------------------------------------------------- tools, jars, content

ensure_jars() {
    if [ ! -f "$VOD_JAR" ] || [ ! -f "$BENCH_JAR" ]; then
        log "building the jars (mvn -B -q package -DskipTests)"
        (cd "$REPO" && mvn -B -q package -DskipTests) || die "build failed"
    fi
}

ensure_content() {
    mkdir -p "$CONTENT" "$LOGS" "$NGX"
    if [ "$(stat -c %s "$CONTENT/big.bin" 2>/dev/null)" != "$BIG_SIZE" ]; then
        log "generating content/big.bin (1 GiB of random bytes)"
        dd if=/dev/urandom of="$CONTENT/big.bin.part" bs=1M count=1024 status=none || die "dd failed"
        mv "$CONTENT/big.bin.part" "$CONTENT/big.bin"
    fi
    if [ "$(stat -c %s "$CONTENT/small.bin" 2>/dev/null)" != 4096 ]; then
        head -c 4096 /dev/urandom > "$CONTENT/small.bin"
    fi
    cp -u "$REPO/content/sample.mp4" "$CONTENT/sample.mp4"
    make_long_mp4 "$CONTENT/film.mp4"   # lib/common.sh: the 2-hour film every script seeks into
    # Serve from the page cache, as a warm server would: a first read from disk is not what we compare.
    cat "$CONTENT/big.bin" > /dev/null
}

raise_fd_limit() {
    local hard
    hard=$(ulimit -Hn)
    if [ "$hard" = unlimited ] || [ "$hard" -ge 65536 ]; then ulimit -n 65536; else ulimit -n "$hard"; fi
    if [ "$(ulimit -n)" -lt $((IDLE_COUNT + 1000)) ]; then
        IDLE_COUNT=$(( $(ulimit -n) - 1000 ))
        log "open-file limit $(ulimit -n): idle workload reduced to $IDLE_COUNT connections"
    fi
}

# ---------------------------------------------------------------- servers
write_nginx_conf() {
    mkdir -p "$NGX/tmp"
    local user_line=""
    [ "$(id -u)" = 0 ] && user_line="user root;  # workers must read benchmarks/work/content"
    local access_log="access_log off;"
    [ "$LOGS_ON" = 1 ] && access_log="access_log $LOGS/nginx-access.log combined buffer=64k flush=1s;"
    local file_cache="# open_file_cache off (the nginx default): every request opens and stats the file."
    [ "$NGINX_OPEN_FILE_CACHE" = 1 ] && file_cache="open_file_cache max=1000 inactive=60s; open_file_cache_valid 60s;"
    cat > "$NGX/nginx.conf" <<EOF
# Written by benchmarks/run.sh; edit the script, not this file.
$user_line
worker_processes 2;
daemon off;
pid $NGX/nginx.pid;
error_log $NGX/error.log warn;
worker_rlimit_nofile $(ulimit -n);

events {
    # One worker may take most of the idle connections: room for all of them in each.
    worker_connections $(( $(ulimit -n) - 100 ));
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    $access_log
    sendfile on;
    tcp_nopush off;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    etag on;
    $file_cache

    client_body_temp_path $NGX/tmp/client_body;
    proxy_temp_path $NGX/tmp/proxy;
    fastcgi_temp_path $NGX/tmp/fastcgi;
    uwsgi_temp_path $NGX/tmp/uwsgi;
    scgi_temp_path $NGX/tmp/scgi;

    server {
        listen 127.0.0.1:$NGINX_PORT;
        server_name localhost;
        root $CONTENT;
        location / {
        }
        location ~ \.mp4\$ {
            mp4;
        }
    }
}
EOF
}

# start NAME PORT COMMAND...: common.sh's start_server (runs it in the background, records its pid, waits for the port).
start() {
    start_server "$@"
}

start_servers() {
    # vod as a user starts it: the launcher's defaults write the access log to stdout (here a file).
    local vod_log=() jetty_log=()
    [ "$LOGS_ON" = 1 ] || vod_log=(--access-log off)
    [ "$LOGS_ON" = 1 ] && jetty_log=(--request-log "$LOGS/jetty-access.log")
    serves vod && start vod "$VOD_PORT" java $JVM_OPTS \
        -jar "$VOD_JAR" --root "$CONTENT" --host 127.0.0.1 --port "$VOD_PORT" "${vod_log[@]}"
    if serves nginx; then
        write_nginx_conf
        nginx -t -q -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log" || die "nginx rejected $NGX/nginx.conf"
        start nginx "$NGINX_PORT" nginx -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log"
    fi
    serves jetty && start jetty "$JETTY_PORT" java $JVM_OPTS -cp "$BENCH_JAR" dev.vod.bench.JettyPeer \
        --root "$CONTENT" --port "$JETTY_PORT" "${jetty_log[@]}"
}

port_of() {
    case $1 in vod) echo "$VOD_PORT" ;; nginx) echo "$NGINX_PORT" ;; jetty) echo "$JETTY_PORT" ;; esac
}

# ---------------------------------------------------------------- sanity checks (short timeouts: never hang)
declare -A CHECK ETAG
http() { curl --noproxy '*' -s --max-time 5 -o /dev/null "$@"; }

check_servers() {
    local server base got
    for server in ${SERVERS//,/ }; do
        base="http://127.0.0.1:$(port_of "$server")"
        got=$(http -w '%{http_code} %{size_download}' "$base/small.bin")
        CHECK[$server:small]=$([ "$got" = "200 4096" ] && echo ok || echo "GET small.bin gave '$got', wanted '200 4096'")
        got=$(http -w '%{http_code} %{size_download}' -H 'Range: bytes=1000-66535' "$base/big.bin")
        CHECK[$server:range]=$([ "$got" = "206 65536" ] && echo ok || echo "Range gave '$got', wanted '206 65536'")
        got=$(curl --noproxy '*' -s --max-time 5 -I "$base/big.bin" | tr -d '\r' \
            | awk 'NR==1{code=$2} tolower($1)=="content-length:"{len=$2} END{print code, len}')
        CHECK[$server:whole]=$([ "$got" = "200 $BIG_SIZE" ] && echo ok || echo "HEAD big.bin gave '$got', wanted '200 $BIG_SIZE'")
        CHECK[$server:head]=${CHECK[$server:whole]}
        ETAG[$server]=$(curl --noproxy '*' -s --max-time 5 -I "$base/sample.mp4" | tr -d '\r' \
            | awk 'tolower($1)=="etag:"{sub(/^[^:]*: */, ""); print}')
        if [ -z "${ETAG[$server]}" ]; then
            CHECK[$server:inm]="no ETag on sample.mp4"
        else
            got=$(http -w '%{http_code}' -H "If-None-Match: ${ETAG[$server]}" "$base/sample.mp4")
            CHECK[$server:inm]=$([ "$got" = 304 ] && echo ok || echo "If-None-Match gave '$got', wanted 304")
        fi
        got=$(http -w '%{http_code} %{size_download}' -r 0-65535 "$base/film.mp4?start=3600.5")
        CHECK[$server:seek]=$([ "$got" = "206 65536" ] && echo ok || echo "?start=3600.5 with Range gave '$got', wanted '206 65536'")
        CHECK[$server:idle]=${CHECK[$server:small]}
        local w bad=""
        for w in range whole small head inm seek; do
            [ "${CHECK[$server:$w]}" = ok ] || bad="$bad $w"
        done
        if [ -n "$bad" ]; then log "WARNING: $server fails the sanity check for:$bad (its numbers will be marked ⚠)"; fi
    done
}

# ---------------------------------------------------------------- runs
RESULTS="$WORK/results.jsonl"

CLK_TCK=$(getconf CLK_TCK)
# cpu_ticks SERVER: user + system clock ticks so far of the server's process, and for nginx of its workers too
# (fields 14 and 15 of /proc/PID/stat; the command name in field 2 has no spaces for java and nginx).
cpu_ticks() {
    local pid=${PID_OF[$1]} pids total=0 p
    pids="$pid $(pgrep -P "$pid" 2>/dev/null | tr '\n' ' ')"
    for p in $pids; do
        total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
    done
    echo "$total"
}

# Empties the access logs between runs: they would otherwise fill the disk over a full run.
truncate_logs() {
    [ "$LOGS_ON" = 1 ] || return 0
    : > "$LOGS/vod.out"
    [ -f "$LOGS/nginx-access.log" ] && : > "$LOGS/nginx-access.log"
    [ -f "$LOGS/jetty-access.log" ] && : > "$LOGS/jetty-access.log"
    return 0
}

# run_wrk SERVER WORKLOAD CONNS ROUND SCRIPT PATH TIMEOUT [ENV=VALUE...]
run_wrk() {
    local server=$1 workload=$2 conns=$3 round=$4 script=$5 path=$6 timeout=$7
    shift 7
    local threads=2
    [ "$conns" -lt 2 ] && threads=1
    local logfile="$LOGS/wrk-$workload-$conns-$server-r$round.log"
    if [ "$workload" = seek ] && [ "$server" = jetty ]; then
        echo "{\"round\":$round,\"workload\":\"$workload\",\"conns\":$conns,\"server\":\"$server\",\"skipped\":\"no MP4 time seeking\"}" >> "$RESULTS"
        return
    fi
    if [ "$workload" = inm ] && [ -z "${ETAG[$server]}" ]; then
        echo "{\"round\":$round,\"workload\":\"$workload\",\"conns\":$conns,\"server\":\"$server\",\"skipped\":\"no ETag\"}" >> "$RESULTS"
        return
    fi
    local url="http://127.0.0.1:$(port_of "$server")$path"
    local limit=$((DURATION + timeout + 30))
    # HeadLoad warms up for 1 s inside its run: its CPU window includes that second (noted in the README).
    local ticks_before ticks_after
    ticks_before=$(cpu_ticks "$server")
    if [ "$script" = HeadLoad ]; then # wrk cannot count HEAD responses: it waits for the announced body
        timeout -k 5 $((limit + 1)) java -Xmx256m -cp "$BENCH_JAR" dev.vod.bench.HeadLoad --url "$url" \
            --connections "$conns" --threads 2 --duration "$DURATION" --warmup 1 --timeout "$timeout" \
            > "$logfile" 2>&1 < /dev/null
    else
        env "$@" ETAG="${ETAG[$server]}" timeout -k 5 "$limit" \
            wrk -t"$threads" -c"$conns" -d"${DURATION}s" --timeout "${timeout}s" -s "$HERE/wrk/$script" "$url" \
            > "$logfile" 2>&1 < /dev/null
    fi
    ticks_after=$(cpu_ticks "$server")
    local cpu_s
    cpu_s=$(python3 -c "print(($ticks_after - $ticks_before) / $CLK_TCK)")
    truncate_logs
    local result
    result=$(sed -n 's/^RESULT //p' "$logfile" | tail -1)
    if [ -z "$result" ]; then
        echo "{\"round\":$round,\"workload\":\"$workload\",\"conns\":$conns,\"server\":\"$server\",\"skipped\":\"wrk failed, see $logfile\"}" >> "$RESULTS"
        log "  $server: wrk failed (see $logfile)"
        return
    fi
    local check=${CHECK[$server:$workload]}
    echo "{\"round\":$round,\"workload\":\"$workload\",\"conns\":$conns,\"server\":\"$server\",\"check\":$(json_string "$check"),\"cpu_s\":$cpu_s,\"wrk\":$result}" >> "$RESULTS"
    log "  $server: $(summarise "$result"), server CPU ${cpu_s} s"
}

json_string() { python3 -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$1"; }
summarise() { python3 "$HERE/tools/report.py" --line "$1"; }

run_idle() {
    local server=$1 round=$2 pid=${PID_OF[$1]} jvm=""
    [ "$server" != nginx ] && jvm="--jvm"
    local result
    result=$(timeout -k 5 180 python3 "$HERE/tools/idle_conns.py" --port "$(port_of "$server")" --path /small.bin \
        --count "$IDLE_COUNT" --pid "$pid" $jvm 2> "$LOGS/idle-$server-r$round.err")
    if [ -z "$result" ]; then
        echo "{\"round\":$round,\"workload\":\"idle\",\"conns\":$IDLE_COUNT,\"server\":\"$server\",\"skipped\":\"idle tool failed\"}" >> "$RESULTS"
        return
    fi
    echo "{\"round\":$round,\"workload\":\"idle\",\"conns\":$IDLE_COUNT,\"server\":\"$server\",\"check\":$(json_string "${CHECK[$server:idle]}"),\"idle\":$result}" >> "$RESULTS"
    log "  $server: $result"
    sleep 2 # let the server reap 10,000 closed sockets before the next run
}

# The load runs of one round, as "workload conns script path timeout extra-env".
load_runs() {
    wants range && echo "range 64 range.lua /big.bin 10 FILE_SIZE=$BIG_SIZE"
    wants range && echo "range 256 range.lua /big.bin 10 FILE_SIZE=$BIG_SIZE"
    wants whole && echo "whole 1 get.lua /big.bin 60"
    wants whole && echo "whole 8 get.lua /big.bin 60"
    wants small && echo "small 256 get.lua /small.bin 10"
    wants head && echo "head 256 HeadLoad /sample.mp4 10"
    wants inm && echo "inm 256 inm.lua /sample.mp4 10"
    wants seek && echo "seek 64 seek.lua /film.mp4 10 MEDIA_SECONDS=7140"
}

# Servers in a different order each round, so none always runs first (or just after the heaviest).
server_order() {
    local round=$1 list=(${SERVERS//,/ }) i n
    n=${#list[@]}
    for ((i = 0; i < n; i++)); do echo "${list[$(( (i + round - 1) % n ))]}"; done
}

warm_up() {
    local server
    for server in ${SERVERS//,/ }; do
        log "warming up $server (${WARMUP} s ranges + ${WARMUP} s small file)"
        FILE_SIZE=$BIG_SIZE timeout -k 5 $((WARMUP + 30)) wrk -t2 -c64 -d"${WARMUP}s" --timeout 5s \
            -s "$HERE/wrk/range.lua" "http://127.0.0.1:$(port_of "$server")/big.bin" > "$LOGS/warmup-$server.log" 2>&1
        timeout -k 5 $((WARMUP + 30)) wrk -t2 -c64 -d"${WARMUP}s" --timeout 5s \
            -s "$HERE/wrk/get.lua" "http://127.0.0.1:$(port_of "$server")/small.bin" >> "$LOGS/warmup-$server.log" 2>&1
    done
    truncate_logs
}

write_meta() {
    M_COMMAND="\`$COMMAND\` (rounds $ROUNDS, $DURATION s per run, warm-up $WARMUP s, $IDLE_COUNT idle conns)" \
    M_MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB RAM" \
    M_KERNEL="$(uname -sr)" \
    M_JDK="$(java -version 2>&1 | head -1)" \
    M_JVM="$JVM_OPTS for vod and Jetty" \
    M_LOGS="$([ "$LOGS_ON" = 1 ] && echo "on for all three, to files: nginx access_log combined buffer=64k flush=1s; vod launcher defaults (access log on stdout, to a file); Jetty CustomRequestLog (NCSA combined) via AsyncRequestLogWriter" || echo "off for all three (--logs-off)")" \
    M_NGINX="$(nginx -v 2>&1 | cut -d/ -f2), 2 workers, open_file_cache $([ "$NGINX_OPEN_FILE_CACHE" = 1 ] && echo on || echo off), config in benchmarks/work/nginx/nginx.conf" \
    M_JETTY="$(unzip -p "$BENCH_JAR" META-INF/maven/org.eclipse.jetty/jetty-server/pom.properties 2>/dev/null \
        | sed -n 's/^version=//p') ResourceHandler, defaults + ETags + ranges (dev.vod.bench.JettyPeer)" \
    M_WRK="$(wrk -v 2>&1 | head -1 | awk '{print $2}'), 2 threads (1 for 1 connection)" \
    M_VOD="commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO" diff --quiet HEAD 2>/dev/null \
        || echo ' + uncommitted changes')" \
    M_DATE="$(date -u +%Y-%m-%dT%H:%MZ)" \
    python3 - "$WORK/meta.json" <<'EOF'
import json, os, sys
e = os.environ
facts = {"command": e["M_COMMAND"], "machine": e["M_MACHINE"], "kernel": e["M_KERNEL"], "JDK": e["M_JDK"],
         "JVM options": e["M_JVM"], "access logs": e["M_LOGS"], "nginx": e["M_NGINX"], "Jetty": e["M_JETTY"], "wrk": e["M_WRK"],
         "vod": e["M_VOD"]}
with open(sys.argv[1], "w") as f:
    json.dump({"date": e["M_DATE"], "facts": facts}, f, indent=1)
EOF
}

# ---------------------------------------------------------------- main
main() {
    ensure_tools
    ensure_jars
    raise_fd_limit
    ensure_content
    : > "$RESULTS"
    write_meta
    start_servers
    check_servers
    warm_up

    local nload per_round
    nload=$(load_runs | wc -l)
    per_round=$(( nload * (DURATION + 1) * $(echo "${SERVERS//,/ }" | wc -w) ))
    wants idle && per_round=$(( per_round + 10 * $(echo "${SERVERS//,/ }" | wc -w) ))
    log "about $(( per_round * ROUNDS / 60 + 1 )) min of runs ($ROUNDS rounds); stops starting runs after ${BUDGET} s"

    local round line workload conns script path timeout extra server stopped=""
    for ((round = 1; round <= ROUNDS; round++)); do
        while read -r workload conns script path timeout extra; do
            log "round $round/$ROUNDS: $workload, $conns conns"
            for server in $(server_order "$round"); do
                if [ "$(elapsed)" -ge "$BUDGET" ]; then stopped="yes"; break 3; fi
                run_wrk "$server" "$workload" "$conns" "$round" "$script" "$path" "$timeout" $extra
                sleep 1
            done
        done < <(load_runs)
        if wants idle; then
            log "round $round/$ROUNDS: $IDLE_COUNT idle connections"
            for server in $(server_order "$round"); do
                if [ "$(elapsed)" -ge "$BUDGET" ]; then stopped="yes"; break 2; fi
                run_idle "$server" "$round"
            done
        fi
    done
    [ -n "$stopped" ] && log "time budget of ${BUDGET} s reached: later runs skipped"

    python3 "$HERE/tools/report.py" "$WORK" > "$WORK/last-results.md"
    [ -n "$stopped" ] && printf '\nStopped early: the time budget (%s s) ran out.\n' "$BUDGET" >> "$WORK/last-results.md"
    cat "$WORK/last-results.md"
    log "done in $(elapsed) s; table in benchmarks/work/last-results.md, raw runs in benchmarks/work/results.jsonl"
}

main
