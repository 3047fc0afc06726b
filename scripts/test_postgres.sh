#!/usr/bin/env bash
# A throwaway PostgreSQL server for the hub tests: its own cluster in FOLDER, listening on
# 127.0.0.1 only, on a free port. `start` prints the database URL; `stop` ends it and deletes
# FOLDER. Tests and CI run as root, which PostgreSQL refuses: then it runs as `postgres`.
# Usage: scripts/test_postgres.sh start FOLDER | stop FOLDER
set -euo pipefail
action="${1:?start or stop}"
folder="${2:?folder for the cluster}"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bindir" ]; then
  echo "PostgreSQL server not installed (Debian package postgresql)" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$action" in
  start)
    mkdir -p "$folder"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$folder"
    as_owner "$bindir/initdb" -D "$folder/data" -U gatehouse --auth=trust -E UTF8 --no-locale >/dev/null
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_owner "$bindir/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$folder" start >/dev/null
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U gatehouse gatehouse_test
    echo "postgresql://gatehouse@127.0.0.1:$port/gatehouse_test"
    ;;
  stop)
    if [ -d "$folder/data" ]; then
      as_owner "$bindir/pg_ctl" -D "$folder/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$folder"
    ;;
  *)
    echo "usage: $0 start|stop FOLDER" >&2
    exit 2
    ;;
esac
