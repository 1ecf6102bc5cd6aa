#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: installs Debian's postgresql
# if it is missing, starts a new cluster in a temporary folder listening on
# loopback only, and stops it again.
#
#   eval "$(scripts/postgres.sh start)"   # sets MOSAIC_TEST_POSTGRES and MOSAIC_PG_DIR
#   scripts/postgres.sh stop "$MOSAIC_PG_DIR"
#
# The cluster trusts connections from loopback (nothing else can reach it)
# and runs without fsync: it holds test data only, and is removed on stop.
set -euo pipefail

bin_dir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

install() {
  if bin_dir >/dev/null; then
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "postgres.sh: PostgreSQL is not installed and this is not root: apt-get install postgresql" >&2
    exit 1
  fi
  echo "postgres.sh: installing Debian's postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
}

# as runs a command as the cluster's owner: PostgreSQL refuses to run as
# root.
as() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  echo "postgres.sh: no free port found" >&2
  return 1
}

start() {
  install
  local bin dir port
  bin=$(bin_dir)
  dir=$(mktemp -d /tmp/mosaic-pg.XXXXXX)
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir"
  fi
  port=$(free_port)
  as "$bin/initdb" -D "$dir/data" -U mosaic -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
  as "$bin/createdb" -h 127.0.0.1 -p "$port" -U mosaic mosaic_test
  echo "export MOSAIC_TEST_POSTGRES='postgres://mosaic@127.0.0.1:$port/mosaic_test?sslmode=disable'"
  echo "export MOSAIC_PG_DIR='$dir'"
}

stop() {
  local dir=${1:-}
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
    echo "postgres.sh stop: no cluster folder given" >&2
    return 1
  fi
  as "$(bin_dir)/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
