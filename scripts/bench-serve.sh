#!/usr/bin/env bash
# Load test of `serve` with wrk (Debian's `wrk` package), load generator and server on the same machine.
#
#   scripts/bench-serve.sh sweep MODEL   1, 8, 32 and 128 connections, JSON bodies then PNG bodies, SECONDS each
#   scripts/bench-serve.sh soak  MODEL   REQUESTS JSON requests at 32 connections; resident memory before and after
#
# Each wrk run prints one line: requests, per second, p50 and p99 latency (ms), errors (socket errors plus
# non-2xx answers). Run it through the CPU lock on a quiet machine: /work/bin/heavy scripts/bench-serve.sh ...
# Settings: SECONDS_EACH (default 20), WARMUP (seconds, default 5), REQUESTS (default 1000000),
# BODIES (default "json png"), SERVE_FLAGS (extra flags for serve), JAVA_OPTS (JVM options for serve),
# JAR (default target/lenet-digits-infer.jar: another build to compare against).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:?usage: scripts/bench-serve.sh sweep|soak MODEL}
model=${2:?usage: scripts/bench-serve.sh sweep|soak MODEL}
seconds_each=${SECONDS_EACH:-20}
warmup=${WARMUP:-5}
requests=${REQUESTS:-1000000}
jar=${JAR:-target/lenet-digits-infer.jar}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 2; }
[ -f "$jar" ] || { echo "needs $jar: mvn -B -q package -DskipTests" >&2; exit 2; }

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

java scripts/BenchBodies.java "$work"

# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -jar "$jar" serve --model "$model" --port 0 ${SERVE_FLAGS:-} 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 600); do
  grep -q "serve: ready on" "$work/serve.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
url=$(grep -o 'http://[^ ]*/' "$work/serve.log" | tail -1)
url=${url%/}
echo "serve: $url (pid $server_pid) $(grep -c processor /proc/cpuinfo) cores; $(java -version 2>&1 | head -1)"

rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status"; }
# the Java heap's committed size (part of the RSS), from jcmd
heap_mb() { jcmd "$server_pid" GC.heap_info 2>/dev/null | awk '/heap/ && /total/ {match($0, /total [0-9]+K/); print substr($0, RSTART + 6, RLENGTH - 7) / 1024; exit}'; }

# run BODY TYPE CONNECTIONS SECONDS: one wrk run, its RESULT line
run() {
  local threads=$(( $3 < 2 ? 1 : 2 ))
  BODY=$1 TYPE=$2 wrk -t "$threads" -c "$3" -d "${4}s" --timeout 10s -s scripts/post.lua "$url" | grep '^RESULT' \
    | sed "s/^RESULT/$(basename "$1" | sed 's/digit\.//') connections=$3/"
}

echo "rss_mb_ready=$(rss_mb) heap_committed_mb=$(heap_mb)"
run "$work/digit.json" application/json 32 "$warmup" >/dev/null   # JIT and allocator warm-up, not reported
run "$work/digit.png" image/png 32 "$warmup" >/dev/null
echo "rss_mb_after_warmup=$(rss_mb) heap_committed_mb=$(heap_mb)"

case "$mode" in
  sweep)
    for body in ${BODIES:-json png}; do
      type=application/json; [ "$body" = png ] && type=image/png
      for c in 1 8 32 128; do
        run "$work/digit.$body" "$type" "$c" "$seconds_each"
      done
    done
    echo "rss_mb_end=$(rss_mb) heap_committed_mb=$(heap_mb)"
    ;;
  soak)
    before=$(rss_mb)
    done_requests=0
    while [ "$done_requests" -lt "$requests" ]; do
      line=$(run "$work/digit.json" application/json 32 60)
      echo "$line"
      n=$(echo "$line" | sed 's/.*requests=\([0-9]*\).*/\1/')
      done_requests=$(( done_requests + n ))
      echo "requests_so_far=$done_requests rss_mb=$(rss_mb) heap_committed_mb=$(heap_mb)"
    done
    after=$(rss_mb)
    echo "soak requests=$done_requests rss_mb_before=$before rss_mb_after=$after growth_mb=$(awk "BEGIN {printf \"%.1f\", $after - $before}")"
    ;;
  *) echo "unknown mode $mode: sweep or soak" >&2; exit 2 ;;
esac
grep -c 'Exception' "$work/serve.log" | sed 's/^/exceptions_in_server_log=/' || true
