#!/usr/bin/env bash
# Content from S3 through vod's slice cache: warm cache against local files, cold reads against nginx's slice +
# proxy_cache in front of the same S3 server, and the time to first byte of a cold seek into a 2-hour MP4.
#
#   benchmarks/source.sh [--rounds N] [--duration S] [--only LIST] [--cold-slices N] [--ttfb-runs N] [--no-wait]
#
#   --rounds N        rounds of the warm and cold parts (default 3); the tables show medians
#   --duration S      seconds of each warm wrk run (default 5)
#   --only LIST       parts, comma-separated: warm,cold,ttfb (default all three)
#   --cold-slices N   1 MiB slices each cold run reads, each once (default 512)
#   --cold-warmup N   slices each server reads before the cold rounds, not measured: JIT, connections (default 512)
#   --connections N   connections of the cold runs (default 16)
#   --ttfb-runs N     cold seeks per server (default 5)
#   --warm-objects N  small objects vod fetches from before the cold rounds, a random one per request (default 40000)
#   --warm-seconds S  how long it reads them (default 40)
#   --no-wait         do not wait for a quiet machine (a smoke test of the script, not a measurement)
#
# Starts S3Proxy (dev.vod.testing.S3FixtureMain, SigV4, in a JVM of its own) with the objects of
# benchmarks/work/source/data (made once: 1 GiB and 256 MiB of random bytes, a 4 MiB file, the 2-hour film),
# then vod with --root on those files, vod with --source s3://media/bench/ on the same bytes, and nginx proxying
# presigned URLs of the same S3Proxy. Before every measured run it waits until the 1-minute load average is below
# LOAD_MAX (1.0), looking every 10 s, 10 minutes at most. Prints three markdown tables (also written to
# benchmarks/work/source/last-results.md); every run is a JSON line in benchmarks/work/source/results.jsonl. About
# 4 minutes of runs and set-up; its own runs push the load average over 1.0, so the waits add 15-20 minutes even on
# an otherwise quiet machine (--no-wait skips them). See "Content from S3" in benchmarks/README.md.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
WORK="$HERE/work/source"
DATA="$WORK/data"
LOCAL="$WORK/local"
LOGS="$WORK/logs"
NGX="$WORK/nginx"
VOD_JAR="$REPO/vod-server/target/vod-server.jar"
BENCH_JAR="$REPO/benchmarks/target/benchmarks.jar"
VOD_LOCAL_PORT=${VOD_LOCAL_PORT:-18120}
VOD_S3_PORT=${VOD_S3_PORT:-18121}
NGINX_PORT=${NGINX_PORT:-18122}
JVM_OPTS=${JVM_OPTS:--Xmx1g}

ROUNDS=3
DURATION=5
WARMUP=5
ONLY="warm,cold,ttfb"
COLD_SLICES=512
COLD_WARMUP_SLICES=512
WARM_OBJECTS=40000  # small objects vod reads before the cold rounds, for WARM_OBJECT_SECONDS: its per-fetch code
WARM_OBJECT_SECONDS=40  # gets compiled (~25,000 fetches; 4,000 left the JIT compiler a fifth of vod's cold CPU)
CONNECTIONS=16
TTFB_RUNS=5
WAIT=1
MIB=$((1 << 20))
RANGE_SIZE=$((256 * MIB))
WHOLE_SIZE=$((4 * MIB))
SEEK=3600
COMMAND="benchmarks/source.sh${*:+ $*}"

. "$HERE/lib/common.sh"   # die, log, PIDS and the clean-up, start_server, cpu_ticks_of, wait_for_low_load, ...

while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS=${2:?}; shift ;;
        --duration) DURATION=${2:?}; shift ;;
        --only) ONLY=${2:?}; shift ;;
        --cold-slices) COLD_SLICES=${2:?}; shift ;;
        --connections) CONNECTIONS=${2:?}; shift ;;
        --cold-warmup) COLD_WARMUP_SLICES=${2:?}; shift ;;
        --ttfb-runs) TTFB_RUNS=${2:?}; shift ;;
        --warm-objects) WARM_OBJECTS=${2:?}; shift ;;
        --warm-seconds) WARM_OBJECT_SECONDS=${2:?}; shift ;;
        --no-wait) WAIT=0 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
for n in "$ROUNDS" "$DURATION" "$COLD_SLICES" "$COLD_WARMUP_SLICES" "$CONNECTIONS" "$TTFB_RUNS"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "counts and durations must be positive numbers"
done
# The cold object: a stretch of its own for each round, then the warm-up's (made bigger when these grow).
COLD_SIZE=$(( (ROUNDS * COLD_SLICES + COLD_WARMUP_SLICES) * MIB ))
wants() { [[ ",$ONLY," == *",$1,"* ]]; }

# ---------------------------------------------------------------- tools, jars, content

# The launcher, benchmarks.jar (SliceLoad, S3Presign) and vod-core's test classes (S3FixtureMain), built when
# missing or older than their sources.
ensure_jars() {
    local fixture="$REPO/vod-core/target/test-classes/dev/vod/testing/S3FixtureMain.class"
    if [ ! -f "$VOD_JAR" ] || [ ! -f "$BENCH_JAR" ] || [ ! -f "$fixture" ] \
        || [ "$REPO/vod-core/src/test/java/dev/vod/testing/S3FixtureMain.java" -nt "$fixture" ] \
        || [ "$HERE/src/main/java/dev/vod/bench/SliceLoad.java" -nt "$BENCH_JAR" ] \
        || [ "$HERE/src/main/java/dev/vod/bench/S3Presign.java" -nt "$BENCH_JAR" ]; then
        log "building (mvn -o -B -q -pl vod-server,benchmarks -am package -DskipTests)"
        (cd "$REPO" && { mvn -o -B -q -pl vod-server,benchmarks -am package -DskipTests \
            || mvn -B -q -pl vod-server,benchmarks -am package -DskipTests; }) > "$LOGS/build.log" 2>&1 \
            || { tail -20 "$LOGS/build.log" >&2; die "build failed"; }
    fi
}

random_file() { # random_file FILE BYTES: made once, kept between runs
    [ "$(stat -c %s "$1" 2>/dev/null)" = "$2" ] && return 0
    log "generating $(basename "$1") ($(( $2 / MIB )) MiB of random bytes)"
    head -c "$2" /dev/urandom > "$1.part" && mv "$1.part" "$1" || die "cannot write $1"
}

# data/ holds each file once; local/ is vod's --root and nginx's root: hard links under the names the store has,
# so that each name is a title vod has not seen (its MP4 index cache is by path).
FILMS="long.mp4 long2.mp4 long3.mp4 warm.mp4"
ensure_content() {
    mkdir -p "$DATA" "$LOCAL"
    # 2 GiB with the defaults; a bigger one made earlier is used as it is.
    [ "$(stat -c %s "$DATA/cold.bin" 2>/dev/null || echo 0)" -ge "$COLD_SIZE" ] || random_file "$DATA/cold.bin" "$COLD_SIZE"
    COLD_SIZE=$(stat -c %s "$DATA/cold.bin")
    random_file "$DATA/range.bin" "$RANGE_SIZE"
    random_file "$DATA/whole.bin" "$WHOLE_SIZE"
    random_file "$DATA/small.bin" 4096
    seq "$WARM_OBJECTS" | sed 's#.*#/w/&.bin#' > "$WORK/warm-paths.txt"
    make_long_mp4 "$DATA/film.mp4"
    local name
    for name in cold.bin range.bin whole.bin; do ln -f "$DATA/$name" "$LOCAL/$name"; done
    for name in $FILMS; do ln -f "$DATA/film.mp4" "$LOCAL/$name"; done
    FILM_SIZE=$(stat -c %s "$DATA/film.mp4")
    # The film's moov: where it ends tells how many slices a seek must read (faststart: right after ftyp).
    MOOV_END=$(python3 - "$DATA/film.mp4" <<'EOF'
import struct, sys
with open(sys.argv[1], "rb") as f:
    offset = 0
    while True:
        f.seek(offset)
        head = f.read(16)
        size, kind = struct.unpack(">I4s", head[:8])
        if size == 1:
            size = struct.unpack(">Q", head[8:16])[0]
        if kind == b"moov":
            print(offset + size)
            break
        offset += size
EOF
    )
    cat "$DATA"/* > /dev/null   # page cache: every server reads the same warm files
}

s3_objects() { # the KEY=FILE lines of S3FixtureMain's --put-list: every file of local/ under bench/
    local name
    for name in cold.bin range.bin whole.bin $FILMS; do echo "bench/$name=$LOCAL/$name"; done
    sed "s#^/\(.*\)#bench/\1=$DATA/small.bin#" "$WORK/warm-paths.txt"
}

# ---------------------------------------------------------------- servers
start_vod_local() {
    start_server vod-local "$VOD_LOCAL_PORT" java $JVM_OPTS -jar "$VOD_JAR" --root "$LOCAL" --host 127.0.0.1 \
        --port "$VOD_LOCAL_PORT" --status-path /status
}

# start_vod_s3 CACHE_DIR: vod on the bucket, every source flag as docs/deploy.md shows it, the cache in CACHE_DIR.
start_vod_s3() {
    mkdir -p "$1"
    AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY AWS_REGION=us-east-1 \
    start_server vod-s3 "$VOD_S3_PORT" java $JVM_OPTS -jar "$VOD_JAR" --source "s3://$S3_BUCKET/bench/" \
        --s3-endpoint "$S3_ENDPOINT" --s3-path-style --cache-dir "$1" --cache-slice 1m --cache-max-size 10g \
        --source-revalidate 5 --host 127.0.0.1 --port "$VOD_S3_PORT" --status-path /status
}

# nginx: /cold.bin by proxy_pass to a presigned URL of bench/cold.bin on the same S3Proxy (nginx cannot sign
# SigV4; a presigned URL signs only the host, so nginx may add the slice's Range), cached in 1 MiB slices as
# docs/deploy.md configures it; the films as local files through the mp4 module, as in run.sh.
write_nginx_conf() {
    mkdir -p "$NGX/tmp" "$NGX/cache"
    local presigned s3_port=${S3_ENDPOINT##*:} user_line=""
    presigned=$(AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY java -cp "$BENCH_JAR" \
        dev.vod.bench.S3Presign --endpoint "$S3_ENDPOINT" --bucket "$S3_BUCKET" --key bench/cold.bin 2>> "$LOGS/presign.err") \
        || die "S3Presign failed (see $LOGS/presign.err)"
    PRESIGNED_COLD=$presigned   # prime_store reads the same object without a cache in between
    [ "$(id -u)" = 0 ] && user_line="user root;  # workers must read benchmarks/work/source"
    cat > "$NGX/nginx.conf" <<EOF
# Written by benchmarks/source.sh; edit the script, not this file.
$user_line
worker_processes 2;
daemon off;
pid $NGX/nginx.pid;
error_log $NGX/error.log warn;

events {
    worker_connections 4096;
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $LOGS/nginx-access.log combined buffer=64k flush=1s;
    sendfile on;
    tcp_nopush off;
    tcp_nodelay on;
    keepalive_requests 1000000;

    client_body_temp_path $NGX/tmp/client_body;
    proxy_temp_path $NGX/tmp/proxy;
    fastcgi_temp_path $NGX/tmp/fastcgi;
    uwsgi_temp_path $NGX/tmp/uwsgi;
    scgi_temp_path $NGX/tmp/scgi;

    proxy_cache_path $NGX/cache levels=1:2 keys_zone=s3:64m max_size=10g inactive=7d use_temp_path=off;

    upstream s3proxy {
        server 127.0.0.1:$s3_port;
        keepalive 32;
    }

    server {
        listen 127.0.0.1:$NGINX_PORT;
        server_name localhost;
        root $LOCAL;

        location = /cold.bin {
            slice              1m;
            proxy_cache        s3;
            proxy_cache_key    \$uri\$is_args\$args\$slice_range;
            proxy_set_header   Range \$slice_range;
            proxy_cache_valid  200 206 1h;
            proxy_cache_lock   on;
            proxy_http_version 1.1;
            proxy_set_header   Connection "";
            proxy_set_header   Host 127.0.0.1:$s3_port;   # the host the URL was signed for
            proxy_pass         http://s3proxy${presigned#http://127.0.0.1:$s3_port};
            add_header         X-Cache \$upstream_cache_status always;
        }
        location ~ \.mp4\$ {
            mp4;
        }
    }
}
EOF
    nginx -t -q -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log" || die "nginx rejected $NGX/nginx.conf"
}

start_nginx() {
    start_server nginx "$NGINX_PORT" nginx -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log"
}

port_of() {
    case $1 in vod-local) echo "$VOD_LOCAL_PORT" ;; vod-s3) echo "$VOD_S3_PORT" ;; nginx) echo "$NGINX_PORT" ;; esac
}

# ---------------------------------------------------------------- measuring
RESULTS="$WORK/results.jsonl"
curl_() { curl --noproxy '*' -s --max-time 30 "$@"; }

# origin SERVER: the bytes vod read from the store so far ("sliceCache" of its status JSON; 0 without one).
origin() {
    curl_ "http://127.0.0.1:$(port_of "$1")/status" | python3 -c \
        'import json, sys; print(json.load(sys.stdin).get("sliceCache", {}).get("originBytes", 0))' 2>/dev/null || echo 0
}

# Sanity: a 64 KiB range and a whole file give the local files' bytes. A fast wrong answer is not a result.
declare -A CHECK
check_bytes() { # check_bytes SERVER PATH FILE [RANGE]
    local server=$1 path=$2 file=$3 range=${4:-} got want
    if [ -n "$range" ]; then
        got=$(curl_ -r "$range" "http://127.0.0.1:$(port_of "$server")$path" | md5sum)
        want=$(tail -c +$(( ${range%-*} + 1 )) "$file" | head -c $(( ${range#*-} - ${range%-*} + 1 )) | md5sum)
    else
        got=$(curl_ "http://127.0.0.1:$(port_of "$server")$path" | md5sum)
        want=$(md5sum < "$file")
    fi
    if [ "$got" = "$want" ]; then
        CHECK[$server]=${CHECK[$server]:-ok}
    else
        CHECK[$server]="$path${range:+ bytes $range} differs from $file"
        log "WARNING: $server: ${CHECK[$server]} (its numbers will be marked ⚠)"
    fi
}

truncate_logs() {
    : > "$LOGS/vod-local.out"; : > "$LOGS/vod-s3.out"
    [ -f "$LOGS/nginx-access.log" ] && : > "$LOGS/nginx-access.log"
    return 0
}

quiet() { [ "$WAIT" = 0 ] && { LOAD1=$(cut -d' ' -f1 /proc/loadavg); return 0; }; wait_for_low_load; }
py() { python3 -c "$@"; }

# warm_run SERVER WORKLOAD CONNS ROUND SCRIPT PATH [ENV=VALUE...]: one wrk run, the server's and S3Proxy's CPU
# around it, vod's origin bytes around it (none expected: the cache is warm).
warm_run() {
    local server=$1 workload=$2 conns=$3 round=$4 script=$5 path=$6
    shift 6
    local logfile="$LOGS/wrk-$workload-$server-r$round.log" pid=${PID_OF[$server]}
    quiet
    local before s3_before origin_before
    origin_before=$(origin "$server")
    before=$(cpu_ticks_of "$pid"); s3_before=$(cpu_ticks_of "$S3_PID")
    env "$@" timeout -k 5 $((DURATION + 60)) wrk -t2 -c"$conns" -d"${DURATION}s" --timeout 10s \
        -s "$HERE/wrk/$script" "http://127.0.0.1:$(port_of "$server")$path" > "$logfile" 2>&1 < /dev/null
    local after s3_after
    after=$(cpu_ticks_of "$pid"); s3_after=$(cpu_ticks_of "$S3_PID")
    local origin_bytes=$(( $(origin "$server") - origin_before ))
    truncate_logs
    local result
    result=$(sed -n 's/^RESULT //p' "$logfile" | tail -1)
    [ -n "$result" ] || { log "  $server: wrk failed (see $logfile)"; return; }
    echo "{\"part\":\"warm\",\"round\":$round,\"workload\":\"$workload\",\"conns\":$conns,\"server\":\"$server\"," \
        "\"cpu_s\":$(py "print(($after - $before) / $CLK_TCK)"),\"s3_cpu_s\":$(py "print(($s3_after - $s3_before) / $CLK_TCK)")," \
        "\"origin_bytes\":$origin_bytes,\"load1\":$LOAD1,\"noisy\":$(json "$NOISY"),\"check\":$(json "${CHECK[$server]:-ok}")," \
        "\"wrk\":$result}" >> "$RESULTS"
    log "  $server $workload: $(py "import json; r = json.loads('$result'); print('%.0f req/s, %.0f MiB/s, p99 %.1f ms' % (r['requests'] / (r['duration_us'] / 1e6), r['bytes'] / (r['duration_us'] / 1e6) / 2**20, r['p99_us'] / 1000))"), load $LOAD1"
}
json() { python3 -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$1"; }

# Servers in a different order each round, so neither always runs first.
order() { # order ROUND NAME...
    local round=$1
    shift
    local list=("$@") i n=$#
    for ((i = 0; i < n; i++)); do echo "${list[$(( (i + round - 1) % n ))]}"; done
}

part_warm() {
    log "warm cache vs local files: vod --root and vod --source, both running"
    rm -rf "$WORK/cache-warm"
    start_vod_local
    start_vod_s3 "$WORK/cache-warm"
    local server
    # Warm the slice cache: every slice of both objects once, then check that a second pass reads nothing.
    curl_ -o /dev/null "http://127.0.0.1:$VOD_S3_PORT/range.bin"
    curl_ -o /dev/null "http://127.0.0.1:$VOD_S3_PORT/whole.bin"
    local warmed second
    warmed=$(origin vod-s3)
    curl_ -o /dev/null "http://127.0.0.1:$VOD_S3_PORT/range.bin"
    second=$(( $(origin vod-s3) - warmed ))
    log "slice cache warmed: $warmed bytes read from the store; a second pass read $second"
    for server in vod-local vod-s3; do
        check_bytes "$server" /whole.bin "$LOCAL/whole.bin"
        check_bytes "$server" /range.bin "$LOCAL/range.bin" 1000-66535
        check_bytes "$server" /range.bin "$LOCAL/range.bin" $((RANGE_SIZE - 70000))-$((RANGE_SIZE - 1))
        log "warming up $server (${WARMUP} s of ranges, ${WARMUP} s of whole files)"
        FILE_SIZE=$RANGE_SIZE wrk -t2 -c64 -d"${WARMUP}s" -s "$HERE/wrk/range.lua" \
            "http://127.0.0.1:$(port_of "$server")/range.bin" > "$LOGS/warmup-$server.log" 2>&1
        wrk -t2 -c8 -d"${WARMUP}s" -s "$HERE/wrk/get.lua" \
            "http://127.0.0.1:$(port_of "$server")/whole.bin" >> "$LOGS/warmup-$server.log" 2>&1
    done
    truncate_logs
    echo "{\"part\":\"warm-fill\",\"origin_bytes\":$warmed,\"second_pass_origin_bytes\":$second}" >> "$RESULTS"
    local round
    for ((round = 1; round <= ROUNDS; round++)); do
        log "round $round/$ROUNDS: 64 KiB ranges, 64 connections"
        for server in $(order "$round" vod-local vod-s3); do
            warm_run "$server" range 64 "$round" range.lua /range.bin FILE_SIZE=$RANGE_SIZE
        done
        log "round $round/$ROUNDS: whole 4 MiB file, 8 connections"
        for server in $(order "$round" vod-local vod-s3); do
            warm_run "$server" whole 8 "$round" get.lua /whole.bin
        done
    done
    stop_server vod-local
    stop_server vod-s3
}

# cold_run SERVER ROUND: every slice of the round's own stretch of cold.bin once, in a shuffled order (the same
# for both servers); neither cache has read any of it before. The server's, S3Proxy's and (vod) the JIT
# compiler's CPU around it.
cold_run() {
    local server=$1 round=$2 pid=${PID_OF[$1]}
    quiet
    prime_store "$round"
    sync   # earlier runs' cache files written out, so that writeback does not land in this one
    local url="http://127.0.0.1:$(port_of "$server")/cold.bin" logfile="$LOGS/cold-$server-r$round.log"
    local before s3_before jit_before origin_before
    origin_before=$(origin "$server")
    before=$(cpu_ticks_of "$pid"); s3_before=$(cpu_ticks_of "$S3_PID"); jit_before=$(jit_ticks "$pid")
    java -cp "$BENCH_JAR" dev.vod.bench.SliceLoad --url "$url" --size "$COLD_SIZE" \
        --first $(( (round - 1) * COLD_SLICES )) --count "$COLD_SLICES" --connections "$CONNECTIONS" \
        --seed "$round" --verify "$DATA/cold.bin" > "$logfile" 2>&1
    local after s3_after jit_after
    after=$(cpu_ticks_of "$pid"); s3_after=$(cpu_ticks_of "$S3_PID"); jit_after=$(jit_ticks "$pid")
    local origin_bytes=$(( $(origin "$server") - origin_before ))
    truncate_logs
    local result
    result=$(sed -n 's/^RESULT //p' "$logfile" | tail -1)
    [ -n "$result" ] || { log "  $server: SliceLoad failed (see $logfile)"; return; }
    echo "{\"part\":\"cold\",\"round\":$round,\"server\":\"$server\",\"conns\":$CONNECTIONS,\"slices\":$COLD_SLICES," \
        "\"warmup_slices\":$COLD_WARMUP_SLICES,\"cpu_s\":$(py "print(($after - $before) / $CLK_TCK)")," \
        "\"s3_cpu_s\":$(py "print(($s3_after - $s3_before) / $CLK_TCK)"),\"jit_cpu_s\":$(py "print(($jit_after - $jit_before) / $CLK_TCK)")," \
        "\"origin_bytes\":$origin_bytes,\"load1\":$LOAD1,\"noisy\":$(json "$NOISY"),\"load\":$result}" >> "$RESULTS"
    log "  $server: $(head -1 "$logfile"), load $LOAD1"
}

# prime_store ROUND: the round's stretch of cold.bin read once straight from S3Proxy (the presigned URL nginx
# uses, no cache in between), just before each server's run. The store then serves both servers from memory:
# without it, the first server of a round paid for S3Proxy's disk reads (this machine's page cache keeps little
# of the gigabytes written: 1 GiB of 23 after the set-up) and the second found the bytes in memory, a 2-3x
# difference in MiB/s that followed the order, not the server. It is the servers that are compared, not the disk.
prime_store() {
    java -cp "$BENCH_JAR" dev.vod.bench.SliceLoad --url "$PRESIGNED_COLD" --size "$COLD_SIZE" \
        --first $(( ($1 - 1) * COLD_SLICES )) --count "$COLD_SLICES" --connections 4 --order sequential \
        > "$LOGS/cold-prime-r$1.log" 2>&1 || log "  priming the store failed (see $LOGS/cold-prime-r$1.log)"
}

# jit_ticks PID: CPU ticks of a JVM's JIT compiler threads (0 for anything else): a warm server compiles little.
jit_ticks() {
    local total=0 t
    for t in /proc/"$1"/task/*; do
        grep -q '^C[12] CompilerThre' "$t/comm" 2>/dev/null \
            && total=$(( total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$t/stat") ))
    done
    echo "$total"
}

# Both servers start with empty caches and stay up for the whole part: each first reads the warm-up stretch
# (connection pools; JIT compilation for vod, which nginx has none of), then each round reads its own stretch,
# which neither cache has seen. A warm JVM with cold slices is what a node in service has; restarting vod for
# every round would measure its JIT compiler too. A JVM compiles a method after ~10,000 calls, and code that runs
# once per fetch (signing, the HTTP client, the slice's bookkeeping) sees that many only after ~10,000 fetches:
# vod first reads small objects for WARM_OBJECT_SECONDS, a random one of WARM_OBJECTS per request (about 25,000
# store lookups and fetches), as a node in service has done. With 4,000 (before 2026-12-08) its C2 compiler still
# took 0.4-0.9 ms per MiB of the cold rounds, compiling the Apache HTTP client's per-request code.
part_cold() {
    log "cold reads: vod --source vs nginx slice + proxy_cache, the same S3Proxy, empty caches"
    rm -rf "$WORK/cache-cold" "$NGX/cache" && mkdir -p "$NGX/cache"
    start_vod_s3 "$WORK/cache-cold"
    start_nginx
    local round server
    log "warming up vod-s3: small objects for $WARM_OBJECT_SECONDS s (a random one of $WARM_OBJECTS per request)"
    PATHS="$WORK/warm-paths.txt" wrk -t2 -c16 -d"${WARM_OBJECT_SECONDS}s" -s "$HERE/wrk/paths.lua" "http://127.0.0.1:$VOD_S3_PORT" \
        > "$LOGS/cold-warmup-objects.log" 2>&1
    for server in vod-s3 nginx; do
        log "warming up $server: $COLD_WARMUP_SLICES slices of 1 MiB"
        java -cp "$BENCH_JAR" dev.vod.bench.SliceLoad --url "http://127.0.0.1:$(port_of "$server")/cold.bin" \
            --size "$COLD_SIZE" --first $(( ROUNDS * COLD_SLICES )) --count "$COLD_WARMUP_SLICES" \
            --connections "$CONNECTIONS" > "$LOGS/cold-warmup-$server.log" 2>&1
    done
    for ((round = 1; round <= ROUNDS; round++)); do
        log "round $round/$ROUNDS: $COLD_SLICES slices of 1 MiB never read before, $CONNECTIONS connections"
        for server in $(order "$round" vod-s3 nginx); do
            cold_run "$server" "$round"
        done
    done
    sleep 1   # nginx renames a cache file once its response is done
    # What each cache holds afterwards: vod's slice files of cold.bin (1 MiB each; the small objects' are 4 KiB),
    # nginx's cache files: one per slice read, if each was fetched and kept once.
    echo "{\"part\":\"cold-end\",\"vod_files\":$(find "$WORK/cache-cold" -type f -size "${MIB}c" ! -name '*.part' | wc -l)," \
        "\"nginx_files\":$(find "$NGX/cache" -type f | wc -l),\"slices\":$(( ROUNDS * COLD_SLICES + COLD_WARMUP_SLICES ))}" >> "$RESULTS"
    stop_server vod-s3
    stop_server nginx
}

# seek SERVER CASE RUN PATH [CURL ARGS...]: one GET of the film at ?start=SEEK, timed by curl, with the bytes vod
# read from the store for it.
seek() {
    local server=$1 case=$2 run=$3 path=$4
    shift 4
    local before got
    before=$(origin "$server")
    got=$(curl_ -o /dev/null -w '%{http_code} %{size_download} %{time_starttransfer} %{time_total}' "$@" \
        "http://127.0.0.1:$(port_of "$server")$path?start=$SEEK")
    local code size ttfb total
    read -r code size ttfb total <<<"$got"
    local origin_bytes=$(( $(origin "$server") - before ))
    echo "{\"part\":\"ttfb\",\"run\":$run,\"server\":\"$server\",\"case\":\"$case\",\"code\":${code:-0}," \
        "\"bytes\":${size:-0},\"ttfb_s\":${ttfb:-0},\"total_s\":${total:-0},\"origin_bytes\":$origin_bytes," \
        "\"load1\":$LOAD1,\"noisy\":$(json "$NOISY")}" >> "$RESULTS"
    log "  $server $case: $code, $size bytes, first byte after ${ttfb} s, all after ${total} s, $origin_bytes bytes from the store"
}

# A vod that served other seeks: one parse of another title (warm.mp4), then seeks into it at 20 points.
warm_jit() {
    local server=$1 i
    for i in $(seq 20); do
        curl_ -o /dev/null -r 0-65535 "http://127.0.0.1:$(port_of "$server")/warm.mp4?start=$(( i * 331 ))"
    done
}

part_ttfb() {
    log "time to first byte of a cold seek: GET /long.mp4?start=$SEEK (moov ends at byte $MOOV_END of $FILM_SIZE)"
    local run server
    for ((run = 1; run <= TTFB_RUNS; run++)); do
        for server in $(order "$run" vod-s3 vod-local); do
            quiet
            if [ "$server" = vod-s3 ]; then
                rm -rf "$WORK/cache-ttfb"
                start_vod_s3 "$WORK/cache-ttfb"
            else
                start_vod_local
            fi
            seek "$server" fresh-jvm "$run" /long.mp4
            warm_jit "$server"
            seek "$server" warm-jvm "$run" /long2.mp4
            seek "$server" first-64k "$run" /long3.mp4 -r 0-65535
            stop_server "$server"
        done
    done
    start_nginx   # the mp4 module on the local file, for reference: it parses the moov on every request
    for ((run = 1; run <= TTFB_RUNS; run++)); do
        quiet
        seek nginx local-mp4 "$run" /long.mp4
    done
    stop_server nginx
}

write_meta() {
    M_COMMAND="$COMMAND" M_ROUNDS="$ROUNDS" M_DURATION="$DURATION" M_COLD="$COLD_SLICES" M_CONNS="$CONNECTIONS" \
    M_RUNS="$TTFB_RUNS" M_WARM_OBJECTS="$WARM_OBJECTS" M_WARM_OBJECT_SECONDS="$WARM_OBJECT_SECONDS" \
    M_MOOV_END="${MOOV_END:-0}" M_FILM_SIZE="${FILM_SIZE:-0}" M_SEEK="$SEEK" \
    M_MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB RAM" \
    M_KERNEL="$(uname -sr)" M_JDK="$(java -version 2>&1 | head -1)" M_JVM="$JVM_OPTS" \
    M_NGINX="$(nginx -v 2>&1 | cut -d/ -f2)" M_WRK="$(wrk -v 2>&1 | head -1 | awk '{print $2}')" \
    M_VOD="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO" diff --quiet HEAD 2>/dev/null \
        || echo ' + uncommitted changes')" \
    M_DATE="$(date -u '+%Y-%m-%d %H:%M UTC')" M_WAIT="$WAIT" \
    python3 - "$WORK/meta.json" <<'EOF'
import json, os, sys
e = os.environ
json.dump({k[2:].lower(): v for k, v in e.items() if k.startswith("M_")}, open(sys.argv[1], "w"), indent=1)
EOF
}

# ---------------------------------------------------------------- main
main() {
    mkdir -p "$WORK" "$LOGS"
    ensure_tools
    ensure_jars
    ensure_content
    : > "$RESULTS"
    write_meta
    log "starting S3Proxy with $(s3_objects | wc -l) objects ($(( (COLD_SIZE + RANGE_SIZE + WHOLE_SIZE + 4 * FILM_SIZE) / MIB )) MiB)"
    # shellcheck disable=SC2046 # one word per argument
    s3_objects > "$WORK/s3-objects.txt"
    start_s3_fixture "$WORK" --put-list "$WORK/s3-objects.txt"
    write_nginx_conf
    wants warm && part_warm
    wants cold && part_cold
    wants ttfb && part_ttfb
    rm -rf "$WORK"/cache-* "$NGX/cache"   # gigabytes of slices nobody reads again; data/ is kept for the next run
    echo "{\"part\":\"waits\",\"waited_s\":$WAITED_TOTAL,\"elapsed_s\":$(elapsed)}" >> "$RESULTS"
    python3 "$HERE/tools/source_report.py" "$WORK" > "$WORK/last-results.md"
    cat "$WORK/last-results.md"
    log "done in $(elapsed) s; tables in $WORK/last-results.md, raw runs in $RESULTS, logs in $LOGS"
}

main
