#!/usr/bin/env bash
# The 4 KiB row with the access log on four routes, to choose the launcher's logging backend and to check that
# vod's own writer is not slower than a backend's async appender:
#
#   logback   vod.access -> SLF4J -> Logback AsyncAppender (neverBlock) -> FileAppender (64 KiB buffer)
#   log4j2    vod.access -> SLF4J -> Log4j2 Async appender (blocking=false) -> RandomAccessFile (64 KiB buffer)
#   vod       vod's own writer (AccessLogSettings.file): what the launcher uses
#   off       no access log
#
#   benchmarks/backends.sh [--rounds N] [--duration S]      (default 3 rounds of 5 s; about 2 minutes)
#
# Needs the jars built (mvn -B package -DskipTests) and wrk; prints one markdown table. vod runs from
# dev.vod.bench.LoggedVod with vod-core's own dependencies plus one backend on the class path.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
WORK="$HERE/work/backends"
ROUNDS=3
DURATION=5
PORT=${BACKENDS_PORT:-18085}
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        *) echo "backends.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
mkdir -p "$WORK/root"
[ -f "$WORK/root/small.bin" ] || head -c 4096 /dev/urandom > "$WORK/root/small.bin"

M2=${M2_REPO:-$HOME/.m2/repository}
LOGBACK_V=$(sed -n 's:.*<logback.version>\(.*\)</logback.version>.*:\1:p' "$REPO/pom.xml")
LOG4J_V=$(sed -n 's:.*<log4j.version>\(.*\)</log4j.version>.*:\1:p' "$REPO/pom.xml")
(cd "$REPO" && mvn -B -q -o dependency:build-classpath -pl vod-core -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$WORK/core.cp") >/dev/null
# Without vod-core's test-only backend, should the resolver list it: one SLF4J provider per variant.
BASE="$REPO/vod-core/target/classes:$REPO/benchmarks/target/classes:$(tr ':' '\n' < "$WORK/core.cp" \
    | grep -v slf4j-simple | paste -sd:)"
LOGBACK_CP="$M2/ch/qos/logback/logback-classic/$LOGBACK_V/logback-classic-$LOGBACK_V.jar:$M2/ch/qos/logback/logback-core/$LOGBACK_V/logback-core-$LOGBACK_V.jar"
LOG4J_CP="$M2/org/apache/logging/log4j/log4j-api/$LOG4J_V/log4j-api-$LOG4J_V.jar:$M2/org/apache/logging/log4j/log4j-core/$LOG4J_V/log4j-core-$LOG4J_V.jar:$M2/org/apache/logging/log4j/log4j-slf4j2-impl/$LOG4J_V/log4j-slf4j2-impl-$LOG4J_V.jar"
for jar in ${LOGBACK_CP//:/ } ${LOG4J_CP//:/ }; do
    [ -f "$jar" ] || { echo "backends.sh: missing $jar (mvn dependency:get it once, online)" >&2; exit 2; }
done

PID=""
stop() {
    if [ -n "$PID" ]; then
        kill -TERM "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true # 143 after SIGTERM
    fi
    PID=""
}
trap stop EXIT

launch() { # launch VARIANT
    local log="$WORK/access-$1.log" cp route props=()
    rm -f "$log"
    case $1 in
        logback) cp="$BASE:$LOGBACK_CP"; route=logger; props=(-Dlogback.configurationFile="$HERE/backends/logback-async.xml" -Daccess.file="$log") ;;
        log4j2) cp="$BASE:$LOG4J_CP"; route=logger; props=(-Dlog4j2.configurationFile="$HERE/backends/log4j2-async.xml" -Daccess.file="$log") ;;
        vod) cp="$BASE:$LOGBACK_CP"; route="file:$log" ;;
        off) cp="$BASE:$LOGBACK_CP"; route=off ;;
    esac
    java -Xmx1g -Dio.netty.leakDetection.level=disabled "${props[@]}" -cp "$cp" dev.vod.bench.LoggedVod \
        "$WORK/root" "$PORT" "$route" > "$WORK/$1.out" 2> "$WORK/$1.err" &
    PID=$!
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0; sleep 0.1; done
    echo "backends.sh: $1 did not start; see $WORK/$1.err" >&2; exit 1
}

ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
: > "$WORK/results.txt"
for variant in logback log4j2 vod off; do
    launch "$variant"
    wrk -t2 -c64 -d5s "http://127.0.0.1:$PORT/small.bin" > /dev/null # warm-up: JIT
    for ((r = 1; r <= ROUNDS; r++)); do
        before=$(ticks)
        out=$(wrk -t2 -c256 -d"${DURATION}s" "http://127.0.0.1:$PORT/small.bin")
        after=$(ticks)
        reqs=$(echo "$out" | awk '/requests in/ {print $1}')
        rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
        echo "$variant $r $rps $reqs $(( after - before ))" >> "$WORK/results.txt"
        echo "$variant round $r: $rps req/s, $(( after - before )) ticks" >&2
    done
    stop
    lines=$(cat "$WORK/access-$variant.log" 2>/dev/null | wc -l || true)
    echo "$variant lines $lines" >> "$WORK/results.txt"
done
python3 - "$WORK/results.txt" "$(getconf CLK_TCK)" <<'PY'
import statistics, sys
tck = int(sys.argv[2]); rows = {}; lines = {}
for l in open(sys.argv[1]):
    f = l.split()
    if f[1] == "lines":
        lines[f[0]] = int(f[2]); continue
    rows.setdefault(f[0], []).append((float(f[2]), int(f[3]), int(f[4]) / tck))
off = statistics.median(r[0] for r in rows["off"])
print("| access log route | req/s (median) | min–max | vs off | server CPU µs/req | lines in the file |")
print("|---|---:|---:|---:|---:|---:|")
for v in ["logback", "log4j2", "vod", "off"]:
    rps = [r[0] for r in rows[v]]; cpu = statistics.median(r[2] / r[1] * 1e6 for r in rows[v])
    print(f"| {v} | {statistics.median(rps):,.0f} | {min(rps):,.0f}–{max(rps):,.0f} | "
          f"{statistics.median(rps) / off:.2f}× | {cpu:.1f} | {lines.get(v, 0):,} |")
PY
