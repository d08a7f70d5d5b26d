#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL, for the tests, the benchmark and
# `make cluster`: a second cluster made with pg_basebackup, following the primary.
#
#   deploy/replica.sh up   [DIR] [PORT]   # default .cluster/replica, 5433
#   deploy/replica.sh stop [DIR]          # stops it, its data kept (a replica that is down)
#   deploy/replica.sh start [DIR] [PORT]  # starts it again: it catches up
#   deploy/replica.sh down [DIR]          # stops it and removes its data
#
# The primary: PRIMARY_HOST/PRIMARY_PORT (127.0.0.1:5432), user postgres. `up` lets
# it take replication connections from 127.0.0.1 (a line in its pg_hba.conf) and
# keep WAL for a replica that falls behind (wal_keep_size), then reloads it.
set -euo pipefail
action=${1:?up, stop, start or down}
dir=$(realpath -m "${2:-.cluster/replica}")
port=${3:-5433}
host=${PRIMARY_HOST:-127.0.0.1}
primary_port=${PRIMARY_PORT:-5432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/pg_basebackup" ] || { echo "pg_basebackup is missing: apt-get install postgresql-15" >&2; exit 1; }

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}
psql_primary() { psql -h "$host" -p "$primary_port" -U postgres -Atqc "$1" postgres; }

allow_replication() {
  local hba
  hba=$(psql_primary "SHOW hba_file")
  if ! grep -qE '^host\s+replication\s+all\s+127\.0\.0\.1/32' "$hba"; then
    echo "host replication all 127.0.0.1/32 trust" >>"$hba"
  fi
  psql_primary "ALTER SYSTEM SET wal_keep_size = '512MB'"
  psql_primary "SELECT pg_reload_conf()" >/dev/null
}

start() {
  as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir" start >/dev/null
  echo "replica at 127.0.0.1:$port, following $host:$primary_port ($dir)"
}

stop() {
  if [ -f "$dir/postmaster.pid" ]; then
    as_postgres "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
  fi
}

case $action in
  up)
    stop
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    install -d -o postgres -g postgres -m 700 "$dir"
    as_postgres test -w "$dir" || { echo "$dir: postgres cannot reach it (a parent's mode)" >&2; exit 1; }
    allow_replication
    as_postgres "$bin/pg_basebackup" -h "$host" -p "$primary_port" -U postgres \
      -D "$dir" -R -X stream --checkpoint=fast
    # Debian keeps the primary's configuration outside its data: the replica's own.
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | as_postgres tee "$dir/pg_hba.conf" >/dev/null
    as_postgres touch "$dir/postgresql.conf"
    start
    ;;
  start) start ;;
  stop) stop ;;
  down)
    stop
    rm -rf "$dir"
    ;;
  *)
    echo "up, stop, start or down" >&2
    exit 2
    ;;
esac
