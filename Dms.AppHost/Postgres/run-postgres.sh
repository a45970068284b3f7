#!/usr/bin/env bash
# Runs the embedded PostgreSQL server for the AppHost. The cluster is created on first run in $PGDATA and kept.
# Aspire passes: PGDATA (cluster folder), PGPORT (port to listen on), PGPASSWORD (superuser) and, when configured,
# PG_BIN (server binaries; by default the newest Debian-packaged server).
set -euo pipefail
: "${PGDATA:?}" "${PGPORT:?}" "${PGPASSWORD:?}"
if [ -z "${PG_BIN:-}" ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  export PG_BIN
fi
if [ ! -x "$PG_BIN/postgres" ]; then
  echo "No PostgreSQL server binaries found${PG_BIN:+ in $PG_BIN}: install the 'postgresql' package (./dms.sh run does)" >&2
  echo "or set Dms:Postgres:BinDirectory to the folder holding 'postgres' and 'initdb'." >&2
  exit 1
fi

# PostgreSQL refuses to run as root: then the cluster belongs to the 'postgres' system user and every server tool runs
# as that user. This script itself stays root's, so it may live where that user cannot go (a checkout in root's home);
# the AppHost puts the cluster where it can (see ClusterFolder.cs).
cd /
if [ "$(id -u)" = 0 ]; then
  server_user=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  if ! "${server_user[@]}" test -w "$PGDATA"; then
    echo "The 'postgres' user cannot reach $PGDATA: every folder above it must be searchable by that user," >&2
    echo "or set Dms:StateDirectory to a folder it can reach." >&2
    exit 1
  fi
else
  server_user=()
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
fi

if [ ! -f "$PGDATA/PG_VERSION" ]; then
  echo "Creating the PostgreSQL cluster in $PGDATA"
  # The password goes to initdb in a file beside the cluster that only the server's user can read, and is removed at once.
  password_file=$(mktemp "$(dirname "$PGDATA")/.initdb-password.XXXXXX")
  trap 'rm -f "$password_file"' EXIT
  printf '%s\n' "$PGPASSWORD" >"$password_file"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$password_file"; fi
  "${server_user[@]}" "$PG_BIN/initdb" -D "$PGDATA" -U postgres -A scram-sha-256 --pwfile="$password_file" --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$password_file"
fi

# A server left behind by a run that was killed holds the lock file: stop it cleanly before starting again.
if [ -f "$PGDATA/postmaster.pid" ] && "${server_user[@]}" "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  echo "Stopping a PostgreSQL server left running on $PGDATA"
  "${server_user[@]}" "$PG_BIN/pg_ctl" -D "$PGDATA" stop -m fast >/dev/null
fi

# No Unix socket: the path of a deep state folder can exceed the socket path limit, and every client uses TCP.
# 200 connections: the api and the worker each hold at most their pool's maximum (Maximum Pool Size, four per core),
# which leaves room for the migrations, the operator's tools, more api processes and the tests' own pools.
"${server_user[@]}" "$PG_BIN/postgres" -D "$PGDATA" -p "$PGPORT" -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200 &
server=$!

# Aspire stops resources with SIGTERM, which PostgreSQL takes as a "smart" shutdown that waits for every client
# to leave; SIGINT is the "fast" shutdown that ends sessions and checkpoints at once.
trap 'kill -INT "$server" 2>/dev/null || true' TERM INT
status=0
while kill -0 "$server" 2>/dev/null; do
  wait "$server" || status=$?
done
# The server's own exit status (1 when it could not start, e.g. its port taken), so the AppHost sees the failure.
exit "$status"
