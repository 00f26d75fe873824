"""Benchmark: the contract applications' staff queue and a customer's list over a filled database.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_applications
    .venv/bin/python manage.py migrate -v0
    .venv/bin/python bench/contract_applications.py --applications 100000

Creates (once) the given number of registered applications — spread over 2,000 customers, every status,
due dates from a year ago to a month ahead, two documents each — then, in-process with Django's test
client, requests the admin queue (open applications, overdue first) as a reviewer, one application's work
page, and a customer's list, printing per page the SQL queries, their summed time and the median of
--repeat requests.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.contrib.auth.models import Permission  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from contracts.models_applications import ApplicationDocument, ContractApplication  # noqa: E402
from deadlines.services import rule_for  # noqa: E402
from staffauth.testing import mark_client_verified  # noqa: E402

S = ContractApplication.Status
STATUSES = [S.SUBMITTED, S.CHECKING, S.WAITING_DOCUMENTS, S.DRAFT_SENT, S.SIGNED, S.REJECTED, S.WITHDRAWN]
CUSTOMERS = 2000


def seed(count):
    if ContractApplication.objects.count() >= count:
        return
    customers = [User(email=f"bench-applicant-{i}@example.ru") for i in range(CUSTOMERS)]
    User.objects.bulk_create(customers, ignore_conflicts=True)
    customers = list(User.objects.filter(email__startswith="bench-applicant-").order_by("pk"))
    rule = rule_for("contract.application")
    now = timezone.now()
    batch = []
    for i in range(count):
        due = now + datetime.timedelta(days=(i % 395) - 365)
        status = STATUSES[i % len(STATUSES)]
        batch.append(ContractApplication(
            number=f"Б-{i:09d}", kind="conclude", status=status, customer_kind="person",
            author=customers[i % CUSTOMERS], customer_name=f"Заявитель {i}", deadline_rule=rule,
            submitted_at=due - datetime.timedelta(days=21), due_at=due, created_at=due - datetime.timedelta(days=21),
            paused_since=now if status == S.WAITING_DOCUMENTS else None,
        ))
        if len(batch) == 5000:
            _flush(batch)
            batch = []
    _flush(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contracts_contractapplication, contracts_applicationdocument")


def _flush(batch):
    created = ContractApplication.objects.bulk_create(batch)
    ApplicationDocument.objects.bulk_create([
        ApplicationDocument(application=a, title="Паспорт", file="bench/x.pdf", original_name="x.pdf",
                            content_type="application/pdf", size=1000, uploaded_by_id=a.author_id,
                            uploaded_at=a.created_at)
        for a in created for _ in range(2)
    ])


class QueryLog:
    """Every SQL statement of the request and its time: an execute wrapper, whatever resets Django's own log."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((time.perf_counter() - start, sql))


def measure(client, url, repeat):
    client.get(url)
    log = QueryLog()
    with connection.execute_wrapper(log):
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code}")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    sql_ms = sum(t for t, _sql in log.queries) * 1000
    median = statistics.median(times)
    print(f"{url:60} queries={len(log.queries):3}  sql={sql_ms:7.1f} ms  median={median:7.1f} ms")
    if os.environ.get("BENCH_SHOW_SQL"):
        for took, sql in sorted(log.queries, reverse=True)[:3]:
            print(f"    {took * 1000:7.1f} ms  {sql[:400]}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    start = time.perf_counter()
    seed(args.applications)
    print(f"applications: {ContractApplication.objects.count()} (seeded in {time.perf_counter() - start:.1f} s)")
    reviewer, _ = User.objects.get_or_create(email="bench-reviewer@example.ru", defaults={"is_staff": True})
    reviewer.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="contracts",
        codename__in=["view_contractapplication", "change_contractapplication", "review_contractapplication"],
    ))
    staff = Client()
    staff.force_login(reviewer)
    mark_client_verified(staff, reviewer)
    measure(staff, "/admin/contracts/contractapplication/", args.repeat)
    measure(staff, "/admin/contracts/contractapplication/?deadline=overdue", args.repeat)
    first = ContractApplication.objects.filter(status=S.CHECKING).order_by("pk").first()
    measure(staff, f"/admin/contracts/contractapplication/{first.pk}/change/", args.repeat)
    customer = Client()
    customer.force_login(first.author)
    measure(customer, "/contracts/applications/", args.repeat)
    measure(customer, f"/contracts/applications/{first.pk}/", args.repeat)


if __name__ == "__main__":
    main()
