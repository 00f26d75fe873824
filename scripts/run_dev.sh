#!/usr/bin/env bash
# Runs the web server, a Celery worker and Celery beat together; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
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
$BIN/python manage.py runserver 127.0.0.1:8000 &
pids+=($!)

echo
echo "  The portal runs on http://127.0.0.1:8000  (staff: http://127.0.0.1:8000/admin/)"
echo "  Demo logins were printed above by seed_demo. Press Ctrl-C to stop."
echo
# Stop everything as soon as any one of the three exits.
wait -n
