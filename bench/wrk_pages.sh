#!/usr/bin/env bash
# wrk over a list of pages for one logged-in user, against gunicorn (2 sync workers) with production settings.
#
#   export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_contracts DEBUG=false \
#     SECRET_KEY=bench-only-secret-0123456789abcdef0123456789 ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false \
#     CACHE_URL=redis://127.0.0.1:6379/10 CELERY_BROKER_URL=redis://127.0.0.1:6379/11 LOG_LEVEL=WARNING
#   .venv/bin/python manage.py collectstatic --noinput -v0
#   COOKIE=$(.venv/bin/python bench/contract_pages.py --cookie) \
#     bench/wrk_pages.sh /bench/floor/2026-000001/ /contracts/ /contracts/meters/7/
#
# The server runs bench/bench_settings.py (production settings plus the bench-only floor page, a bare
# logged-in Django page on the same stack: /bench/floor/<any appeal number>/), so the floor can be measured
# in the same rounds as the pages and the ratios hold while the machine's load drifts.
# Each page: a 3 s warm-up, then CONNECTIONS (default "1 8") connections for DURATION (default 10s) each,
# ROUNDS (default 3) times, the pages interleaved within a round. One line per run: page, connections,
# requests/s, p50 and p90 in ms (bench/p50.lua). PORT defaults to 8791.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${COOKIE:?set COOKIE=sessionid=… (bench/contract_pages.py --cookie prints one)}"
PORT=${PORT:-8791} DURATION=${DURATION:-10s} ROUNDS=${ROUNDS:-3} CONNECTIONS=${CONNECTIONS:-"1 8"}
DJANGO_SETTINGS_MODULE=bench_settings .venv/bin/gunicorn portal.wsgi --pythonpath bench --workers 2 \
    --bind "127.0.0.1:$PORT" --log-level warning &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done
for page in "$@"; do
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT$page")
    [ "$status" = 200 ] || { echo "$page answers $status, not 200: check the cookie and the URL" >&2; exit 1; }
    wrk -t1 -c1 -d3s -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT$page" >/dev/null
done
for round in $(seq "$ROUNDS"); do
    for connections in $CONNECTIONS; do
        for page in "$@"; do
            line=$(wrk -t1 -c"$connections" -d"$DURATION" -H "Cookie: $COOKIE" -s bench/p50.lua \
                "http://127.0.0.1:$PORT$page" | tail -n1)
            printf 'round=%s c=%s %s %s\n' "$round" "$connections" "$page" "$line"
        done
    done
done
