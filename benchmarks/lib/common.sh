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
