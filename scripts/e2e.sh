#!/usr/bin/env bash
# End-to-end: runs the real binary (`ledgerlink run` in demo mode: migrate, seed, serve, workers) on a fresh
# database and Redis DB, then drives it with headless Chromium (frontend/e2e/run.mjs).
# Needs DATABASE_URL and REDIS_URL (make test-e2e provides them) and the binary's path.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$(cd "$(dirname "${1:?usage: e2e.sh path/to/ledgerlink}")" && pwd)/$(basename "$1")"
: "${DATABASE_URL:?}" "${REDIS_URL:?}"

# The server's port and the SMTP catcher's (port + 1): the first pair nothing listens on, so two
# runs on one machine (a CI run beside a developer's) do not talk to each other's server.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port="${LEDGERLINK_E2E_PORT:-}"
if [ -z "$port" ]; then
  for p in $(seq 18631 2 18731); do
    if ! listening "$p" && ! listening $((p + 1)); then port=$p; break; fi
  done
  [ -n "$port" ] || { echo "e2e: no free port pair between 18631 and 18732; set LEDGERLINK_E2E_PORT" >&2; exit 1; }
elif listening "$port"; then
  echo "e2e: something already listens on port $port (LEDGERLINK_E2E_PORT)" >&2; exit 1
fi
dbname="ll_e2e_$$"
admin_url="$DATABASE_URL"
e2e_db_url="$(printf '%s' "$DATABASE_URL" | sed -E "s#^(postgres(ql)?://[^/?]+)(/[^?]*)?#\\1/$dbname#")"

# Claim a Redis DB the same way Go test packages do (lease keys in DB 0), so nothing collides.
redis_base="${REDIS_URL%/*}"
rdb=""
for i in $(seq 1 63); do
  if [ "$(redis-cli -u "$redis_base/0" SET "ledgerlink:test:redis-db:$i" "e2e-$$" NX EX 1800 2>/dev/null)" = "OK" ]; then
    rdb=$i; break
  fi
done
[ -n "$rdb" ] || { echo "e2e: no free Redis DB" >&2; exit 1; }
redis-cli -u "$redis_base/$rdb" FLUSHDB >/dev/null

log="$(mktemp)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $dbname WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli -u "$redis_base/$rdb" FLUSHDB >/dev/null 2>&1 || true
  redis-cli -u "$redis_base/0" DEL "ledgerlink:test:redis-db:$rdb" >/dev/null 2>&1 || true
  rm -f "$log"
}
trap cleanup EXIT

psql "$admin_url" -qc "CREATE DATABASE $dbname" >/dev/null

# The simulated QuickBooks company file: the inventory scenario changes it with `ledgerlink sim qbd adjust`.
company_file="$(mktemp -d)/demo-company.json"
# Alert e-mail goes to the SMTP catcher the alerts scenario starts on this port (frontend/e2e/alerts.mjs).
smtp_port=$((port + 1))
LEDGERLINK_SMTP_URL="smtp://127.0.0.1:$smtp_port" LEDGERLINK_SMTP_FROM="Ledgerlink <alerts@ledgerlink.local>" \
DATABASE_URL="$e2e_db_url" REDIS_URL="$redis_base/$rdb" LEDGERLINK_ADDR="127.0.0.1:$port" \
  LEDGERLINK_DEMO_COMPANY_FILE="$company_file" LEDGERLINK_DEMO_SIM_EVERY=5s \
  LEDGERLINK_SECRET_KEY="$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" \
  LEDGERLINK_DEMO_EMAIL=demo@ledgerlink.local LEDGERLINK_DEMO_PASSWORD=ledgerlink-demo \
  LEDGERLINK_DEMO=1 LEDGERLINK_ALLOW_PRIVATE_STORE_ADDRESSES=1 "$BIN" run >"$log" 2>&1 &
pid=$!

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "e2e: ledgerlink exited:" >&2; cat "$log" >&2; exit 1; fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { echo "e2e: /healthz never answered 200" >&2; cat "$log" >&2; exit 1; }
# The answer must be this run's server, not one another run started on the port meanwhile.
kill -0 "$pid" 2>/dev/null || { echo "e2e: ledgerlink exited (port $port taken?):" >&2; cat "$log" >&2; exit 1; }

cd "$ROOT/frontend"
if ! BASE_URL="http://127.0.0.1:$port" LEDGERLINK_DEMO_EMAIL=demo@ledgerlink.local \
     LEDGERLINK_DEMO_PASSWORD=ledgerlink-demo LEDGERLINK_BIN="$BIN" LEDGERLINK_DEMO_COMPANY_FILE="$company_file" E2E_SMTP_PORT="$smtp_port" node e2e/run.mjs; then
  echo "e2e: failed; server log follows" >&2
  tail -50 "$log" >&2
  exit 1
fi
