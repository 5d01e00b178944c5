#!/usr/bin/env bash
# Other readers' latency while one client, over its rate limit, floods the service with new ?q= filters.
#
#   bench/flood.sh [ROUNDS] [DURATION]          defaults: 5 rounds of 10s
#   environment:   BENCH_PORT=5098, BENCH_SOURCE=DIR (a checkout to build and run instead of this one, e.g. an older
#                  commit exported with `git archive`), FLOOD_CONNECTIONS=8, READER_CONNECTIONS=4, READER_DELAY_MS=10
#
# Needs Debian's wrk. Starts the service in Release on the bundled samples with its default settings (rate limit 120 full
# responses per client, document and minute) and no pinning, as it would run. Each round measures, one after the other:
#   baseline  the reader alone: READER_CONNECTIONS connections revalidating feeds/all.rss (304s), READER_DELAY_MS apart;
#   flood     the same reader while FLOOD_CONNECTIONS connections of one client ask for feeds/news.rss?q=<new> as fast as
#             they can (after a first second that spends the client's permits, every answer should be 429).
# It prints each run's p50/p90/p99, the service's CPU seconds during each run, the flood's statuses, and the median over
# rounds of the ratio p90(flood) / p90(baseline): 1 means the flood does not slow other readers down at all.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-5}; duration=${2:-10s}
port=${BENCH_PORT:-5098}
source=${BENCH_SOURCE:-.}
flood_connections=${FLOOD_CONNECTIONS:-8}; reader_connections=${READER_CONNECTIONS:-4}
export READER_DELAY_MS=${READER_DELAY_MS:-10}
base="http://127.0.0.1:${port}"
data=$(mktemp -d)
bench=$(pwd)/bench

dotnet build -c Release "$source/src/CoopFeeds" --nologo -v q >/dev/null
dotnet "$source/src/CoopFeeds/bin/Release/net10.0/CoopFeeds.dll" serve --urls "$base" --data "$data" \
  --sources "$source/samples/sources.json" --Logging:LogLevel:Default=Warning >"$data/service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null; wait $service 2>/dev/null; rm -rf "$data"' EXIT

for _ in $(seq 1 120); do
  curl -fs -o /dev/null "${base}/readyz" && break
  sleep 0.5
done

export ETAG; ETAG=$(curl -fsI "${base}/feeds/all.rss" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag" {print $2}')
echo "source ${source}; reader: ${reader_connections} connections, ${READER_DELAY_MS} ms apart, If-None-Match ${ETAG}; flood: ${flood_connections} connections; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/${service}/stat"; }
p90() { awk '/^reader p50/ {print $6}' "$1"; }
reader() { wrk -t1 -c"$reader_connections" -d"$duration" -s "$bench/reader.lua" "${base}/feeds/all.rss" >"$1"; }

# Warm-up: both paths compiled and tiered before anything is measured.
reader "$data/warm.out"
FLOOD_PATH=/feeds/news.rss wrk -t1 -c"$flood_connections" -d5s -s "$bench/flood.lua" "${base}/" >/dev/null

ratios=()
for round in $(seq 1 "$rounds"); do
  c0=$(cpu_seconds); reader "$data/baseline.out"; c1=$(cpu_seconds)
  wrk -t1 -c"$flood_connections" -d"$(( ${duration%s} + 2 ))s" -s "$bench/flood.lua" "${base}/" >"$data/flood.out" &
  flood=$!
  sleep 1 # the flood spends its permits; from here on it should only get 429s
  c2=$(cpu_seconds); reader "$data/reader-flood.out"; c3=$(cpu_seconds)
  wait "$flood"
  b=$(p90 "$data/baseline.out"); f=$(p90 "$data/reader-flood.out")
  ratio=$(awk -v f="$f" -v b="$b" 'BEGIN {printf "%.2f", f / b}')
  ratios+=("$ratio")
  echo "round ${round}: baseline $(grep '^reader' "$data/baseline.out"), service CPU $(awk -v a="$c0" -v b="$c1" 'BEGIN {printf "%.1f", b - a}') s"
  echo "         flood    $(grep '^reader' "$data/reader-flood.out"), service CPU $(awk -v a="$c2" -v b="$c3" 'BEGIN {printf "%.1f", b - a}') s; $(grep '^flood statuses' "$data/flood.out"), $(awk '/Requests\/sec/ {print $2}' "$data/flood.out") req/s"
  echo "         p90 flood / baseline = ${ratio}"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median p90 ratio flood/baseline: %s  (min %s, max %s, %d rounds)\n", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[1], a[NR], NR}'
