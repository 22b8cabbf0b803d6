# Shared by the benchmark scripts (sourced, not run): messages, elapsed time, and the clean-up of every process a
# script starts. A script appends each PID it starts to PIDS; on exit (also Ctrl-C or an error) they get TERM,
# up to 5 s, then KILL.

die() { echo "$(basename "$0"): $*" >&2; exit 2; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

STARTED=$(date +%s)
elapsed() { echo $(( $(date +%s) - STARTED )); }

PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        local alive=0
        for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.5
    done
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- helpers for scripts that start servers by name
# (run.sh and rtsp.sh call start_server through their own short start().)

# start_server NAME PORT COMMAND...: runs the command in the background (stdout appended to $LOGS/NAME.out, stderr
# to $LOGS/NAME.err), records its pid in PIDS and PID_OF[NAME], and waits up to 30 s for 127.0.0.1:PORT to accept.
declare -A PID_OF
start_server() {
    local name=$1 port=$2
    shift 2
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        die "port $port is already in use (set ${name^^}_PORT to another port)"
    fi
    : > "$LOGS/$name.out"
    ( exec "$@" ) >> "$LOGS/$name.out" 2> "$LOGS/$name.err" &
    local pid=$!
    PIDS+=("$pid")
    PID_OF[$name]=$pid
    local tries=0
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || { tail -5 "$LOGS/$name.err" >&2; die "$name exited at start"; }
        tries=$((tries + 1))
        [ $tries -gt 300 ] && die "$name did not listen on port $port within 30 s"
        sleep 0.1
    done
    log "$name listening on 127.0.0.1:$port (pid $pid)"
}

# stop_server NAME: TERM, up to 5 s, then KILL; drops it from PIDS and PID_OF.
stop_server() {
    local pid=${PID_OF[$1]:-} keep=() p
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
    PIDS=("${keep[@]}")
    unset "PID_OF[$1]"
}

# cpu_ticks_of PID...: user + system clock ticks so far of these processes and their children (nginx: master and
# workers), fields 14 and 15 of /proc/PID/stat (read after the command name, which may hold spaces).
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks_of() {
    local total=0 p
    for p in "$@" $(for q in "$@"; do pgrep -P "$q"; done 2>/dev/null); do
        total=$(( total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || echo 0) ))
    done
    echo "$total"
}

# wait_for_low_load: waits until the 1-minute load average is below LOAD_MAX (default 1.0), looking every
# LOAD_POLL seconds (10) for up to LOAD_WAIT seconds (600); then it goes on and sets NOISY to say so. The machine
# is shared: another job's CPU would be measured as ours. Once a script has waited LOAD_WAIT_TOTAL seconds in all
# (1800) it waits no more (a machine that stays busy would otherwise hold every run for 10 minutes): each later
# run starts at once, and is marked noisy when the load is still high. LOAD1 is the load average a run started at.
NOISY=""
WAITED_TOTAL=0
wait_for_low_load() {
    local max=${LOAD_MAX:-1.0} poll=${LOAD_POLL:-10} limit=${LOAD_WAIT:-600} total=${LOAD_WAIT_TOTAL:-1800} waited=0
    while :; do
        LOAD1=$(cut -d' ' -f1 /proc/loadavg)
        if awk -v l="$LOAD1" -v m="$max" 'BEGIN { exit !(l < m) }'; then
            NOISY=""
            return 0
        fi
        if [ "$waited" -ge "$limit" ] || [ "$WAITED_TOTAL" -ge "$total" ]; then
            log "WARNING: load average $LOAD1 >= $max after waiting $waited s (${WAITED_TOTAL} s in all): measuring anyway, marked noisy"
            NOISY="load $LOAD1"
            return 0
        fi
        [ "$waited" = 0 ] && log "load average $LOAD1 >= $max: waiting (every ${poll} s)"
        sleep "$poll"
        waited=$((waited + poll))
        WAITED_TOTAL=$((WAITED_TOTAL + poll))
    done
}

# make_long_mp4 FILE: a two-hour film's index, the same for every script: 25 fps video (180,000 samples,
# B-frames) + AAC, faststart (moov first, 4 MB); tiny pictures keep it small on disk (94 MB), the moov is what
# seeking costs. About 2 s of ffmpeg; nothing happens when FILE exists.
make_long_mp4() {
    local file=$1
    [ -f "$file" ] && return 0
    log "generating $(basename "$file") (2 h, 25 fps, faststart)"
    ffmpeg -nostdin -v error -y -f lavfi -i testsrc=size=64x64:rate=25 -f lavfi \
        -i sine=frequency=440:sample_rate=22050 -t 60 -c:v libx264 -preset ultrafast -g 50 -bf 2 \
        -c:a aac -b:a 24k -ac 1 "$file.minute.mp4" || die "ffmpeg failed"
    ffmpeg -nostdin -v error -y -stream_loop 119 -i "$file.minute.mp4" -c copy -t 7200 \
        -movflags +faststart "$file.part.mp4" || die "ffmpeg failed"
    rm -f "$file.minute.mp4"
    mv "$file.part.mp4" "$file"
}

# start_s3_fixture DIR ARGS...: S3Proxy in a JVM of its own (dev.vod.testing.S3FixtureMain, from vod-core's test
# classpath; ARGS are its: a size in MiB, or --put KEY=FILE ...), its log in DIR/s3.log. Sets S3_PID, S3_ENDPOINT,
# S3_BUCKET, S3_ACCESS_KEY and S3_SECRET_KEY once it prints READY. It stops, deleting its store, when its stdin (a
# FIFO this shell holds open on fd 8) ends with this shell, or on the clean-up's TERM. Needs vod-core's test classes.
start_s3_fixture() {
    local dir=$1 repo
    shift
    repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    if [ ! -s "$dir/test-classpath.txt" ] || [ "$repo/pom.xml" -nt "$dir/test-classpath.txt" ] \
        || [ "$repo/vod-core/pom.xml" -nt "$dir/test-classpath.txt" ]; then
        (cd "$repo" && { mvn -o -B -q -pl vod-core dependency:build-classpath -Dmdep.includeScope=test \
            -Dmdep.outputFile="$dir/test-classpath.txt" || mvn -B -q -pl vod-core dependency:build-classpath \
            -Dmdep.includeScope=test -Dmdep.outputFile="$dir/test-classpath.txt"; }) > "$dir/classpath.log" 2>&1 \
            || die "cannot resolve vod-core's test classpath (see $dir/classpath.log)"
    fi
    local cp="$repo/vod-core/target/test-classes:$repo/vod-core/target/classes:$(cat "$dir/test-classpath.txt")"
    rm -f "$dir/s3.stdin" && mkfifo "$dir/s3.stdin" || die "cannot make $dir/s3.stdin"
    # The JVM gets the FIFO's read end only, so it sees its end as soon as this shell's write end (fd 8) closes.
    java ${S3_JVM_OPTS:--Xmx1g} -cp "$cp" dev.vod.testing.S3FixtureMain "$@" < "$dir/s3.stdin" > "$dir/s3.log" 2>&1 &
    S3_PID=$!
    exec 8> "$dir/s3.stdin"
    PIDS+=("$S3_PID")
    local tries=0
    until grep -q '^READY ' "$dir/s3.log"; do
        kill -0 "$S3_PID" 2>/dev/null || die "S3 server failed: $(tail -5 "$dir/s3.log")"
        tries=$((tries + 1))
        [ $tries -gt 1500 ] && die "S3 server not ready within 5 minutes"
        sleep 0.2
    done
    read -r _ S3_ENDPOINT S3_BUCKET S3_ACCESS_KEY S3_SECRET_KEY < <(grep '^READY ' "$dir/s3.log")
    log "S3Proxy at $S3_ENDPOINT (bucket $S3_BUCKET, pid $S3_PID)"
}

# ensure_tools: nginx, wrk and ffmpeg installed (apt-get when missing, idempotent); java, curl and python3 present.
ensure_tools() {
    if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null || ! command -v ffmpeg >/dev/null; then
        log "installing nginx, wrk and ffmpeg (apt-get)"
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx wrk ffmpeg \
            || die "could not install nginx, wrk and ffmpeg"
    fi
    local tool
    for tool in java curl python3; do
        command -v "$tool" >/dev/null || die "$tool is required"
    done
}
