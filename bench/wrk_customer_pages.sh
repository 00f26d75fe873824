#!/usr/bin/env bash
# The customer's pages beside the floor page through gunicorn and wrk, interleaved, for one or more checkouts.
#
#   DB=portal_bench_200k ROUNDS=3 bash bench/wrk_customer_pages.sh OUT_DIR [CHECKOUT ...]
#   .venv/bin/python bench/wrk_summary.py OUT_DIR
#
# Each checkout (default: this one) gets its own gunicorn (production settings plus the bench-only floor
# page: bench/bench_settings.py; 2 sync workers, DEBUG off, as the shared harness) on its own port. Per
# round, per checkout, per page (floor, list, appeal, form, post): a 2 s warm-up, then wrk -t1 -c1 for
# SINGLE (5 s) and wrk -t2 -c8 for DURATION (10 s). The floor is measured in the same round as the pages,
# so the ratios hold on a shared machine whose load drifts. What the filings made is deleted at the end.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:?usage: DB=… bash bench/wrk_customer_pages.sh OUT_DIR [CHECKOUT ...]}"; shift
CHECKOUTS=("${@:-$(dirname "$HERE")}")
: "${DB:?set DB to the bench database}"
ROUNDS="${ROUNDS:-3}"; SINGLE="${SINGLE:-5s}"; DURATION="${DURATION:-10s}"; WARMUP="${WARMUP:-2s}"
export DEBUG=false SECRET_KEY=bench-only-secret-0123456789abcdef0123456789 ALLOWED_HOSTS=127.0.0.1 \
  SECURE_SSL_REDIRECT=false CACHE_URL="${CACHE_URL:-redis://127.0.0.1:6379/5}" \
  CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/9}" LOG_LEVEL=WARNING \
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" DJANGO_SETTINGS_MODULE=bench_settings \
  APPEALS_FILING_RATE_USER=1000000/h APPEALS_FILING_RATE_ORGANISATION=1000000/h
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
PY="${CHECKOUTS[0]}/.venv/bin/python"
"$PY" "$HERE/profile_customer_pages.py" --wrk-plan "$OUT/plan.tsv" > /dev/null
PIDS=()
stop() { for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
port=8741
for c in "${CHECKOUTS[@]}"; do
  (cd "$c" && DJANGO_SETTINGS_MODULE=portal.settings .venv/bin/python manage.py collectstatic --noinput -v0)
  "$c/.venv/bin/gunicorn" portal.wsgi --chdir "$c" --pythonpath "$c/bench" --workers 2 --worker-class sync \
    --bind "127.0.0.1:$port" --timeout 120 --log-level warning --error-logfile "$OUT/gunicorn.$port.log" \
    --no-control-socket &
  PIDS+=($!)
  echo "$c 127.0.0.1:$port" >> "$OUT/servers.txt"
  port=$((port + 1))
done
for p in $(seq 8741 $((port - 1))); do
  for _ in $(seq 1 60); do curl -fsS -o /dev/null "http://127.0.0.1:$p/healthz" 2>/dev/null && break; sleep 0.5; done
done
for r in $(seq 1 "$ROUNDS"); do
  for p in $(seq 8741 $((port - 1))); do
    while IFS=$'\t' read -r name method path cookie body; do
      export WRK_BODY=""; [ "$method" = POST ] && export WRK_BODY="$body"
      url="http://127.0.0.1:$p$path"
      wrk -t1 -c1 -d"$WARMUP" -s "$HERE/wrk_stats.lua" -H "Cookie: $cookie" "$url" > /dev/null
      for shape in c1 c8; do
        if [ "$shape" = c1 ]; then t=1; n=1; d="$SINGLE"; else t=2; n=8; d="$DURATION"; fi
        f="$OUT/r$r.$p.$name.$shape.txt"
        echo "LOAD $(cut -d' ' -f1 /proc/loadavg)" > "$f"
        wrk -t"$t" -c"$n" -d"$d" --timeout 60s --latency -s "$HERE/wrk_stats.lua" -H "Cookie: $cookie" "$url" >> "$f"
      done
      echo "round $r port $p $name: $(grep -h 'STAT p50_ms\|STAT rps' "$OUT/r$r.$p.$name.c1.txt" "$OUT/r$r.$p.$name.c8.txt" | tr '\n' ' ')"
    done < "$OUT/plan.tsv"
    # The filer's notices would pile up under the bell of the next round's form: delete what was filed.
    "$PY" "$HERE/profile_customer_pages.py" --cleanup
  done
done
unset WRK_BODY
