#!/usr/bin/env bash
# Load test: a cached feed against plain static bytes of the same size, measured at the same time, several rounds;
# once for full responses (200) and once for revalidations (304 with If-None-Match).
#
#   bench/load.sh [FEED_PATH] [ROUNDS] [DURATION] [CONNECTIONS] [THREADS]
#   defaults:      feeds/all.rss 15     3s         16            1
#   environment:   BENCH_MODE=sequential|concurrent (see below), BENCH_PORT=5099, BENCH_KINDS="200 304",
#                  BENCH_BUILD=aot|jit (aot: the native executable, as deployed; jit: the Release build on the .NET runtime)
#
# Needs Debian's wrk (apt-get install wrk). Starts the service in Release on the bundled samples with
# Publishing:BenchStaticEndpoint=true (adds /bench/static/{length}) and a rate limit far above what wrk can reach,
# so the limiter stays in the measured path without refusing anything. Prints requests/s per run and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."

feed=${1:-feeds/all.rss}; rounds=${2:-15}; duration=${3:-3s}; connections=${4:-16}; threads=${5:-1}
port=${BENCH_PORT:-5099}
mode=${BENCH_MODE:-sequential}
base="http://127.0.0.1:${port}/"
data=$(mktemp -d)

. bench/service-build.sh
build_service "${BENCH_BUILD:-aot}"
# With two or more cores, the service and wrk get their own (taskset), so they do not steal each other's time slices.
cores=$(nproc)
if [ "$cores" -ge 2 ] && command -v taskset >/dev/null; then
  service_cpus="0-$((cores / 2 - 1))"; wrk_cpus="$((cores / 2))-$((cores - 1))"
  pin_service=(taskset -c "$service_cpus"); pin_wrk=(taskset -c "$wrk_cpus")
else
  pin_service=(); pin_wrk=()
fi
"${pin_service[@]}" "${service_cmd[@]}" serve --urls "${base%/}" --data "$data" \
  --Publishing:BenchStaticEndpoint=true --Publishing:RateLimit:PermitLimit=1000000 --Publishing:RateLimit:Window=00:00:01 \
  --Logging:LogLevel:Default=Warning >"$data/service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null; wait $service 2>/dev/null; rm -rf "$data"' EXIT

for _ in $(seq 1 120); do
  curl -fs -o /dev/null "${base}readyz" && break
  sleep 0.5
done

size=$(curl -fs -o /dev/null -w '%{size_download}' "${base}${feed}")
etag=$(curl -fsI "${base}${feed}" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag" {print $2}')
static="bench/static/${size}"
echo "feed ${feed}: ${size} bytes, ETag ${etag}; static bytes at /${static}"
echo "wrk -t${threads} -c${connections} -d${duration}, ${rounds} rounds, ${mode}; ${cores} cores; service on ${service_cpus:-any}, wrk on ${wrk_cpus:-any}"

# Warm up both paths before measuring: tiered compilation and dynamic PGO take tens of seconds to settle on a loaded machine.
"${pin_wrk[@]}" wrk -t"$threads" -c"$connections" -d15s "${base}${feed}" >/dev/null
"${pin_wrk[@]}" wrk -t"$threads" -c"$connections" -d15s "${base}${static}" >/dev/null

rps() { awk '/^Requests\/sec:/ {print $2}'; }
requests() { awk '/ requests in / {print $1}'; }
# The service's CPU time (user + system, clock ticks) from /proc: what one path costs the server per request, which other
# processes on a shared machine disturb far less than they disturb throughput.
cpu_ticks() { awk '{print $14 + $15}' "/proc/${service}/stat"; }
tick_us=$((1000000 / $(getconf CLK_TCK)))
unexpected() { awk -F': ' '/^non-[0-9]+ responses:/ {print $2}'; }

# BENCH_MODE=sequential (default): each round runs the feed, then the static bytes (the order flips every round), one short
# run each, and the ratio of the pair is kept; the median over rounds resists the drift of a shared machine.
# BENCH_MODE=concurrent: both at the same time, one wrk each: both see the same machine, but on a saturated server the shared
# queue dominates both latencies and pulls the ratio towards 1, so it understates a difference; use it as a cross-check only.
static_etag="\"static-bytes\""
for kind in ${BENCH_KINDS:-200 304}; do
  echo "== ${kind} responses"
  if [ "$kind" = 200 ]; then script=bench/status.lua; feed_tag=""; static_tag=""; else script=bench/if-none-match.lua; feed_tag="$etag"; static_tag="$static_etag"; fi
  ratios=(); cpu_ratios=()
  for round in $(seq 1 "$rounds"); do
    run_feed() { local t0; t0=$(cpu_ticks); ETAG="$feed_tag" "${pin_wrk[@]}" wrk -t"$threads" -c"$connections" -d"$duration" -s "$script" "${base}${feed}" >"$data/feed.out"; echo $(( $(cpu_ticks) - t0 )) >"$data/feed.cpu"; }
    run_static() { local t0; t0=$(cpu_ticks); ETAG="$static_tag" "${pin_wrk[@]}" wrk -t"$threads" -c"$connections" -d"$duration" -s "$script" "${base}${static}" >"$data/static.out"; echo $(( $(cpu_ticks) - t0 )) >"$data/static.cpu"; }
    if [ "$mode" = concurrent ]; then
      if [ $((round % 2)) = 1 ]; then run_feed & a=$!; run_static & b=$!; else run_static & b=$!; run_feed & a=$!; fi
      wait "$a" "$b"
    elif [ $((round % 2)) = 1 ]; then run_feed; run_static
    else run_static; run_feed
    fi
    f=$(rps <"$data/feed.out"); s=$(rps <"$data/static.out")
    ratio=$(awk -v f="$f" -v s="$s" 'BEGIN {printf "%.3f", f / s}')
    ratios+=("$ratio")
    # CPU per request (µs) of each path; their ratio static/feed reads like the throughput ratio (1 = costs the same).
    fu=$(awk -v t="$(cat "$data/feed.cpu")" -v n="$(requests <"$data/feed.out")" -v us="$tick_us" 'BEGIN {printf "%.2f", t * us / n}')
    su=$(awk -v t="$(cat "$data/static.cpu")" -v n="$(requests <"$data/static.out")" -v us="$tick_us" 'BEGIN {printf "%.2f", t * us / n}')
    cpu_ratio=$(awk -v f="$fu" -v s="$su" 'BEGIN {printf "%.3f", (f > 0 ? s / f : 0)}')
    # Run at the same time, the two CPU readings overlap: only the sequential mode measures each path alone.
    [ "$mode" = concurrent ] && cpu_ratio=n/a
    cpu_ratios+=("$cpu_ratio")
    echo "round ${round}: feed ${f} req/s / static ${s} req/s = ${ratio}; service CPU per request: feed ${fu} us, static ${su} us, static/feed ${cpu_ratio}  (unexpected statuses: feed $(unexpected <"$data/feed.out"), static $(unexpected <"$data/static.out"))"
  done
  median() { sort -n | awk -v what="$1" '{a[NR]=$1} END {printf "median %s: %s  (min %s, max %s, %d rounds)\n", what, (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[1], a[NR], NR}'; }
  printf '%s\n' "${ratios[@]}" | median "throughput ratio feed/static (${kind})"
  printf '%s\n' "${cpu_ratios[@]}" | median "CPU-per-request ratio static/feed (${kind})"
done
