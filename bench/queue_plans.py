"""Benchmark: the plans of an operator's queue queries over a large table (issue 11).

Fill a PostgreSQL database first (bench/seed_bench.py), then run:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench DEBUG=true
    .venv/bin/python bench/queue_plans.py              # with the partial index (the schema as migrated)
    .venv/bin/python bench/queue_plans.py --without-index appeal_open_assignee_due   # the "before" figure

For the busiest bench operator it runs EXPLAIN (ANALYZE, BUFFERS) on the queries the queue and the
sidebar counters issue: "my open appeals" (first page and count) and the default view, open appeals
assigned to the operator or to nobody (first page and count). With --without-index the index is
dropped inside a transaction that is rolled back: the database stays as migrated.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402

from accounts.models import User  # noqa: E402
from appeals import access, selectors  # noqa: E402
from appeals.models import Appeal  # noqa: E402
from core.paginators import CappedCountPaginator  # noqa: E402

CAP = CappedCountPaginator.cap


def sql_of(queryset, *, count=False):
    sql, params = queryset.query.sql_with_params()
    if count:
        # What the paginator runs for the changelist: a COUNT(*) over the filtered rows.
        sql = f"SELECT COUNT(*) FROM ({sql}) AS counted"  # noqa: S608 - SQL Django compiled
    return sql, params


def explain(label, sql, params, *, show_plan):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        lines = [row[0] for row in cursor.fetchall()]
    execution = next(line for line in lines if line.startswith("Execution Time"))
    scans = sorted({line.strip().split(" on appeals_appeal")[0].split("->")[-1].strip()
                    for line in lines if "on appeals_appeal" in line})
    print(f"{label:42} {execution:28} {'; '.join(scans)}")
    if show_plan:
        print("\n".join("    " + line for line in lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--without-index", default="", help="drop this index (in a rolled-back transaction)")
    parser.add_argument("--plans", action="store_true", help="print the full plans")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query; the last one is printed warm")
    args = parser.parse_args()
    busiest = (
        Appeal.objects.filter(status__in=Appeal.OPEN_STATUSES, assignee__isnull=False)
        .values("assignee").annotate(n=Count("id")).order_by("-n").first()
    )
    operator = User.objects.get(pk=busiest["assignee"])
    print(f"appeals: {Appeal.objects.count()}, open: {Appeal.objects.filter(status__in=Appeal.OPEN_STATUSES).count()}"
          f", operator {operator.email} has {busiest['n']} open")
    with transaction.atomic():
        if args.without_index:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP INDEX "{args.without_index}"')
        open_queue = selectors.queue_by_status(selectors.staff_queue(operator), None, everything="all")
        mine = selectors.queue_by_assignee(open_queue, "mine", operator)
        supervisor = User.objects.get(email="bench-supervisor@example.ru")
        all_open = selectors.queue_by_status(selectors.staff_queue(supervisor), None, everything="all")
        everything = selectors.queue_by_status(selectors.staff_queue(supervisor), "all", everything="all")
        queries = [
            ("my open appeals: first page", *sql_of(mine.order_by("due_at", "id")[:51])),
            ("my open appeals: count", *sql_of(mine.values("pk"), count=True)),
            ("default queue (mine or nobody's): page", *sql_of(open_queue.order_by("due_at", "id")[:51])),
            ("default queue: count", *sql_of(open_queue.values("pk"), count=True)),
            # What the admin's paginator runs now (core.paginators): the count stops at cap + 1 rows.
            ("default queue: capped count", *sql_of(open_queue.order_by().values("pk")[: CAP + 1], count=True)),
            *[(f"default queue: capped count, part {n}", *sql_of(open_queue.filter(part).order_by().values("pk")
                                                                [: CAP + 1], count=True))
              for n, part in enumerate(access.staff_scope_parts(operator), 1)],
            ("supervisor, all open: capped count", *sql_of(all_open.order_by().values("pk")[: CAP + 1], count=True)),
            ("supervisor, all open: page", *sql_of(all_open.order_by("due_at", "id")[:51])),
            ("supervisor, every status: capped count", *sql_of(everything.order_by().values("pk")[: CAP + 1],
                                                                count=True)),
        ]
        for run in range(args.repeat):  # the last run is the warm one printed
            for label, sql, params in queries:
                if run == args.repeat - 1:
                    explain(label, sql, params, show_plan=args.plans)
                else:
                    with connection.cursor() as cursor:
                        cursor.execute(sql, params)
                        cursor.fetchall()
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
