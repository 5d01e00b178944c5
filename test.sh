#!/usr/bin/env bash
# The test command: installs what the tests need on a fresh Debian machine, starts a throwaway PostgreSQL 15, then runs every test.
# Real parts only: feeds are parsed by Debian's python3-feedparser, Atom is checked with jing against RFC 4287's schema,
# the PostgreSQL tests talk to a real server, and the studio's browser tests drive Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")"

# CI=true (or 1): the PostgreSQL tests must run, so a server that cannot start fails the run.
ci=false
ci_flag=${CI:-}
case "${ci_flag,,}" in true | 1) ci=true ;; esac

# Debian 12's PostgreSQL; Storage tests read the server from COOPFEEDS_TEST_POSTGRES, so a set one is used as it is.
pg_bin=/usr/lib/postgresql/15/bin
want_postgres=false
[ -z "${COOPFEEDS_TEST_POSTGRES:-}" ] && want_postgres=true

need=()
/usr/bin/python3 -c 'import feedparser' 2>/dev/null || need+=(python3-feedparser)
command -v jing >/dev/null 2>&1 || need+=(jing)
# The studio's browser tests drive Debian's Chromium through Playwright (Playwright's own browser download cannot be used).
# Without it they are skipped, saying why; with CI=true they fail, so a CI run never leaves them out silently.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then
    need+=(chromium)
  elif $ci; then
    echo "test.sh: Chromium is missing (/usr/bin/chromium); install it (apt-get install chromium) or run as root" >&2
    exit 2
  else
    echo "test.sh: Chromium is missing (/usr/bin/chromium), so the studio's browser tests will be skipped; apt-get install chromium to run them" >&2
  fi
fi
# The native build (what the container image ships) is compiled by the .NET SDK's ahead-of-time compiler, which links
# with clang and zlib's headers.
want_native=true
if ! command -v clang >/dev/null 2>&1 || [ ! -e /usr/include/zlib.h ]; then
  if [ "$(id -u)" -eq 0 ]; then
    need+=(clang zlib1g-dev)
  elif $ci; then
    echo "test.sh: clang or zlib1g-dev is missing; install them (apt-get install clang zlib1g-dev) or run as root" >&2
    exit 2
  else
    echo "test.sh: clang or zlib1g-dev is missing, so the native build's tests will be skipped; apt-get install clang zlib1g-dev to run them" >&2
    want_native=false
  fi
fi
if $want_postgres && [ ! -x "$pg_bin/initdb" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    need+=(postgresql-15)
  elif $ci; then
    echo "test.sh: PostgreSQL 15 is missing ($pg_bin); install it (apt-get install postgresql-15) or run as root" >&2
    exit 2
  else
    echo "test.sh: PostgreSQL 15 is missing ($pg_bin), so the PostgreSQL tests will be skipped; apt-get install postgresql-15 to run them" >&2
    want_postgres=false
  fi
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: missing ${need[*]}; install them (apt-get install ${need[*]}) or run as root" >&2
    exit 2
  fi
  echo "test.sh: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [[ " ${need[*]} " == *" postgresql-15 "* ]]; then
    # Debian's package would create and start a cluster on port 5432 for the machine; the tests start their own.
    mkdir -p /etc/postgresql-common/createcluster.d
    echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/coopfeeds-tests.conf
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

pg_dir=
log=$(mktemp)
cleanup() {
  if [ -n "$pg_dir" ]; then
    if [ -f "$pg_dir/data/postmaster.pid" ]; then
      as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 ||
        kill -KILL "$(head -1 "$pg_dir/data/postmaster.pid")" 2>/dev/null || true
    fi
    rm -rf "$pg_dir"
  fi
  rm -f "$log"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# PostgreSQL refuses to run as root: root runs it as the postgres user; anyone else runs it as themselves.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then (cd "$pg_dir" && runuser -u postgres -- "$@"); else (cd "$pg_dir" && "$@"); fi
}

start_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      echo "test.sh: running as root but there is no postgres user to run PostgreSQL as" >&2
      return 1
    fi
    pg_dir=$(mktemp -d /tmp/coopfeeds-pg.XXXXXX) || return 1
  else
    pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/coopfeeds-pg.XXXXXX") || return 1
  fi
  local password
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" >"$pg_dir/password" || return 1
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$pg_dir" || return 1; fi

  # No fsync: the data is thrown away. C.UTF-8 so lower() and ILIKE fold non-ASCII letters as a real deployment does.
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --pwfile="$pg_dir/password" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync --no-instructions >"$pg_dir/initdb.log" 2>&1 ||
    { cat "$pg_dir/initdb.log" >&2; return 1; }
  # Only TCP on loopback, password only; no unix socket, so nothing else on the machine can reach it without the password.
  cat >>"$pg_dir/data/postgresql.conf" <<'EOF'
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 200
EOF
  printf 'host all all 127.0.0.1/32 scram-sha-256\n' >"$pg_dir/data/pg_hba.conf"

  # A free port now may be taken before the server binds it; then try another.
  local port attempt
  for attempt in 1 2 3; do
    port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -o "-p $port" -w -t 60 start >/dev/null; then
      PGPASSWORD=$password "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres coopfeeds || return 1
      export COOPFEEDS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=coopfeeds"
      echo "test.sh: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (COOPFEEDS_TEST_POSTGRES)"
      return 0
    fi
  done
  tail -n 20 "$pg_dir/server.log" >&2
  return 1
}

if $want_postgres && ! start_postgres; then
  if $ci; then
    echo "test.sh: PostgreSQL did not start; CI runs the PostgreSQL tests, so this run fails" >&2
    exit 1
  fi
  echo "test.sh: PostgreSQL did not start; the PostgreSQL tests will be skipped" >&2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The native executable, published where the tests find it (COOPFEEDS_TEST_NATIVE). A few minutes the first time; an
# unchanged tree publishes again in seconds. A failed compile fails the run: it is the build users get.
if $want_native && [ -z "${COOPFEEDS_TEST_NATIVE:-}" ]; then
  echo "test.sh: publishing the native build (artifacts/native)"
  dotnet publish src/CoopFeeds -c Release --use-current-runtime -o artifacts/native --nologo -v q -clp:ErrorsOnly
  export COOPFEEDS_TEST_NATIVE="$PWD/artifacts/native/CoopFeeds"
fi
# The studio's browser flow appends how long it took here; removed first so that only this run's lines are printed.
flow_timing=artifacts/studio-screenshots/flow-timing.txt
rm -f "$flow_timing"
set +e
dotnet test CoopFeeds.sln --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line over all test projects.
awk '/(Passed|Failed)! +- +Failed:/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
# xunit shows a passing test's output to nobody, so the flow's timing is printed from its file.
if [ -f "$flow_timing" ]; then cat "$flow_timing"; fi
exit "$status"
