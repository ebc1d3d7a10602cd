#!/usr/bin/env bash
# Dev/test services for Ledgerlink: Postgres and Redis, without Docker.
#
#   eval "$(scripts/services.sh env)"   ensure both services; print `export DATABASE_URL=…` / `export REDIS_URL=…`
#   scripts/services.sh start           ensure both services (URLs go to stderr)
#   scripts/services.sh stop            stop the project-local servers (data is kept in .data/)
#   scripts/services.sh status          show what runs
#
# DATABASE_URL / REDIS_URL set  -> that server is checked (~3 s) and used, or the script fails
#                                  naming the URL; nothing else is started in its place.
#                                  (Set to exactly the project-local URL below = local server.)
# unset                         -> project-local servers under $ROOT/.data, on 127.0.0.1 only:
#   Postgres  port $LEDGERLINK_PG_PORT    (default 55432), cluster .data/postgres, trust auth,
#             database "ledgerlink", fsync off (throw-away data; fast tests)
#   Redis     port $LEDGERLINK_REDIS_PORT (default 56379), .data/redis, no persistence, 64 DBs
#             (every Go test package claims its own DB number)
# A machine's system Postgres (5432) / Redis (6379) are never used unless the URLs point at them.
#
# Only the `env` command writes to stdout; progress and errors go to stderr.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
DATA="$ROOT/.data"

PG_PORT="${LEDGERLINK_PG_PORT:-55432}"
PG_DB=ledgerlink
PG_USER=postgres
PGDATA_DIR="$DATA/postgres"           # the cluster (initdb)
PG_RUN="$DATA/postgres-run"           # socket dir + server log (owned by the server's user)
PG_LOG="$PG_RUN/postgres.log"

REDIS_PORT="${LEDGERLINK_REDIS_PORT:-56379}"
REDIS_DIR="$DATA/redis"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"

LOCAL_DATABASE_URL="postgres://$PG_USER@127.0.0.1:$PG_PORT/$PG_DB?sslmode=disable"
LOCAL_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"

log() { echo "services: $*" >&2; }
die() { echo "services: error: $*" >&2; exit 1; }

# URL for messages, with any password masked.
redact() { printf '%s' "$1" | sed -E 's#(://[^:/@]*):[^@/]*@#\1:***@#'; }

# 'value' quoted for eval by a POSIX shell.
shquote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Something accepts TCP connections on 127.0.0.1:$1?
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Is PID $1 alive and (when /proc tells) a process whose name starts with $2?
pid_is() {
  local pid="$1" name="$2" comm
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/comm" ]; then
    comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
    [[ "$comm" == "$name"* ]] || return 1
  fi
}

ensure_data_dir() {
  if [ ! -d "$DATA" ]; then
    mkdir -p "$DATA"
    # the postgres user (when we are root) must be able to traverse it
    chmod 0755 "$DATA"
  fi
}

# Serialise concurrent runs (e.g. parallel make targets) so that only one of
# them initialises or starts a server.
take_lock() {
  ensure_data_dir
  exec 9>"$DATA/.services.lock"
  if command -v flock >/dev/null 2>&1; then
    flock -w 180 9 || die "timed out waiting for $DATA/.services.lock (another services.sh run?)"
  fi
}

# ---------------------------------------------------------------- Postgres

PG_BIN=""
find_pg_bin() {
  local d best=""
  best="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  if [ -n "$best" ] && [ -x "$best/pg_ctl" ] && [ -x "$best/initdb" ]; then
    PG_BIN="$best"; return 0
  fi
  if command -v pg_ctl >/dev/null 2>&1; then
    d="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
    if [ -x "$d/initdb" ]; then PG_BIN="$d"; return 0; fi
  fi
  return 1
}

need_pg_bin() {
  if ! find_pg_bin; then
    log "no Postgres server binaries found; installing the 'postgresql' Debian package"
    "$SCRIPT_DIR/ensure-packages.sh" 9>&- '/usr/lib/postgresql/*/bin/initdb:postgresql'
    find_pg_bin || die "Postgres binaries still not found after installing 'postgresql'"
  fi
}

# Command prefix that runs as the cluster's owner: root may not run initdb/pg_ctl.
PG_AS=()
setup_pg_user() {
  PG_AS=()
  is_root || return 0
  command -v runuser >/dev/null 2>&1 || die "running as root needs 'runuser' (util-linux) to run Postgres as the postgres user"
  if ! id -u postgres >/dev/null 2>&1; then
    log "creating system user 'postgres'"
    useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
  fi
  PG_AS=(runuser -u postgres --)
  # Every directory above the cluster must be traversable by that user;
  # check from / down so that the message names the first one that is not.
  local d="" part
  local IFS=/
  for part in $DATA; do
    [ -n "$part" ] || continue
    d="$d/$part"
    if ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
      die "the 'postgres' user cannot enter $d (owner $(stat -c '%U:%G, mode %a' "$d")), so it cannot run the cluster in $PGDATA_DIR.
  Fix: chmod o+x '$d' (or move the checkout), or point DATABASE_URL at a running server."
    fi
  done
}

# Run a Postgres binary as the cluster owner, from a directory that user can read.
# fd 9 (the lock) is closed so that a server started here does not hold it forever.
pg_as() { (cd / && "${PG_AS[@]}" "$@" 9>&-); }

# Is PID $1 the postmaster of this cluster? (After a reboot the PID recorded in
# postmaster.pid may belong to another process, even another cluster's postgres.)
pg_pid_is_ours() {
  pid_is "$1" postgres || return 1
  [ -r "/proc/$1/cmdline" ] || return 0
  tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF -- "$PGDATA_DIR"
}

pg_status_running() { pg_as "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; }

# Running, and postmaster.pid names this cluster's own postmaster (never act on
# a PID that now belongs to something else: `stop` would signal it).
pg_running() {
  pg_status_running || return 1
  pg_pid_is_ours "$(head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)"
}

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -t 2 >/dev/null 2>&1; }

pg_socket_dir() {
  # Unix socket paths are limited to ~107 bytes, and a path with blanks would
  # need quoting through pg_ctl's shell; fall back to a stable /tmp dir then.
  local d="$PG_RUN"
  if [ "${#d}" -gt 80 ] || [[ "$d" =~ [[:space:]\'\"] ]]; then
    d="/tmp/ledgerlink-pg-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
  fi
  printf '%s' "$d"
}

pg_initdb() {
  local locale=C
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=C.UTF-8; fi
  log "initialising Postgres cluster in $PGDATA_DIR (locale $locale)"
  mkdir -p "$PGDATA_DIR"
  chmod 0700 "$PGDATA_DIR"
  is_root && chown postgres:postgres "$PGDATA_DIR"
  if ! pg_as "$PG_BIN/initdb" -D "$PGDATA_DIR" --auth=trust -U "$PG_USER" --encoding=UTF8 \
      --locale="$locale" >"$DATA/initdb.log" 2>&1; then
    cat "$DATA/initdb.log" >&2
    die "initdb failed (log above, also in $DATA/initdb.log)"
  fi
}

pg_ensure_local() {
  need_pg_bin
  setup_pg_user
  local bin_ver data_ver
  bin_ver="$("$PG_BIN/pg_ctl" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')"

  if [ -f "$PGDATA_DIR/PG_VERSION" ]; then
    data_ver="$(cat "$PGDATA_DIR/PG_VERSION")"
    [ "$data_ver" = "$bin_ver" ] || die "$PGDATA_DIR was made by Postgres $data_ver but the binaries in $PG_BIN are $bin_ver.
  Fix: scripts/services.sh stop && rm -rf '$PGDATA_DIR' (test data only)."
  else
    if [ -d "$PGDATA_DIR" ] && [ -n "$(ls -A "$PGDATA_DIR" 2>/dev/null)" ]; then
      die "$PGDATA_DIR exists but holds no Postgres cluster (an interrupted initdb?). Fix: rm -rf '$PGDATA_DIR'"
    fi
    pg_initdb
  fi

  local sock
  sock="$(pg_socket_dir)"
  mkdir -p "$PG_RUN" "$sock"
  if is_root; then
    # the cluster must belong to the user that runs it (it may come from a non-root run)
    [ "$(stat -c %U "$PGDATA_DIR")" = postgres ] || chown -R postgres:postgres "$PGDATA_DIR"
    chown postgres:postgres "$PG_RUN" "$sock"
  fi

  if pg_status_running; then
    # pg_ctl status trusts postmaster.pid; make sure that PID really is a postgres
    # (after a reboot the number can belong to something else).
    local pid
    pid="$(head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)"
    if ! pg_pid_is_ours "$pid"; then
      log "removing stale $PGDATA_DIR/postmaster.pid (PID $pid is not this cluster's postgres)"
      rm -f "$PGDATA_DIR/postmaster.pid"
    fi
  fi

  if ! pg_status_running; then
    if port_open "$PG_PORT"; then
      die "port 127.0.0.1:$PG_PORT is already taken by another server (not the cluster in $PGDATA_DIR).
  Fix: stop it, or choose another port with LEDGERLINK_PG_PORT=…, or set DATABASE_URL to use a running server."
    fi
    log "starting Postgres on 127.0.0.1:$PG_PORT (data $PGDATA_DIR, log $PG_LOG)"
    if ! pg_as "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PG_LOG" -w -t 60 \
        -o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$sock" \
        start >/dev/null 2>&1; then
      tail -n 30 "$PG_LOG" >&2 2>/dev/null || true
      die "Postgres did not start (log: $PG_LOG)"
    fi
  fi

  local i
  for ((i = 0; i < 60; i++)); do
    pg_ready && break
    sleep 0.5
  done
  pg_ready || { tail -n 30 "$PG_LOG" >&2 2>/dev/null || true; die "Postgres on 127.0.0.1:$PG_PORT is not ready after 30 s (log: $PG_LOG)"; }

  local psql=("$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres)
  if [ -z "$("${psql[@]}" -c "select 1 from pg_database where datname = '$PG_DB'")" ]; then
    log "creating database $PG_DB"
    "${psql[@]}" -c "create database $PG_DB" >/dev/null
  fi
  DATABASE_URL="$LOCAL_DATABASE_URL"
}

pg_check_url() {
  local url="$1" err
  command -v psql >/dev/null 2>&1 || "$SCRIPT_DIR/ensure-packages.sh" 9>&- psql:postgresql-client
  # psql (not just pg_isready) so that a wrong user, password or database fails here too.
  if err="$(PGCONNECT_TIMEOUT=3 timeout 5 psql "$url" -X -q -A -t -c 'select 1' 2>&1 >/dev/null)"; then
    return 0
  fi
  die "DATABASE_URL=$(redact "$url") is not reachable: ${err:-no answer within 3 s}
  Unset DATABASE_URL to use a project-local Postgres instead."
}

pg_ensure() {
  # A DATABASE_URL equal to the project-local URL (e.g. exported by an earlier
  # `eval "$(scripts/services.sh env)"`) means the local cluster: (re)start it.
  if [ -n "${DATABASE_URL:-}" ] && [ "$DATABASE_URL" != "$LOCAL_DATABASE_URL" ]; then
    pg_check_url "$DATABASE_URL"
  elif [ -n "${DATABASE_URL:-}" ] && port_open "$PG_PORT" &&
      PGCONNECT_TIMEOUT=3 timeout 5 psql "$DATABASE_URL" -X -q -A -t -c 'select 1' >/dev/null 2>&1; then
    # The local URL already answers: a server this checkout did not start (a git worktree
    # beside the checkout that owns the cluster) is used as it is, not initialised again.
    :
  else
    pg_ensure_local
  fi
}

pg_stop() {
  [ -f "$PGDATA_DIR/PG_VERSION" ] || return 0
  find_pg_bin || return 0
  if is_root && ! id -u postgres >/dev/null 2>&1; then return 0; fi
  is_root && PG_AS=(runuser -u postgres --)
  if pg_running; then
    log "stopping Postgres ($PGDATA_DIR)"
    pg_as "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 60 stop >/dev/null
  fi
}

pg_status() {
  if [ -n "${DATABASE_URL:-}" ] && [ "$DATABASE_URL" != "$LOCAL_DATABASE_URL" ]; then
    echo "postgres: DATABASE_URL is set ($(redact "$DATABASE_URL")); env would use it, not the local cluster"
  fi
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    echo "postgres: local cluster not initialised ($PGDATA_DIR)"
  elif ! find_pg_bin; then
    echo "postgres: local cluster in $PGDATA_DIR, but no Postgres binaries found"
  else
    is_root && id -u postgres >/dev/null 2>&1 && PG_AS=(runuser -u postgres --)
    if pg_running; then
      echo "postgres: running (PID $(head -n 1 "$PGDATA_DIR/postmaster.pid")) at $LOCAL_DATABASE_URL, data $PGDATA_DIR"
    else
      echo "postgres: stopped (data $PGDATA_DIR)"
    fi
  fi
}

# ---------------------------------------------------------------- Redis

redis_ping() { # host port
  [ "$(timeout 3 redis-cli -h "$1" -p "$2" ping 2>/dev/null)" = PONG ]
}

redis_check_url() {
  local url="$1" shown out
  shown="$(redact "$url")"
  command -v redis-cli >/dev/null 2>&1 || "$SCRIPT_DIR/ensure-packages.sh" 9>&- redis-cli:redis-tools
  out="$(timeout 3 redis-cli -u "$url" ping 2>&1 || true)"
  [ "$(printf '%s' "$out" | tail -n 1)" = PONG ] && return 0
  die "REDIS_URL=$shown is not reachable: ${out:-no answer within 3 s}
  Unset REDIS_URL to use a project-local Redis instead."
}

redis_ensure_local() {
  "$SCRIPT_DIR/ensure-packages.sh" 9>&- redis-server:redis-server redis-cli:redis-tools
  mkdir -p "$REDIS_DIR"
  if redis_ping 127.0.0.1 "$REDIS_PORT"; then
    REDIS_URL="$LOCAL_REDIS_URL"
    return 0
  fi
  if port_open "$REDIS_PORT"; then
    die "port 127.0.0.1:$REDIS_PORT is taken by something that does not answer Redis PING.
  Fix: stop it, or choose another port with LEDGERLINK_REDIS_PORT=…, or set REDIS_URL."
  fi
  rm -f "$REDIS_PID"
  log "starting Redis on 127.0.0.1:$REDIS_PORT (dir $REDIS_DIR)"
  if ! redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
      --databases 64 --dir "$REDIS_DIR" --daemonize yes \
      --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" >&2 9>&-; then
    die "redis-server failed to start (log: $REDIS_LOG)"
  fi
  local i
  for ((i = 0; i < 40; i++)); do
    redis_ping 127.0.0.1 "$REDIS_PORT" && break
    sleep 0.25
  done
  redis_ping 127.0.0.1 "$REDIS_PORT" || { tail -n 20 "$REDIS_LOG" >&2 2>/dev/null || true; die "Redis on 127.0.0.1:$REDIS_PORT does not answer PING (log: $REDIS_LOG)"; }
  REDIS_URL="$LOCAL_REDIS_URL"
}

redis_ensure() {
  if [ -n "${REDIS_URL:-}" ] && [ "$REDIS_URL" != "$LOCAL_REDIS_URL" ]; then
    redis_check_url "$REDIS_URL"
  else
    redis_ensure_local
  fi
}

redis_stop() {
  local pid i
  pid="$(cat "$REDIS_PID" 2>/dev/null || true)"
  if ! pid_is "$pid" redis-server; then
    rm -f "$REDIS_PID"
    return 0
  fi
  log "stopping Redis (PID $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 40; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "Redis (PID $pid) ignored SIGTERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$REDIS_PID"
}

redis_status() {
  local pid
  if [ -n "${REDIS_URL:-}" ] && [ "$REDIS_URL" != "$LOCAL_REDIS_URL" ]; then
    echo "redis: REDIS_URL is set ($(redact "$REDIS_URL")); env would use it, not the local server"
  fi
  pid="$(cat "$REDIS_PID" 2>/dev/null || true)"
  if pid_is "$pid" redis-server; then
    echo "redis: running (PID $pid) at $LOCAL_REDIS_URL, dir $REDIS_DIR"
  elif command -v redis-cli >/dev/null 2>&1 && redis_ping 127.0.0.1 "$REDIS_PORT"; then
    echo "redis: something else answers on 127.0.0.1:$REDIS_PORT (no live PID in $REDIS_PID)"
  else
    echo "redis: stopped"
  fi
}

# ---------------------------------------------------------------- main

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

cmd="${1:-}"
case "$cmd" in
  env)
    take_lock
    pg_ensure
    redis_ensure
    echo "export DATABASE_URL=$(shquote "$DATABASE_URL")"
    echo "export REDIS_URL=$(shquote "$REDIS_URL")"
    ;;
  start)
    take_lock
    pg_ensure
    redis_ensure
    log "DATABASE_URL=$(redact "$DATABASE_URL")"
    log "REDIS_URL=$(redact "$REDIS_URL")"
    ;;
  stop)
    [ -d "$DATA" ] || exit 0
    take_lock
    pg_stop
    redis_stop
    ;;
  status)
    pg_status
    redis_status
    ;;
  -h | --help | help)
    usage
    ;;
  *)
    usage
    exit 2
    ;;
esac
