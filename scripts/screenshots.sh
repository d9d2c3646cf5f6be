#!/usr/bin/env bash
# Takes docs/screenshots/swagger-ui.png (signed in, with a real answer), redoc.png and the
# dashboard at desktop and phone width (dashboard-desktop.png, dashboard-phone.png) with
# headless Chromium, against a throwaway server with a little example data.
#
#   make screenshots              # or: bash scripts/screenshots.sh
#
# Uses Debian's chromium (installed with apt-get when missing, which needs root) driven by
# playwright-core from package-lock.json; no browser is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM:-$(command -v chromium || true)}"
WORK="$(mktemp -d)"
SERVER_PID=""

cleanup() {
  local status=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  [ "$status" -ne 0 ] && [ -s "$WORK/server.log" ] && tail -n 40 "$WORK/server.log" >&2
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

if [ -z "$CHROMIUM" ]; then
  bash scripts/install-chromium.sh
  CHROMIUM=/usr/bin/chromium
fi
make --no-print-directory install
if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

PORT="$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
export DJANGO_SETTINGS_MODULE=config.settings.local
export DATABASE_URL="sqlite:///$WORK/screenshots.sqlite3"
export THROTTLE_AUTH_RATE=1000/min
.venv/bin/python manage.py migrate --noinput --verbosity 0
.venv/bin/python manage.py runserver "127.0.0.1:$PORT" --noreload >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  curl -fsS "$BASE/api/health/" >/dev/null 2>&1 && break
  sleep 0.5
done

echo "==> example data for alice"
api() { curl -fsS -X "$1" "$BASE/api/$2" -H 'Content-Type: application/json' ${TOKEN:+-H "Authorization: Bearer $TOKEN"} ${3:+-d "$3"}; }
TOKEN=""
api POST register/ '{"username": "alice", "email": "alice@example.com", "password": "correct-horse-99"}' >/dev/null
TOKEN="$(api POST token/ '{"username": "alice", "password": "correct-horse-99"}' \
  | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["access"])')"
MONTH="$(date -u +%Y-%m)"
api POST incomes/ "{\"amount\": \"2500.00\", \"date\": \"$MONTH-01\", \"category\": \"Salary\", \"description\": \"Monthly pay\"}" >/dev/null
api POST incomes/ "{\"amount\": \"300.50\", \"date\": \"$MONTH-02\", \"category\": \"Freelance\"}" >/dev/null
api POST expenses/ "{\"amount\": \"1200.00\", \"date\": \"$MONTH-01\", \"category\": \"Rent\"}" >/dev/null
api POST expenses/ "{\"amount\": \"42.10\", \"date\": \"$MONTH-02\", \"category\": \"Groceries\", \"description\": \"Market\"}" >/dev/null
GOAL_ID="$(api POST goals/ '{"name": "Laptop", "target_amount": "1500.00", "target_date": "2027-06-30"}' \
  | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["id"])')"
api POST "goals/$GOAL_ID/contributions/" "{\"amount\": \"450.00\", \"date\": \"$MONTH-02\"}" >/dev/null
api POST expenses/ "{\"amount\": \"86.40\", \"date\": \"$MONTH-03\", \"category\": \"Transport\", \"description\": \"Train pass\"}" >/dev/null
api POST expenses/ "{\"amount\": \"64.90\", \"date\": \"$MONTH-04\", \"category\": \"Eating out\"}" >/dev/null
# Five months before this one, for the dashboard's trend.
for back in 1 2 3 4 5; do
  PAST="$(date -u -d "$MONTH-15 -$back month" +%Y-%m)"
  api POST incomes/ "{\"amount\": \"2500.00\", \"date\": \"$PAST-01\", \"category\": \"Salary\"}" >/dev/null
  api POST expenses/ "{\"amount\": \"1200.00\", \"date\": \"$PAST-01\", \"category\": \"Rent\"}" >/dev/null
  api POST expenses/ "{\"amount\": \"$((300 + back * 97)).$((back * 13))\", \"date\": \"$PAST-10\", \"category\": \"Groceries\"}" >/dev/null
done
# Budgets arrived with API v1.1; on a server without them the dashboard hides the section.
if [ "$(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS "$BASE/api/budgets/")" != 404 ]; then
  api POST budgets/ "{\"category\": \"Groceries\", \"amount\": \"50.00\", \"start_month\": \"$MONTH\"}" >/dev/null
  api POST budgets/ "{\"category\": \"Transport\", \"amount\": \"100.00\", \"start_month\": \"$MONTH\"}" >/dev/null
  api POST budgets/ "{\"category\": \"Eating out\", \"amount\": \"150.00\", \"start_month\": \"$MONTH\"}" >/dev/null
fi

echo "==> screenshots with $CHROMIUM"
mkdir -p docs/screenshots
SCREENSHOT_USER=alice SCREENSHOT_PASSWORD=correct-horse-99 \
  node scripts/screenshots.mjs "$BASE" "$TOKEN" "$CHROMIUM" docs/screenshots "$WORK/profile"
ls -l docs/screenshots
