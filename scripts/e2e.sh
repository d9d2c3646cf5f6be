#!/usr/bin/env bash
# End to end, as a real client: serve fintrack with production settings behind gunicorn on a
# fresh PostgreSQL database, reached through PgBouncer in transaction mode, run the Postman
# collection with newman, then fuzz every operation of the live OpenAPI schema with
# schemathesis. Any failed assertion or check fails the script.
#
#   make e2e                      # or: bash scripts/e2e.sh
#   E2E_SKIP_FUZZ=1 make e2e      # newman only
#   E2E_PGBOUNCER=0 make e2e      # straight to PostgreSQL, no PgBouncer
#
# E2E_POSTGRES_URL  the PostgreSQL server to create the throwaway database on
#                   (default postgres://postgres@127.0.0.1:5432)
# E2E_DB_NAME       its name (default fintrack_e2e_<pid>); dropped at the end, so never a
#                   database of your own
# FUZZ_MAX_EXAMPLES test cases per operation and phase (default 50)
# FUZZ_SECONDS      hard limit of the schemathesis run (default 600)
set -euo pipefail
cd "$(dirname "$0")/.."

PG_SERVER="${E2E_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
DB_NAME="${E2E_DB_NAME:-fintrack_e2e_$$}"
FUZZ_MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-50}"
FUZZ_SECONDS="${FUZZ_SECONDS:-600}"
WORK="$(mktemp -d)"
GUNICORN_PID=""
PGBOUNCER_PID=""

step() { printf '\n==> %s\n' "$*"; }

cleanup() {
  local status=$?
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill "$GUNICORN_PID" 2>/dev/null || true
    wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  if [ -n "$PGBOUNCER_PID" ] && kill -0 "$PGBOUNCER_PID" 2>/dev/null; then
    kill -INT "$PGBOUNCER_PID" 2>/dev/null || true  # SIGINT: PgBouncer's fast shutdown
    wait "$PGBOUNCER_PID" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -s "$WORK/pgbouncer/pgbouncer.log" ]; then
    echo "--- last lines of the PgBouncer log ---" >&2
    tail -n 30 "$WORK/pgbouncer/pgbouncer.log" >&2
  fi
  if [ "$status" -ne 0 ] && [ -s "$WORK/gunicorn.log" ]; then
    echo "--- last lines of the server log ---" >&2
    tail -n 60 "$WORK/gunicorn.log" >&2
  fi
  dropdb --if-exists --force --maintenance-db="$PG_SERVER/postgres" "$DB_NAME" 2>/dev/null || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

step "tools: the virtualenv (make install) and newman (npm ci, versions from package-lock.json)"
make --no-print-directory install
if [ ! -x node_modules/.bin/newman ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

step "a fresh PostgreSQL database: $DB_NAME"
createdb --maintenance-db="$PG_SERVER/postgres" "$DB_NAME"

free_port() {
  .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
export DJANGO_SETTINGS_MODULE=config.settings.production
export DATABASE_URL="$PG_SERVER/$DB_NAME"

# PgBouncer (Debian's package, installed when missing) in transaction mode, on a free loopback
# port, with its config in a temporary folder: the app runs as it would behind a pooler, with
# DATABASE_POOLER=pgbouncer (README, Configuration).
if [ "${E2E_PGBOUNCER:-1}" != "0" ]; then
  step "PgBouncer in transaction mode in front of $DB_NAME"
  bash scripts/install-debian-package.sh pgbouncer
  PGBOUNCER="$(PATH="$PATH:/usr/sbin:/sbin" command -v pgbouncer)"
  read -r PG_HOST PG_PORT PG_USER < <(.venv/bin/python -c 'import sys; from urllib.parse import urlparse; u = urlparse(sys.argv[1]); print(u.hostname or "127.0.0.1", u.port or 5432, u.username or "postgres")' "$PG_SERVER")
  PGB_PORT="$(free_port)"
  mkdir -p "$WORK/pgbouncer"
  printf '"%s" ""\n' "$PG_USER" >"$WORK/pgbouncer/userlist.txt"
  cat >"$WORK/pgbouncer/pgbouncer.ini" <<INI
[databases]
$DB_NAME = host=$PG_HOST port=$PG_PORT dbname=$DB_NAME user=$PG_USER

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGB_PORT
unix_socket_dir =
auth_type = trust
auth_file = $WORK/pgbouncer/userlist.txt
admin_users = $PG_USER
pool_mode = transaction
default_pool_size = 8
max_client_conn = 200
ignore_startup_parameters = extra_float_digits
log_connections = 0
log_disconnections = 0
INI
  # PgBouncer refuses to run as root: as root, it runs as the postgres user.
  RUN_AS=()
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres "$WORK/pgbouncer"
    chmod 755 "$WORK"
    RUN_AS=(setpriv --reuid=postgres --regid=postgres --clear-groups)
  fi
  "${RUN_AS[@]}" "$PGBOUNCER" "$WORK/pgbouncer/pgbouncer.ini" >"$WORK/pgbouncer/pgbouncer.log" 2>&1 &
  PGBOUNCER_PID=$!
  for _ in $(seq 1 50); do
    pg_isready -q -h 127.0.0.1 -p "$PGB_PORT" -U "$PG_USER" -d "$DB_NAME" && break
    kill -0 "$PGBOUNCER_PID" 2>/dev/null || { echo "pgbouncer exited" >&2; exit 1; }
    sleep 0.2
  done
  export DATABASE_URL="postgres://$PG_USER@127.0.0.1:$PGB_PORT/$DB_NAME"
  export DATABASE_POOLER=pgbouncer
  echo "PgBouncer (pid $PGBOUNCER_PID) on 127.0.0.1:$PGB_PORT, transaction mode"
fi
SECRET_KEY="e2e-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
export SECRET_KEY
export SECURE_SSL_REDIRECT=0
# The collection and the fuzzer sign up and sign in far more often than a person does.
export THROTTLE_AUTH_RATE=10000/min THROTTLE_USER_RATE=1000000/hour
export THROTTLE_LOGIN_FAILURE_RATE=10000/min
export THROTTLE_PASSWORD_RESET_RATE=10000/min THROTTLE_PASSWORD_RESET_EMAIL_RATE=10000/min
export THROTTLE_PASSWORD_RESET_CONFIRM_RATE=10000/min
# Reset mails (the collection asks for one, the fuzzer for many) land as files, not on SMTP.
mkdir -p "$WORK/mail"
export EMAIL_URL="file://$WORK/mail/"
export ACCESS_TOKEN_MINUTES=60
unset REDIS_URL

step "migrate and collectstatic (production settings)"
.venv/bin/python manage.py migrate --noinput --verbosity 0
.venv/bin/python manage.py collectstatic --noinput --verbosity 0

step "gunicorn on $BASE"
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --timeout 30 \
  --no-control-socket --access-logfile - >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 60); do
  curl -fsS "$BASE/api/health/" >/dev/null 2>&1 && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || { echo "gunicorn exited" >&2; exit 1; }
  sleep 0.5
done
curl -fsS "$BASE/api/health/" && echo

step "newman: the Postman collection"
node_modules/.bin/newman run docs/postman/fintrack.postman_collection.json \
  --environment docs/postman/fintrack.postman_environment.json \
  --env-var "baseUrl=$BASE" \
  --timeout 300000 --timeout-request 15000 --timeout-script 120000 \
  --reporter-cli-no-success-assertions

if [ -n "${E2E_SKIP_FUZZ:-}" ]; then
  step "schemathesis skipped (E2E_SKIP_FUZZ)"
  exit 0
fi

step "schemathesis: every operation of $BASE/api/schema/, as a signed-in user"
FUZZ_USER="fuzz_$(date +%s)_$$"
FUZZ_PASSWORD="Fz-$(head -c 18 /dev/urandom | base64 | tr -d '/+=\n')"
curl -fsS -X POST "$BASE/api/register/" -H 'Content-Type: application/json' \
  -d "{\"username\": \"$FUZZ_USER\", \"email\": \"$FUZZ_USER@example.com\", \"password\": \"$FUZZ_PASSWORD\"}" >/dev/null
TOKEN="$(curl -fsS -X POST "$BASE/api/token/" -H 'Content-Type: application/json' \
  -d "{\"username\": \"$FUZZ_USER\", \"password\": \"$FUZZ_PASSWORD\"}" \
  | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["access"])')"
# What is checked and why two checks are left out: README, "What CI checks".
SCHEMATHESIS_HOOKS=scripts/schemathesis_hooks.py timeout "$FUZZ_SECONDS" \
  .venv/bin/schemathesis run "$BASE/api/schema/?format=json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks all \
  --exclude-checks positive_data_acceptance \
  --max-examples "$FUZZ_MAX_EXAMPLES" \
  --request-timeout 15 \
  --generation-database none \
  --no-color

if [ -n "$PGBOUNCER_PID" ]; then
  step "PgBouncer: every query of the run went through it"
  psql -h 127.0.0.1 -p "$PGB_PORT" -U "$PG_USER" -d pgbouncer -c "SHOW STATS" \
    | awk 'NR <= 2 || /'"$DB_NAME"'/' | cut -c1-120
fi

step "e2e passed"
