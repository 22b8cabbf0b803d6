#!/usr/bin/env bash
# Rate-control benchmark: accuracy of --limit-rate, CPU cost of paced sending, many paced viewers.
#
#   benchmarks/pacing.sh            # about 2 minutes
#
# Needs Java 17, curl, Python 3, and vod-server/target/vod-server.jar (built with mvn package if missing).
# Prints markdown tables; content goes to benchmarks/work/pacing/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=vod-server/target/vod-server.jar
PORT=${VOD_PORT:-18090}
WORK=benchmarks/work/pacing
JVM_OPTS=${JVM_OPTS:--Xmx1g}
[ -f "$JAR" ] || mvn -B -q package -DskipTests -pl vod-core,vod-server
mkdir -p "$WORK/content"
[ -f "$WORK/content/big.bin" ] || head -c $((1024 * 1024 * 1024)) /dev/urandom > "$WORK/content/big.bin"
cat "$WORK/content/big.bin" > /dev/null # page cache

PID=
start() {
    java $JVM_OPTS -jar "$JAR" --root "$WORK/content" --host 127.0.0.1 --port "$PORT" "$@" \
        > "$WORK/server.out" 2> "$WORK/server.err" &
    PID=$!
    for _ in $(seq 100); do grep -q Listening "$WORK/server.out" 2>/dev/null && return; sleep 0.1; done
    echo "server did not start" >&2; cat "$WORK/server.err" >&2; exit 1
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null || true' EXIT
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
TICK=$(getconf CLK_TCK)

echo "## --limit-rate accuracy (one download, 10 s after a 1 MiB free burst)"
echo
echo "| limit | measured | error |"
echo "|---|---|---|"
for rate in 262144 1048576 10485760; do
    start --limit-rate "$rate" --limit-rate-after 1M
    got=$(python3 benchmarks/tools/paced_clients.py 127.0.0.1 "$PORT" /big.bin 1 10 --skip 1048576)
    stop
    measured=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['total_Bps'])" "$got")
    python3 -c "import sys; r,m=int(sys.argv[1]),int(sys.argv[2]); print(f'| {r/1024:.0f} KiB/s | {m/1024:.1f} KiB/s | {100*(m-r)/r:+.1f}% |')" "$rate" "$measured"
done
echo

echo "## CPU per Gbit sent: 8 downloads for 10 s after a 3 s warm-up, paced at 48 MiB/s each (zero-copy slices)"
echo "## vs unpaced (everything queued at once; the Python client is the bottleneck there)"
echo
echo "| mode | Gbit/s | server CPU s | server CPU s per Gbit |"
echo "|---|---|---|---|"
for mode in unpaced paced; do
    if [ "$mode" = paced ]; then start --limit-rate 48M; else start; fi
    python3 benchmarks/tools/paced_clients.py 127.0.0.1 "$PORT" /big.bin 8 3 > /dev/null # JIT warm-up
    before=$(cpu_ticks)
    got=$(python3 benchmarks/tools/paced_clients.py 127.0.0.1 "$PORT" /big.bin 8 10)
    after=$(cpu_ticks)
    stop
    python3 - "$got" "$before" "$after" "$TICK" "$mode" <<'PY'
import json, sys
got = json.loads(sys.argv[1]); ticks = int(sys.argv[3]) - int(sys.argv[2]); tick = int(sys.argv[4])
gbit = got["total_Bps"] * 8 / 1e9
gigabits = got["bytes"] * 8 / 1e9
cpu = ticks / tick
print(f"| {sys.argv[5]} | {gbit:.2f} | {cpu:.1f} | {cpu / gigabits:.2f} |")
PY
done
echo

echo "## --max-bandwidth 384 MiB/s shared by N downloads (10 s)"
echo
echo "| downloads | total | per download min / median / max |"
echo "|---|---|---|"
start --max-bandwidth 384M
python3 benchmarks/tools/paced_clients.py 127.0.0.1 "$PORT" /big.bin 8 3 > /dev/null # JIT warm-up
for n in 8 100; do
    got=$(python3 benchmarks/tools/paced_clients.py 127.0.0.1 "$PORT" /big.bin "$n" 10)
    python3 - "$got" "$n" <<'PY'
import json, sys
g = json.loads(sys.argv[1]); m = 1024 * 1024
print(f"| {sys.argv[2]} | {g['total_Bps'] / m:.1f} MiB/s | {g['min_Bps'] / m:.2f} / {g['median_Bps'] / m:.2f} / {g['max_Bps'] / m:.2f} MiB/s |")
PY
done
stop
echo

echo "## 1,000 paced viewers at 64 KiB/s each (10 s after a 64 KiB free burst)"
echo
start --limit-rate 64k --limit-rate-after 64k
before=$(cpu_ticks)
got=$(python3 benchmarks/tools/paced_clients.py 127.0.0.1 "$PORT" /big.bin 1000 10 --skip 65536)
after=$(cpu_ticks)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
stop
echo "clients: $got"
python3 -c "import sys; print(f'server CPU: {(int(sys.argv[2])-int(sys.argv[1]))/int(sys.argv[3]):.1f} s over ~10 s; RSS {int(sys.argv[4])//1024} MiB')" "$before" "$after" "$TICK" "$rss"
