#!/usr/bin/env bash
# Runs the web server, a Celery worker and Celery beat together; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# Links in emails and SMS are built by the worker, which has no request to take
# the origin from: tell all three processes where the portal answers.
export SITE_URL=${SITE_URL:-http://$HOST:$PORT}
mkdir -p var/broker/queue var/broker/processed

pids=()
stop() {
    trap - INT TERM EXIT
    echo
    echo "Stopping..."
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop INT TERM EXIT

$BIN/celery -A portal worker --loglevel=INFO --concurrency=2 --hostname=worker@%h &
pids+=($!)
$BIN/celery -A portal beat --loglevel=INFO --schedule=var/celerybeat-schedule &
pids+=($!)
$BIN/python manage.py runserver "$HOST:$PORT" &
pids+=($!)

echo
echo "  The portal runs on $SITE_URL  (staff: $SITE_URL/admin/)"
echo "  Demo logins were printed above by seed_demo. Press Ctrl-C to stop."
echo
# Stop everything as soon as any one of the three exits.
wait -n
