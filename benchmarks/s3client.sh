#!/usr/bin/env bash
# Which blocking HTTP client the AWS SDK should use under vod's S3 source: 1 MiB ranged GETs and small HEADs
# against S3Proxy, with url-connection-client, apache-client and apache5-client, at concurrency 1 and 16.
#
#   benchmarks/s3client.sh [--rounds N] [--duration S] [--warmup S] [--concurrency LIST] [--clients LIST]
#
#   --rounds N          rounds of every run (default 3); the table shows the median
#   --duration S        seconds of each measured window (default 3)
#   --warmup S          seconds before each window, not measured (default 1)
#   --concurrency LIST  comma-separated caller counts (default 1,16)
#   --clients LIST      comma-separated: url-connection,apache,apache5 (default: all three)
#   --no-wait           start without waiting for a quiet machine (a smoke test of the harness, not a measurement)
#
# Starts dev.vod.testing.S3FixtureMain (S3Proxy over a temporary folder, from vod-core's test classpath) in a JVM
# of its own with a 64 MiB and a 1 KiB object, waits for the load average to drop below 1.0, then runs
# dev.vod.bench.S3ClientLoad from benchmarks.jar against it. Prints every window as a RUN line and a markdown
# table of medians (also written to benchmarks/work/s3client/last-results.md). The defaults take about 2.5 min.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
WORK="$HERE/work/s3client"
BENCH_JAR="$REPO/benchmarks/target/benchmarks.jar"
JVM_OPTS=${JVM_OPTS:--Xmx1g}
LOAD_ARGS=()
WAIT=1

. "$HERE/lib/common.sh"   # die, log, elapsed, PIDS and the clean-up on exit

while [ $# -gt 0 ]; do
    case "$1" in
        --rounds|--duration|--warmup|--concurrency|--clients) LOAD_ARGS+=("$1" "${2:?}"); shift ;;
        --no-wait) WAIT=0 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done

mkdir -p "$WORK"
if [ ! -f "$BENCH_JAR" ] || [ ! -d "$REPO/vod-core/target/test-classes/dev/vod/testing" ]; then
    log "building (mvn -B -q -pl benchmarks -am package -DskipTests, then vod-core test-compile)"
    (cd "$REPO" && mvn -B -q -pl benchmarks -am package -DskipTests && mvn -B -q -pl vod-core test-compile) \
        || die "build failed"
fi
S3_JVM_OPTS="$JVM_OPTS" start_s3_fixture "$WORK" 64   # sets S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY (lib/common.sh)

until [ "$WAIT" = 0 ] || awk '{ exit !($1 < 1.0) }' /proc/loadavg; do
    log "load average $(cut -d' ' -f1 /proc/loadavg), waiting for < 1.0"
    sleep 10
done

log "S3ClientLoad ${LOAD_ARGS[*]}"
java $JVM_OPTS -Daws.accessKeyId="$S3_ACCESS_KEY" -Daws.secretAccessKey="$S3_SECRET_KEY" -cp "$BENCH_JAR" \
    dev.vod.bench.S3ClientLoad --endpoint "$S3_ENDPOINT" --bucket "$S3_BUCKET" "${LOAD_ARGS[@]}" | tee "$WORK/output.txt"
{
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$REPO" rev-parse --short HEAD), $(nproc) cores:" \
        "benchmarks/s3client.sh${LOAD_ARGS[*]:+ ${LOAD_ARGS[*]}}"
    grep '^|' "$WORK/output.txt"
} >"$WORK/last-results.md"
log "done in $(elapsed) s; table in $WORK/last-results.md"
