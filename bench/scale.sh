#!/usr/bin/env bash
# Feeds at scale: a big store against a small one in one run. For each store it starts a loopback listing site
# (bench/CoopFeeds.Scale), runs `serve` (Release) on a fresh data folder until the first ingest pass has finished, times each
# document (first request, uncached render, repeated request), reads the service's peak memory (VmHWM) after the pass,
# after the documents and after a short wrk load on the cached feeds, then prints one table.
#
#   bench/scale.sh [options] [-- --Section:Key=value ...]     (settings after -- go to both services)
#     --sources N --items M --sections K     the big store (1000, 200, 10)
#     --small-sources N --small-items M      the small store, same sections (5, 60)
#     --addresses A        loopback addresses the site listens on, 127.0.0.2 onwards (10)
#     --rounds R           requests per median (7)
#     --load DURATION      wrk on the cached feeds after the documents, 0 to skip (10s)
#     --only big|small     one store only (no table; its results are printed)
#     --pin-service        pin the service to the first half of the cores from its start, as bench/load.sh does (default:
#                          the service sees every core, as in production, where the runtime sizes itself by them; the
#                          site, the timer and wrk are pinned to the second half either way)
#     --provider Sqlite|Postgres  --connection-string CS  --small-connection-string CS
#                          Postgres needs an empty database for each store
#     --out DIR            keep the run's folders there (default: a temporary folder, removed at the end)
#     --build aot|jit      the service as deployed (aot, the default: the native executable `dotnet publish` makes, as in
#                          docker/Dockerfile) or as `dotnet run` runs it (jit: the Release build on the .NET runtime)
#   environment: BENCH_PORT (5199, the service), BENCH_SITE_PORT (8199, the site); DOTNET_* runtime settings pass through
#   to the service (e.g. DOTNET_GCgen0size=0x400000 with --build jit to try a GC setting without rebuilding; the native
#   executable was seen to ignore DOTNET_gcServer and DOTNET_GCgen0size: the same GC counts); MALLOC_ARENA_MAX is 2 unless
#   set, as the container image sets it
#
# Needs curl, jq, taskset and Debian's wrk, and for the native build clang and zlib1g-dev. A full run (1000 × 200 and 5 × 60) takes several minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

sources=1000; items=200; sections=10; small_sources=5; small_items=60; addresses=10; rounds=7; load=10s
only=""; build=aot; pin_service=false; provider=Sqlite; connection=""; small_connection=""; out=""; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sources) sources=$2; shift 2 ;;
    --items) items=$2; shift 2 ;;
    --sections) sections=$2; shift 2 ;;
    --small-sources) small_sources=$2; shift 2 ;;
    --small-items) small_items=$2; shift 2 ;;
    --addresses) addresses=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --load) load=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --pin-service) pin_service=true; shift ;;
    --provider) provider=$2; shift 2 ;;
    --connection-string) connection=$2; shift 2 ;;
    --small-connection-string) small_connection=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "scale.sh: unknown option $1 (see the comment at the top of bench/scale.sh)" >&2; exit 2 ;;
  esac
done
case "$build" in aot | jit) ;; *) echo "scale.sh: --build is aot or jit" >&2; exit 2 ;; esac
case "$provider" in
  Sqlite) ;;
  Postgres) [ -n "$connection" ] && { [ -n "$small_connection" ] || [ "$only" = big ]; } \
    || { echo "scale.sh: --provider Postgres needs --connection-string (and --small-connection-string), one empty database each" >&2; exit 2; } ;;
  *) echo "scale.sh: --provider is Sqlite or Postgres" >&2; exit 2 ;;
esac

port=${BENCH_PORT:-5199}; site_port=${BENCH_SITE_PORT:-8199}
base="http://127.0.0.1:${port}/"
if [ -z "$out" ]; then out=$(mktemp -d); keep=false; else mkdir -p "$out"; keep=true; fi

# The image's setting (docker/Dockerfile): glibc's malloc arenas capped at 2.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
. bench/service-build.sh
build_service "$build"
dotnet build -c Release bench/CoopFeeds.Scale --nologo -v q >/dev/null
tool=(dotnet bench/CoopFeeds.Scale/bin/Release/net10.0/CoopFeeds.Scale.dll)

# The site, the timer and wrk on the second half of the cores; the service on the first half with --pin-service. Pinned
# from its start or not at all: a server GC that sized itself for two cores and is then pinned to one does badly.
cores=$(nproc)
if [ "$cores" -ge 2 ] && command -v taskset >/dev/null; then
  service_cpus="0-$((cores / 2 - 1))"; client_cpus="$((cores / 2))-$((cores - 1))"
  pin_client=(taskset -c "$client_cpus")
else
  service_cpus=""; pin_client=()
fi
# What the runtime is told about the GC: the project's settings (in the runtimeconfig.json of a JIT build, compiled into
# the native executable), and any DOTNET_ setting or MALLOC_ARENA_MAX in the environment.
gc_settings() {
  local config env
  config=$(dotnet msbuild src/CoopFeeds -getProperty:ServerGarbageCollection -getProperty:ConcurrentGarbageCollection \
    | jq -r '.Properties | "Server=\(.ServerGarbageCollection) Concurrent=\(.ConcurrentGarbageCollection)"')
  env=$(env | grep -E '^(DOTNET_(gc|GC|Tiered|TC_|ReadyToRun)|MALLOC_ARENA_MAX)' | sort | tr '\n' ' ' || true)
  echo "${build} build; ${config}${env:+; env ${env% }}"
}
kb() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status"; }
# The CPU time a process has used so far, user + system, in seconds (/proc/PID/stat, after the parenthesized name).
cpu_seconds() { sed 's/.*) //' "/proc/$1/stat" | awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($12 + $13) / hz}'; }
# The end of a log without its stack frames: the message says what went wrong.
died() { grep -vE '^[[:space:]]+at ' "$1" | tail -8 >&2; exit 1; }

site=""; service=""
# Under set -e a failed kill (a process already gone) must not end stop() before the other one is stopped.
stop() {
  if [ -n "$service" ]; then kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; fi
  if [ -n "$site" ]; then kill "$site" 2>/dev/null || true; wait "$site" 2>/dev/null || true; fi
  service=""; site=""
}
trap 'stop; [ "$keep" = true ] || rm -rf "$out"' EXIT

# run_store NAME SOURCES ITEMS CONNECTION: one store, its results in $out/NAME (times.tsv, run.env, service.log).
run_store() {
  local name=$1 n=$2 m=$3 cs=$4 dir="$out/$1"
  rm -rf "$dir"; mkdir -p "$dir/data"
  local env="$dir/run.env"
  printf 'sources=%s\nitems=%s\nsections=%s\nprovider=%s\ngc=%s\n' "$n" "$m" "$sections" "$provider" "$(gc_settings)" >"$env"
  echo "== ${name} store: ${n} sources × ${m} items in ${sections} sections on ${addresses} loopback addresses (${provider})"

  "${pin_client[@]}" "${tool[@]}" site --port "$site_port" --addresses "$addresses" --sources "$n" --items "$m" \
    --sections "$sections" --sources-file "$dir/sources.json" >"$dir/site.log" 2>&1 &
  site=$!
  until curl -fs -o /dev/null "http://127.0.0.2:${site_port}/robots.txt"; do
    kill -0 "$site" 2>/dev/null || { echo "scale.sh: the listing site stopped:" >&2; died "$dir/site.log"; }
    sleep 0.2
  done

  # Bench settings, each for a reason: PerHostDelay 0 (the default 1 s allows 10 pages a second over 10 addresses, 2,000
  # items/s at 200 items a page, whatever the service could do); ReadyTimeout long (so /readyz means the pass finished);
  # a rate limit nothing reaches (the timer and wrk are one client); log lines with times (where the pass spends them).
  local storage=()
  [ "$provider" = Postgres ] && storage=(--Storage:Provider=Postgres "--Storage:ConnectionString=$cs")
  local pin=()
  [ "$pin_service" = true ] && [ -n "$service_cpus" ] && pin=(taskset -c "$service_cpus")
  "${pin[@]}" "${service_cmd[@]}" serve --sources "$dir/sources.json" --data "$dir/data" --urls "${base%/}" \
    --Ingestion:PerHostDelay=00:00:00 --Ingestion:ReadyTimeout=01:00:00 \
    --Publishing:RateLimit:PermitLimit=1000000 --Publishing:RateLimit:Window=00:00:01 \
    --Logging:Console:FormatterName=simple --Logging:Console:FormatterOptions:TimestampFormat="HH:mm:ss.fff " --Logging:Console:FormatterOptions:UseUtcTimestamp=true \
    "${storage[@]}" "${extra[@]}" >"$dir/service.log" 2>&1 &
  service=$!

  # /readyz answers 200 once the first pass has finished (every source run once); it is cheap to ask, unlike /api/sources.
  # Meanwhile the largest parts of the resident set seen (anonymous memory; mapped files: the runtime's and the
  # framework's code, ICU; shared memory: the JIT's code, mapped twice for W^X), sampled as often.
  # Once a second, the GC's own figures after its last collection (the runtime's meter at /metrics): committed memory and
  # the heap's size over all generations.
  local anon=0 file=0 shmem=0 gc_committed=0 gc_heap=0 tick=0
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "${base}readyz")" = 200 ]; do
    kill -0 "$service" 2>/dev/null || { echo "scale.sh: the service stopped before its first pass finished:" >&2; died "$dir/service.log"; }
    read -r a f s < <(awk '$1 == "RssAnon:" {a = $2} $1 == "RssFile:" {f = $2} $1 == "RssShmem:" {s = $2} END {print a + 0, f + 0, s + 0}' "/proc/$service/status" 2>/dev/null || echo 0 0 0)
    [ "$a" -gt "$anon" ] && anon=$a; [ "$f" -gt "$file" ] && file=$f; [ "$s" -gt "$shmem" ] && shmem=$s
    if [ $((tick++ % 5)) = 0 ]; then
      read -r c h < <(curl -s "${base}metrics" | awk '/^dotnet_gc_last_collection_memory_committed_size_bytes/ {c = $NF}
        /^dotnet_gc_last_collection_heap_size_bytes/ {h += $NF} END {printf "%d %d\n", c / 1024, h / 1024}' || echo 0 0)
      [ "${c:-0}" -gt "$gc_committed" ] && gc_committed=$c; [ "${h:-0}" -gt "$gc_heap" ] && gc_heap=$h
    fi
    sleep 0.2
  done
  local ready_at; ready_at=$(date +%s.%N)
  # Nearly all of it the pass's (a start takes a fraction of a second): over the pass's seconds, the cores it kept busy.
  local pass_cpu; pass_cpu=$(cpu_seconds "$service")
  # What the pass cost the GC (the runtime's meter): collections by generation, the time it paused the process, and the
  # bytes allocated.
  curl -s "${base}metrics" | awk '
    /^dotnet_gc_collections_total/ { match($0, /gen[0-9]/); g[substr($0, RSTART, RLENGTH)] = $NF }
    /^dotnet_gc_pause_time_seconds_total/ { p = $NF }
    /^dotnet_gc_heap_total_allocated_bytes_total/ { a = $NF }
    END { printf "pass_gc_gen0=%d\npass_gc_gen1=%d\npass_gc_gen2=%d\npass_gc_pause_seconds=%.1f\npass_allocated_mb=%.0f\n", g["gen0"], g["gen1"], g["gen2"], p, a / 1048576 }' >>"$env"
  printf 'hwm_after_pass_kb=%s\npass_max_rss_anon_kb=%s\npass_max_rss_file_kb=%s\npass_max_rss_shmem_kb=%s\npass_max_gc_committed_kb=%s\npass_max_gc_heap_kb=%s\n' \
    "$(kb "$service" VmHWM)" "$anon" "$file" "$shmem" "$gc_committed" "$gc_heap" >>"$env"
  curl -fs "${base}api/sources" >"$dir/sources-status.json"
  # The pass: from the first source's start (its stored attempt time) to /readyz turning 200.
  local first_start; first_start=$(date -d "$(jq -r '[.[].lastAttemptAt | select(. != null)] | min' "$dir/sources-status.json")" +%s.%N)
  local stored; stored=$(jq '[.[].storedItems] | add' "$dir/sources-status.json")
  local healthy; healthy=$(jq '[.[] | select(.state == "healthy")] | length' "$dir/sources-status.json")
  awk -v s="$first_start" -v e="$ready_at" -v i="$stored" -v h="$healthy" -v c="$pass_cpu" 'BEGIN {
    printf "items_stored=%d\nsources_healthy=%d\npass_seconds=%.1f\nitems_per_second=%.0f\npass_cpu_seconds=%.1f\npass_cores_busy=%.2f\n", i, h, e - s, i / (e - s), c, c / (e - s) }' >>"$env"
  grep -E '^(items_stored|sources_healthy|pass_seconds|items_per_second|pass_cpu_seconds|pass_cores_busy|pass_gc_[a-z0-9_]+|pass_allocated_mb|hwm_after_pass_kb|pass_max_(rss|gc)_[a-z]+_kb)=' "$env" | tr '\n' ' '; echo

  # A deep page of the combined feed's archive: the subscription document links its newest full page (RFC 5005
  # prev-archive); page 1 is the oldest. Asked under a Host of its own, so the timings below still see a first request.
  local newest_page
  newest_page=$(curl -fs -H 'Host: probe.bench.test' "${base}feeds/all.rss" | grep -oE 'archive/[0-9]+\.rss' | head -1 | grep -oE '[0-9]+' || true)
  local documents=(feeds/sec-0.rss feeds/sec-0.atom feeds/sec-0.json feeds/all.rss)
  if [ -n "$newest_page" ]; then
    documents+=("all archive, oldest page=feeds/all/archive/1.rss" "all archive, middle page=feeds/all/archive/$(((newest_page + 1) / 2)).rss")
  fi
  documents+=(sections/sec-0 / feeds.opml api/sources)
  "${pin_client[@]}" "${tool[@]}" measure --base "$base" --rounds "$rounds" --out "$dir/times.tsv" "${documents[@]}"
  echo "hwm_after_documents_kb=$(kb "$service" VmHWM)" >>"$env"

  if [ "$load" != 0 ]; then
    # Readers polling the cached feeds: every section's RSS, Atom and JSON and the combined ones, in turn.
    local feeds=""
    for k in $(seq 0 $((sections - 1))); do feeds+=" /feeds/sec-${k}.rss /feeds/sec-${k}.atom /feeds/sec-${k}.json"; done
    feeds+=" /feeds/all.rss /feeds/all.atom /feeds/all.json"
    # Rendered once each first, so wrk measures the cached path (a render of all.rss takes seconds on the big store).
    for feed in $feeds; do curl -fs -o /dev/null "${base}${feed#/}" || echo "warm-up: ${feed} failed" >&2; done
    FEEDS="$feeds" "${pin_client[@]}" wrk -t1 -c16 -d"$load" -s bench/feeds.lua "$base" >"$dir/wrk.out"
    printf 'load_rps=%s\nload_unexpected=%s\nhwm_after_load_kb=%s\nrss_after_load_kb=%s\n' \
      "$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$dir/wrk.out")" "$(awk -F': ' '/^non-200 responses:/ {print $2}' "$dir/wrk.out")" \
      "$(kb "$service" VmHWM)" "$(kb "$service" VmRSS)" >>"$env"
  fi
  grep -E '^(hwm_after_documents_kb|load_rps|load_unexpected|hwm_after_load_kb|rss_after_load_kb)=' "$env" | tr '\n' ' '; echo
  stop
}

echo "scale run $(date -u '+%Y-%m-%d %H:%M UTC'), ${cores} cores (service on $([ "$pin_service" = true ] && echo "${service_cpus:-any}" || echo every core), site/timer/wrk on ${client_cpus:-any}), load average $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$only" != small ] && run_store big "$sources" "$items" "$connection"
[ "$only" != big ] && run_store small "$small_sources" "$small_items" "${small_connection:-$connection}"
echo
if [ -z "$only" ]; then
  "${tool[@]}" report --big "$out/big" --small "$out/small"
else
  cat "$out/$only/times.tsv"
fi
if [ "$keep" = true ]; then echo "run folders: $out/big $out/small"; fi
