"""The customer's pages beside the floor page, in-process: queries, SQL time, server time, and a profile.

Production settings (DEBUG off, the manifest static storage, Redis cache) plus the bench-only floor page
(bench/bench_settings.py, bench/bench_urls.py), over a database filled by bench/seed_bench.py:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_200k CACHE_URL=redis://127.0.0.1:6379/5
    .venv/bin/python manage.py collectstatic --noinput -v0      # once: the manifest the templates read
    .venv/bin/python bench/profile_customer_pages.py                        # queries and times
    .venv/bin/python bench/profile_customer_pages.py --profile list         # cProfile of one page
    .venv/bin/python bench/profile_customer_pages.py --sql post             # the SQL of one page
    py-spy record -f raw -o var/post.raw -- .venv/bin/python bench/profile_customer_pages.py --loop post --repeat 800
    .venv/bin/python bench/profile_customer_pages.py --wrk-plan var/plan.tsv  # users and cookies for wrk
    .venv/bin/python bench/profile_customer_pages.py --cleanup          # delete what wrk's filings made

The users are the shared harness's (../shared/bench/portal_vs_anchor/bench_pages.py): `customer`, the first
bench customer outside any organisation with 15-20 appeals of their own (P1 list, P2 their latest appeal),
and `filer`, the next one (P3 the form and the filing). Pages are requested in turns (floor, list, appeal,
form, filing, floor, …) so that the machine's drift hits each alike; per page the median of --repeat turns and
its ratio to the floor's. Appeals the filing made are deleted at the end (subject «bench-post …»).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")
for name, value in {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-0123456789abcdef0123456789",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/9",
    "LOG_LEVEL": "WARNING",
    # The bench files hundreds of appeals a minute as one customer.
    "APPEALS_FILING_RATE_USER": "1000000/h",
    "APPEALS_FILING_RATE_ORGANISATION": "1000000/h",
}.items():
    os.environ.setdefault(name, value)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Membership, User  # noqa: E402
from appeals.models import Appeal, AppealEvent, AppealMessage, Attachment  # noqa: E402
from notifications.models import Notification  # noqa: E402

POST_MARKER = "bench-post"
PAGES = ("floor", "list", "appeal", "form", "post")


def pick_customers(n=2):
    """The shared harness's choice: bench customers outside organisations with 15-20 (else 10-20) appeals."""
    members = set(Membership.objects.values_list("user_id", flat=True))
    for lo, hi in ((15, 20), (10, 20)):
        counts = (
            Appeal.objects.filter(organisation__isnull=True, author__email__startswith="bench-customer-")
            .exclude(subject__startswith=POST_MARKER)
            .values("author_id").annotate(n=Count("id")).filter(n__gte=lo, n__lte=hi)
        )
        ids = [row["author_id"] for row in counts if row["author_id"] not in members]
        if len(ids) >= n:
            users = User.objects.filter(pk__in=ids).only("id", "email")
            return sorted(users, key=lambda u: int(u.email.split("-")[2].split("@")[0]))[:n]
    raise SystemExit("no bench customer with 10-20 appeals: fill the database with bench/seed_bench.py")


def filing_body(csrf=""):
    fields = {
        "kind": "complaint",
        "topic": "billing",
        "subject": f"{POST_MARKER} перерасчёт",
        "text": "Прошу проверить начисления за прошлый месяц, сумма выше обычной. " * 3,
        "answer_channel": "cabinet",
        "postal_address": "",
    }
    return urlencode(fields) + "&idempotency_key={uuid}" + (f"&csrfmiddlewaretoken={csrf}" if csrf else "")


def plan():
    customer, filer = pick_customers()
    appeal = (
        Appeal.objects.filter(organisation__isnull=True, author=customer).exclude(subject__startswith=POST_MARKER)
        .order_by("-last_activity_at", "-id").first()
    )
    return {
        "users": {"customer": customer, "filer": filer},
        "pages": {
            "floor": ("customer", "GET", f"/bench/floor/{appeal.number}/"),
            "list": ("customer", "GET", "/appeals/"),
            "appeal": ("customer", "GET", f"/appeals/{appeal.number}/"),
            "form": ("filer", "GET", "/appeals/new/"),
            "post": ("filer", "POST", "/appeals/new/"),
        },
    }


def cleanup(filer=None):
    """Delete what the filing made: the appeals, their events and messages, the filer's notices."""
    with transaction.atomic():
        appeals = Appeal.objects.filter(subject__startswith=POST_MARKER)
        ids = list(appeals.values_list("id", flat=True))
        authors = set(appeals.values_list("author_id", flat=True))
        if not ids:
            return 0
        Notification.objects.filter(recipient_id__in=authors, created_at__gte=appeals.earliest("registered_at")
                                    .registered_at).delete()
        Attachment.objects.filter(appeal_id__in=ids).delete()
        AppealMessage.objects.filter(appeal_id__in=ids).delete()
        AppealEvent.objects.filter(appeal_id__in=ids).delete()
        Appeal.objects.filter(id__in=ids).delete()
    return len(ids)


def expect(response, status, name):
    if response.status_code != status:
        raise SystemExit(f"{name}: status {response.status_code}, not {status}")
    return response


def caller(clients, page_plan, name):
    role, method, path = page_plan[name]
    client = clients[role]
    if method == "POST":
        def call():
            response = client.post(path, data=filing_body().replace("{uuid}", str(uuid.uuid4())),
                                   content_type="application/x-www-form-urlencoded")
            return expect(response, 302, name)
    else:
        def call():
            response = client.get(path)
            return expect(response, 200, name)
    return call


def session_cookie(user):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def write_wrk_plan(path, p):
    """name, method, path, cookie, body: one page a line, tab-separated (the shared harness's plan.tsv)."""
    csrf = _get_new_csrf_string()  # an unmasked secret is accepted both as the cookie and as the form's token
    cookies = {role: f"{settings.SESSION_COOKIE_NAME}={session_cookie(user)}; {settings.CSRF_COOKIE_NAME}={csrf}"
               for role, user in p["users"].items()}
    with open(path, "w") as fh:
        for name in PAGES:
            role, method, url = p["pages"][name]
            body = filing_body(csrf) if method == "POST" else ""
            fh.write(f"{name}\t{method}\t{url}\t{cookies[role]}\t{body}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=40, help="turns over all pages (default 40)")
    parser.add_argument("--profile", choices=PAGES, help="cProfile --repeat requests of this page")
    parser.add_argument("--dump", metavar="FILE", help="with --profile: also write the raw profile (pstats, snakeviz)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sql", choices=PAGES, help="print the SQL of one request of this page")
    parser.add_argument("--loop", choices=PAGES, help="request this page --repeat times and nothing else "
                        "(for a sampling profiler: py-spy record -f raw -o F -- .venv/bin/python …)")
    parser.add_argument("--wrk-plan", help="write the pages, cookies and bodies for wrk, then stop")
    parser.add_argument("--cleanup", action="store_true", help="delete the appeals the filing made, then stop")
    args = parser.parse_args()
    if args.cleanup:
        print(f"filed appeals removed: {cleanup()}")
        return

    p = plan()
    if args.wrk_plan:
        write_wrk_plan(args.wrk_plan, p)
        print(f"wrote {args.wrk_plan}")
        return
    clients = {}
    for role, user in p["users"].items():
        clients[role] = Client(HTTP_HOST="127.0.0.1")
        clients[role].force_login(user)
    calls = {name: caller(clients, p["pages"], name) for name in PAGES}
    print(f"data: {Appeal.objects.count():,} appeals; customer {p['users']['customer'].email}, "
          f"filer {p['users']['filer'].email}; settings {os.environ['DJANGO_SETTINGS_MODULE']}, DEBUG {settings.DEBUG}")
    try:
        for call in calls.values():
            call()  # warm-up: templates compiled, connections open
        if args.sql:
            with CaptureQueriesContext(connection) as ctx:
                calls[args.sql]()
            for q in ctx.captured_queries:
                print(f"-- {float(q['time']) * 1000:.2f} ms\n{q['sql']};")
            return
        if args.loop:
            for _ in range(args.repeat):
                calls[args.loop]()
            return
        if args.profile:
            # CPU time, not wall time: on a shared machine the wall clock mostly measures the others' work.
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for _ in range(args.repeat):
                calls[args.profile]()
            profiler.disable()
            if args.dump:
                profiler.dump_stats(args.dump)
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
            return
        counted = {}
        for name, call in calls.items():
            with CaptureQueriesContext(connection) as ctx:
                call()
            counted[name] = (len(ctx.captured_queries), sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        times = {name: [] for name in PAGES}
        cpu = {name: [] for name in PAGES}
        for _ in range(args.repeat):
            for name, call in calls.items():
                started, started_cpu = time.perf_counter(), time.process_time()
                call()
                cpu[name].append((time.process_time() - started_cpu) * 1000)
                times[name].append((time.perf_counter() - started) * 1000)
        floor = statistics.median(times["floor"])
        floor_cpu = statistics.median(cpu["floor"])
        # Wall time includes waiting for PostgreSQL and for the CPU on a busy machine; CPU time is this
        # process's own work (Python), which other processes' load hardly changes.
        print(f"{'page':8} {'queries':>7} {'SQL ms':>7} {'median ms':>9} {'p90 ms':>7} {'× floor':>7} "
              f"{'CPU ms':>7} {'CPU × floor':>11}")
        for name in PAGES:
            median = statistics.median(times[name])
            p90 = statistics.quantiles(times[name], n=10)[-1]
            queries, sql_ms = counted[name]
            cpu_ms = statistics.median(cpu[name])
            print(f"{name:8} {queries:7d} {sql_ms:7.1f} {median:9.1f} {p90:7.1f} {median / floor:7.1f} "
                  f"{cpu_ms:7.2f} {cpu_ms / floor_cpu:11.1f}")
    finally:
        print(f"filed appeals removed: {cleanup()}")


if __name__ == "__main__":
    main()
