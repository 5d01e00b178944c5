#!/usr/bin/env bash
# Load test: a cached feed against plain static bytes of the same size, in the same run, alternating, several rounds;
# once for full responses (200) and once for revalidations (304 with If-None-Match).
#
#   bench/load.sh [FEED_PATH] [ROUNDS] [DURATION] [CONNECTIONS] [THREADS]
#   defaults:      feeds/all.rss 5      10s        32            1
#
# Needs Debian's wrk (apt-get install wrk). Starts the service in Release on the bundled samples with
# Publishing:BenchStaticEndpoint=true (adds /bench/static/{length}) and a rate limit far above what wrk can reach,
# so the limiter stays in the measured path without refusing anything. Prints requests/s per run and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."

feed=${1:-feeds/all.rss}; rounds=${2:-5}; duration=${3:-10s}; connections=${4:-32}; threads=${5:-1}
port=${BENCH_PORT:-5099}
base="http://127.0.0.1:${port}/"
data=$(mktemp -d)

dotnet build -c Release src/CoopFeeds --nologo -v q >/dev/null
# With two or more cores, the service and wrk get their own (taskset), so they do not steal each other's time slices.
cores=$(nproc)
if [ "$cores" -ge 2 ] && command -v taskset >/dev/null; then
  service_cpus="0-$((cores / 2 - 1))"; wrk_cpus="$((cores / 2))-$((cores - 1))"
  pin_service=(taskset -c "$service_cpus"); pin_wrk=(taskset -c "$wrk_cpus")
else
  pin_service=(); pin_wrk=()
fi
"${pin_service[@]}" dotnet src/CoopFeeds/bin/Release/net10.0/CoopFeeds.dll serve --urls "${base%/}" --data "$data" \
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
echo "wrk -t${threads} -c${connections} -d${duration}, ${rounds} rounds, alternating; ${cores} cores; service on ${service_cpus:-any}, wrk on ${wrk_cpus:-any}"

# Warm up both paths (JIT, tiered compilation) before measuring.
"${pin_wrk[@]}" wrk -t"$threads" -c"$connections" -d5s "${base}${feed}" >/dev/null
"${pin_wrk[@]}" wrk -t"$threads" -c"$connections" -d5s "${base}${static}" >/dev/null

rps() { awk '/^Requests\/sec:/ {print $2}'; }
measure() { # name url script [etag]
  local out
  out=$(ETAG="${4:-}" "${pin_wrk[@]}" wrk -t"$threads" -c"$connections" -d"$duration" -s "$3" "$2")
  local r; r=$(echo "$out" | rps)
  local bad; bad=$(echo "$out" | awk -F': ' '/^non-[0-9]+ responses:/ {print $2}')
  printf '%-12s %10s req/s  (unexpected statuses: %s)\n' "$1" "$r" "${bad:-?}" >&2
  echo "$r"
}

static_etag="\"static-bytes\""
for kind in 200 304; do
  echo "== ${kind} responses"
  ratios=()
  for round in $(seq 1 "$rounds"); do
    if [ "$kind" = 200 ]; then
      f=$(measure "feed" "${base}${feed}" bench/status.lua)
      s=$(measure "static" "${base}${static}" bench/status.lua)
    else
      f=$(measure "feed" "${base}${feed}" bench/if-none-match.lua "$etag")
      s=$(measure "static" "${base}${static}" bench/if-none-match.lua "$static_etag")
    fi
    ratio=$(awk -v f="$f" -v s="$s" 'BEGIN {printf "%.3f", f / s}')
    ratios+=("$ratio")
    echo "round ${round}: feed ${f} / static ${s} = ${ratio}"
  done
  printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median ratio (%s): %s  (min %s, max %s)\n", "'"$kind"'", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[1], a[NR]}'
done
