"""Benchmark: the supervisors' dashboard over a filled database — queries and server time per period.

Fill a PostgreSQL database with bench/seed_bench.py (1,000,000 appeals), migrate it, then:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench
    export DEBUG=false SECRET_KEY=bench-only-secret-0123456789abcdef0123456789 ALLOWED_HOSTS=127.0.0.1 \\
      SECURE_SSL_REDIRECT=false CACHE_URL=redis://127.0.0.1:6379/8 CELERY_BROKER_URL=redis://127.0.0.1:6379/9
    .venv/bin/python manage.py collectstatic --noinput -v0
    .venv/bin/python bench/dashboard.py

As bench-supervisor@example.ru (past the second factor) it requests, in-process with Django's test
client (production settings, no server), the dashboard for this month, last month, this quarter, a
custom year, last month for one operator, and two exports. Per request: the number of SQL queries,
their summed time, and the median of --repeat requests. `--explain` prints PostgreSQL's plans of the
figures' queries for last month.
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

from datetime import timedelta  # noqa: E402

from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from appeals.models import Appeal  # noqa: E402
from staffauth.testing import mark_client_verified  # noqa: E402


def measure(client, url, params, repeat):
    def call():
        response = client.get(url, params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        return response

    call()
    captured = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append({"sql": sql, "params": params, "time": time.perf_counter() - started})

    with connection.execute_wrapper(record):
        response = call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    sql_ms = sum(q["time"] for q in captured) * 1000
    return response.status_code, len(captured), sql_ms, statistics.median(times), captured


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    # Each request would empty the query log it is counted from.
    request_started.disconnect(reset_queries)
    supervisor = User.objects.get(email="bench-supervisor@example.ru")
    if not supervisor.has_perm("monitoring.view_dashboard"):
        # seed_bench grants its supervisor permissions directly; the dashboard's came later.
        from django.contrib.auth.models import Permission

        supervisor.user_permissions.add(
            Permission.objects.get(content_type__app_label="monitoring", codename="view_dashboard")
        )
        supervisor = User.objects.get(pk=supervisor.pk)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(supervisor)
    mark_client_verified(client, supervisor)
    operator = (
        Appeal.objects.filter(assignee__isnull=False).order_by("-pk").values_list("assignee", flat=True).first()
    )
    today = timezone.localdate()
    url = reverse("monitoring:dashboard")
    year = {"period": "custom", "start": (today - timedelta(days=364)).isoformat(), "end": today.isoformat()}
    requests = [
        ("this month", url, {}),
        ("last month", url, {"period": "last_month"}),
        ("this quarter", url, {"period": "quarter"}),
        ("custom: the last 365 days", url, year),
        ("last month, one operator", url, {"period": "last_month", "operator": operator}),
        ("export: summary CSV", reverse("monitoring:export", args=["summary", "csv"]), {"period": "last_month"}),
        ("export: topics XLSX", reverse("monitoring:export", args=["needs_topics", "xlsx"]), {"period": "quarter"}),
    ]
    print(f"data: {Appeal.objects.count()} appeals; today {today}")
    print(f"{'request':32} {'status':>6} {'queries':>7} {'SQL ms':>7} {'median ms':>9}")
    for name, path, params in requests:
        status, queries, sql_ms, median, captured = measure(client, path, params, args.repeat)
        print(f"{name:32} {status:>6} {queries:>7} {sql_ms:>7.1f} {median:>9.1f}")
        if args.explain and name == "last month":
            for query in captured:
                if "appeals_appeal" in query["sql"] or "surveys_survey" in query["sql"]:
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"], query["params"])
                        print("\n".join(row[0] for row in cursor.fetchall()), "\n")


if __name__ == "__main__":
    main()
