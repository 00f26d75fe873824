"""Benchmark: the appeal reminder scan over a large table, and notification delivery per worker.

Fill a PostgreSQL database first (bench/seed_bench.py), then run:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench DEBUG=true
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/seed_bench.py --customers 100000 --appeals 1000000
    .venv/bin/python bench/reminder_scan.py --scans 5 --deliveries 2000

It measures, inside one transaction that is rolled back at the end (the
database stays as seeded, nothing reaches the broker):
1. the plan of the scan's candidate query (EXPLAIN ANALYZE) — it must use the
   partial index on open appeals' due dates, not scan the table;
2. the first scan of a working morning, which writes every due reminder and
   its notices, and then steady-state scans (every 5 minutes in production),
   which find everything already reminded;
3. delivery throughput of one worker: the sweeper claiming and sending
   pending emails through Django's locmem (or file) email backend.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from appeals import notifying  # noqa: E402
from appeals.models import Appeal  # noqa: E402
from appeals.reminders import (  # noqa: E402
    POLICY_KEYS,
    SUBJECT,
    appeal_reminders_scan,
    overdue_candidates,
    plan_reminders,
    upcoming_candidates,
)
from deadlines.arithmetic import end_of_day  # noqa: E402
from deadlines.services import calendar_for  # noqa: E402
from notifications.models import Notification, Reminder  # noqa: E402
from notifications.services import notifications_sweep, notify, reminder_policies  # noqa: E402


class Rollback(Exception):
    pass


def working_morning(tz):
    """10:00 company time on the next working day from today (the scan sends nothing on days off)."""
    today = timezone.localdate(timezone.now(), tz)
    calendar = calendar_for(today, today + timedelta(days=30))
    day = calendar.next_working_day(today)
    return datetime.combine(day, datetime.min.time().replace(hour=10), tzinfo=tz)


def explain(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def bench_scan(now, scans, tz):
    today = now.astimezone(tz).date()
    calendar = calendar_for(today - timedelta(days=62), today + timedelta(days=62))
    horizon = end_of_day(calendar.add_working_days(today, 3), tz)
    print(f"\n== Reminder scan at {now:%Y-%m-%d %H:%M %Z} ==")
    total = Appeal.objects.count()
    open_count = Appeal.objects.filter(status__in=Appeal.OPEN_STATUSES).count()
    policies = reminder_policies(POLICY_KEYS)
    upcoming, _wanted = upcoming_candidates(now, today, tz, calendar, policies)
    overdue = overdue_candidates(now, since=today)
    soon = Appeal.objects.filter(status__in=Appeal.OPEN_STATUSES, due_at__gte=now, due_at__lte=horizon).count()
    print(f"appeals: {total}, open: {open_count}, due within 3 working days: {soon}, "
          f"overdue: {Appeal.objects.filter(status__in=Appeal.OPEN_STATUSES, due_at__lt=now).count()}")
    uses_index = True
    first_plans = (("due soon, not yet reminded", upcoming), ("overdue, not yet escalated today", overdue[:300]))
    for label, queryset in first_plans:
        plan = explain(queryset)
        print(f"EXPLAIN ANALYZE, {label}:")
        print("  " + plan.replace("\n", "\n  "))
        uses_index &= "appeal_open_due" in plan and "Seq Scan on appeals_appeal" not in plan
    print(f"both use the partial index appeal_open_due: {'yes' if uses_index else 'NO'}")

    started = time.perf_counter()
    backlog = plan_reminders(now=now, calendar=calendar, policies=policies, limit=10**9)
    print(f"planning the whole backlog: {len(backlog)} reminders due, {time.perf_counter() - started:.2f} s")

    notifications_before = Notification.objects.count()
    started = time.perf_counter()
    first = appeal_reminders_scan(now=now)
    first_seconds = time.perf_counter() - started
    written = Notification.objects.count() - notifications_before
    print(
        f"first scan (sends at most {first.total} of {first.planned} due, the per-scan limit): "
        f"{first_seconds:.2f} s, {first.sent}, {written} notification rows written, "
        f"{first_seconds / max(first.total, 1) * 1000:.1f} ms per reminder"
    )

    # The steady state of a working day: every due reminder is in the ledger.
    Reminder.objects.bulk_create(
        [Reminder(subject=SUBJECT, object_id=r.appeal_id, kind=r.kind, due_on=r.due_on, created_at=now)
         for r in backlog],
        ignore_conflicts=True,
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notifications_reminder")
    timings = []
    for _ in range(scans):
        started = time.perf_counter()
        # The same moment again: nothing new can fall due, so anything sent would be a duplicate.
        again = appeal_reminders_scan(now=now)
        timings.append(time.perf_counter() - started)
        if again.total:
            sys.exit(f"a repeated scan sent reminders again: {again.sent}")
    print(
        f"steady-state scans ({scans}, everything already reminded): median "
        f"{statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms, nothing sent twice"
    )
    for label, queryset in (
        ("due soon, steady state", upcoming_candidates(now, today, tz, calendar, policies)[0]),
        ("overdue, steady state", overdue_candidates(now, since=today)[:300]),
    ):
        plan = explain(queryset)
        print(f"EXPLAIN ANALYZE, {label} (anti-joined with the ledger):")
        print("  " + plan.replace("\n", "\n  "))
    return uses_index


def bench_delivery(now, count, backend):
    print(f"\n== Delivery: one worker, {count} emails, {backend.rsplit('.', 2)[-2]} backend ==")
    Notification.objects.filter(status=Notification.Status.PENDING).update(next_attempt_at=now + timedelta(days=1))
    users = list(User.objects.filter(is_active=True).order_by("pk")[:count])
    if not users:
        print("no users to notify; seed the database first")
        return
    started = time.perf_counter()
    for n in range(count):
        notify(
            recipient=users[n % len(users)],
            event=notifying.MESSAGE.key,
            context={"number": f"BENCH-{n}", "subject": "Проверка доставки", "has_account": True},
            dedup_key=f"bench.delivery:{now.isoformat()}:{n}",
            channels=["email"],
            link="/appeals/",
            now=now,
        )
    write_seconds = time.perf_counter() - started
    print(f"notify(): {count / write_seconds:.0f} rows/s written (render + insert, in the caller's transaction)")
    with tempfile.TemporaryDirectory() as folder, override_settings(EMAIL_BACKEND=backend, EMAIL_FILE_PATH=folder):
        started = time.perf_counter()
        sent = 0
        while True:
            result = notifications_sweep(now=now, batch_size=100)
            sent += result.sent
            if result.sent == 0:
                break
        seconds = time.perf_counter() - started
    remaining = Notification.objects.filter(
        Q(status=Notification.Status.PENDING) & Q(next_attempt_at__lte=now)
    ).count()
    print(f"sweeper: {sent} sent in {seconds:.2f} s = {sent / seconds:.0f} emails/s per worker; pending: {remaining}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scans", type=int, default=5)
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--file-backend", action="store_true", help="write emails to files instead of memory")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run the benchmark on PostgreSQL (set DATABASE_URL).")
    tz = timezone.get_default_timezone()
    now = working_morning(tz)
    backend = (
        "django.core.mail.backends.filebased.EmailBackend"
        if args.file_backend
        else "django.core.mail.backends.locmem.EmailBackend"
    )
    try:
        with transaction.atomic():
            uses_index = bench_scan(now, args.scans, tz)
            bench_delivery(now, args.deliveries, backend)
            raise Rollback
    except Rollback:
        print("\n(rolled back: the database is as seeded)")
    sys.exit(0 if uses_index else 1)


if __name__ == "__main__":
    main()
