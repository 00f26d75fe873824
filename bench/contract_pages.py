"""Benchmark: the cabinet's contract pages over a filled database — queries and server time per page.

Fill a PostgreSQL database with accounts, meters and readings first (bench/seed_bench.py:
100,000 customers give 100,000 bound accounts, 150,000 meters and 3,000,000 readings), then:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_contracts
    export DEBUG=false SECRET_KEY=bench-only-secret-0123456789abcdef0123456789 ALLOWED_HOSTS=127.0.0.1 \\
      SECURE_SSL_REDIRECT=false CACHE_URL=redis://127.0.0.1:6379/8 CELERY_BROKER_URL=redis://127.0.0.1:6379/9
    .venv/bin/python manage.py collectstatic --noinput -v0
    .venv/bin/python bench/contract_pages.py --customer 4242

For one bench customer (bench-customer-<n>) it requests, in-process with Django's test client
(production settings, no server): the contract list, the account's page, the meter page (history
table and chart), the readings form, and a reading submitted (POST, inside a window opened for the
run, rolled back afterwards). Per page: the number of SQL queries, their summed time, and the median
of --repeat requests, wall-clock and this process's CPU time. `--cookie` prints a session cookie
instead, for bench/wrk_pages.sh (wrk against gunicorn).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from contracts import access  # noqa: E402
from contracts.models import Reading  # noqa: E402


class Rollback(Exception):
    pass


def measure(client, method, url, repeat, data=None):
    call = (lambda: client.post(url, data)) if method == "POST" else (lambda: client.get(url))
    call()
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    queries = list(ctx.captured_queries)
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    return response.status_code, len(queries), sql_ms, statistics.median(times), statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customer", type=int, default=4242)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--cookie", action="store_true", help="print a session cookie for wrk and stop")
    args = parser.parse_args()
    user = User.objects.get(email=f"bench-customer-{args.customer}@example.ru")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    if args.cookie:
        print(f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
        return
    contract = access.contracts_for_customer(user).order_by("pk").first()
    meter = access.meters_for_customer(user).filter(remote=False).order_by("pk").first()
    last = Reading.objects.filter(meter=meter).order_by("-period").first()
    print(f"data: {Reading.objects.count()} readings; {user.email}, contract {contract.number}, meter {meter.pk} "
          f"({meter.zones} zones, {Reading.objects.filter(meter=meter).count()} readings)")
    # The window open today, so the form is a form and the POST is accepted; the POST is rolled back.
    today = timezone.localdate()
    settings.READINGS_WINDOW_FIRST_DAY, settings.READINGS_WINDOW_LAST_DAY = 1, 31
    values = {f: (getattr(last, f) or 0) + 150 for f in ("t1", "t2", "t3")[: meter.zones]} if last else {}
    pages = [
        ("contract list", "GET", reverse("contracts:list"), None),
        ("contract page", "GET", reverse("contracts:detail", args=[contract.number]), None),
        ("meter page (history, chart)", "GET", reverse("contracts:meter", args=[meter.pk]), None),
        ("readings form", "GET", reverse("contracts:reading_submit", args=[meter.pk]), None),
        ("cabinet home", "GET", reverse("cabinet"), None),
        ("reading submitted (POST)", "POST", reverse("contracts:reading_submit", args=[meter.pk]), values),
    ]
    print(f"{'page':32} {'status':>6} {'queries':>7} {'SQL ms':>7} {'median ms':>9} {'CPU ms':>7}   "
          f"(window open {today}; CPU: this process only, the figure a busy machine disturbs least)")
    for name, method, url, data in pages:
        try:
            with transaction.atomic():
                row = measure(client, method, url, args.repeat, data)
                raise Rollback
        except Rollback:
            pass
        status, queries, sql_ms, median, cpu = row
        print(f"{name:32} {status:>6} {queries:>7} {sql_ms:>7.1f} {median:>9.1f} {cpu:>7.1f}")


if __name__ == "__main__":
    main()
