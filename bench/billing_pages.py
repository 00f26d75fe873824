"""Benchmark: the cabinet's money pages over a filled database — queries and server time per page.

    createdb -h 127.0.0.1 -U postgres portal_bench_billing
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_billing
    export DEBUG=false SECRET_KEY=bench-only-secret-0123456789abcdef0123456789 ALLOWED_HOSTS=127.0.0.1 \\
      SECURE_SSL_REDIRECT=false CACHE_URL=redis://127.0.0.1:6379/8 CELERY_BROKER_URL=redis://127.0.0.1:6379/9
    DEBUG=true .venv/bin/python manage.py migrate -v0
    .venv/bin/python bench/billing_pages.py --seed --accounts 100000 --months 24 --org-contracts 200
    .venv/bin/python bench/billing_pages.py

`--seed` (PostgreSQL only; refuses a database whose name lacks `bench`) writes: `--accounts` residents, each
with a bound personal account carrying `--months` months of charges, booked payments and document rows (the
rows only: the balance page never opens a file) and a balance; one organisation whose administrator has
`--org-contracts` contracts with the same history. Charges, payments, documents and balances are written by
INSERT … SELECT over generate_series (millions of rows in a minute or two), then ANALYZE.

The measurement requests, in-process with Django's test client (production settings, no server), one
resident's contract page (balance, 24 months of charges as table and chart, payments, documents), the
overview, the cabinet home, the organisation's summary of all its contracts on one page, and its
documents-form page. Per page: status, the number of SQL queries, their summed time, and the median of
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

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Membership, Organisation, User  # noqa: E402
from contracts.models import Contract, ContractBinding  # noqa: E402

BATCH = 5000


def seed(accounts: int, months: int, org_contracts: int) -> None:
    if connection.vendor != "postgresql" or "bench" not in connection.settings_dict["NAME"]:
        sys.exit("--seed runs on a PostgreSQL database whose name contains 'bench'")
    if Contract.objects.filter(billing_id__startswith="BB-").exists():
        sys.exit("the database already has bench billing data")
    started = time.monotonic()
    now = timezone.now()
    bound_at = now - datetime.timedelta(days=20 * 365)  # the holders' own months: all of them
    password = make_password("bench-Password-2026")
    for start in range(0, accounts, BATCH):
        stop = min(start + BATCH, accounts)
        users = User.objects.bulk_create(
            [User(email=f"bench-billing-{n}@example.ru", password=password, email_confirmed_at=now)
             for n in range(start, stop)]
        )
        contracts = Contract.objects.bulk_create(
            [Contract(billing_id=f"BB-{n}", number=f"{8_000_000_000 + n}", kind=Contract.Kind.RESIDENTIAL,
                      customer_kind=Contract.CustomerKind.PERSON, customer_name=f"Абонент {n}",
                      address=f"г. Москва, ул. Тестовая, д. {n % 500}, кв. {n % 300}", tariff="two_zone")
             for n in range(start, stop)]
        )
        ContractBinding.objects.bulk_create(
            [ContractBinding(contract=c, user=u, bound_at=bound_at) for c, u in zip(contracts, users, strict=True)]
        )
    organisation = Organisation.objects.create(kind="legal", name="ООО «Бенчмарк»", inn="7701000026",
                                               ogrn="1027700132195")  # fmt: skip
    admin = User.objects.create(email="bench-billing-org@example.ru", password=password, email_confirmed_at=now)
    Membership.objects.create(user=admin, organisation=organisation, role=Membership.Role.ADMIN)
    contracts = Contract.objects.bulk_create(
        [Contract(billing_id=f"BB-ORG-{n}", number=f"ЭС-Б/{n:05d}", kind=Contract.Kind.SUPPLY,
                  customer_kind=Contract.CustomerKind.ORGANISATION, customer_name=organisation.name,
                  inn=organisation.inn, price_category=3) for n in range(org_contracts)]
    )
    ContractBinding.objects.bulk_create(
        [ContractBinding(contract=c, organisation=organisation, bound_at=bound_at) for c in contracts]
    )
    print(f"people and contracts: {time.monotonic() - started:.0f} s")
    first = timezone.localdate().replace(day=1)
    with connection.cursor() as cursor:
        months_sql = (
            f"FROM contracts_contract c CROSS JOIN generate_series(1, {months}) AS m "
            "WHERE c.billing_id LIKE 'BB-%%'"
        )
        period = "(%s::date - make_interval(months => m))::date"
        statements = [
            ("charges", f"""INSERT INTO billing_charge (billing_id, contract_id, period, kind, t1_kwh, t2_kwh, t3_kwh,
                tariff, price, amount, reason)
                SELECT 'BN-' || c.id || '-' || m, c.id, {period}, 'charge', 180 + (c.id + m) %% 40, 75, NULL,
                       'двухзонный', 7.53, round((180 + (c.id + m) %% 40) * 7.53 + 75 * 3.12, 2), ''
                {months_sql}"""),
            ("payments", f"""INSERT INTO billing_payment (billing_id, contract_id, paid_on, amount, channel)
                SELECT 'BP-' || c.id || '-' || m, c.id, {period} + 40, round((180 + (c.id + m) %% 40) * 7.53
                       + 75 * 3.12, 2), 'СБП'
                {months_sql}"""),
            ("documents", f"""INSERT INTO billing_document (billing_id, contract_id, kind, period, number, issued_on,
                amount, file, size, sha256, created_at, notified_at)
                SELECT 'BD-' || c.id || '-' || m, c.id, CASE WHEN c.kind = 'residential' THEN 'bill' ELSE 'invoice'
                       END, {period}, 'К-' || c.id || '-' || m, {period} + 27, 1000.00,
                       'billing/bench/' || c.id || '-' || m || '.pdf', 2048, '', now(), now()
                {months_sql}"""),
            ("balances", """INSERT INTO billing_balance (billing_id, contract_id, as_of, amount, debt_warning)
                SELECT 'BS-' || c.id, c.id, %s::date - 1, (c.id %% 7 - 3) * 517.25, false
                FROM contracts_contract c WHERE c.billing_id LIKE 'BB-%%'"""),
        ]
        for name, sql in statements:
            step = time.monotonic()
            cursor.execute(sql, [first] * sql.count("%s"))
            print(f"{name}: {cursor.rowcount} rows, {time.monotonic() - step:.0f} s")
        for table in ("billing_charge", "billing_payment", "billing_document", "billing_balance",
                      "contracts_contract", "contracts_contractbinding", "accounts_user"):  # fmt: skip
            cursor.execute(f"ANALYZE {table}")
    print(f"seeded in {time.monotonic() - started:.0f} s")


def measure(client, url, repeat):
    client.get(url)
    timings = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(time.perf_counter() - started)

    # An execute wrapper, not CaptureQueriesContext: the request_started signal empties the query log.
    with connection.execute_wrapper(timed):
        response = client.get(url)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return response.status_code, len(timings), sum(timings) * 1000, statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", action="store_true")
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--org-contracts", type=int, default=200)
    parser.add_argument("--resident", type=int, default=4242)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    if args.seed:
        seed(args.accounts, args.months, args.org_contracts)
        return
    resident = User.objects.get(email=f"bench-billing-{args.resident}@example.ru")
    contract = Contract.objects.get(bindings__user=resident, bindings__unbound_at__isnull=True)
    admin = User.objects.get(email="bench-billing-org@example.ru")
    organisation = Organisation.objects.get(memberships__user=admin)
    from billing.models import Charge, Document

    print(f"data: {Contract.objects.count()} contracts, {Charge.objects.count()} charges, "
          f"{Document.objects.count()} documents; resident contract {contract.number}; organisation with "
          f"{ContractBinding.objects.filter(organisation=organisation).count()} contracts")  # fmt: skip
    resident_client, admin_client = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    resident_client.force_login(resident)
    admin_client.force_login(admin)
    pages = [
        ("contract balance page", resident_client, reverse("billing:contract", args=[contract.number])),
        ("overview", resident_client, reverse("billing:overview")),
        ("cabinet home", resident_client, reverse("cabinet")),
        ("organisation summary", admin_client, reverse("billing:organisation", args=[organisation.pk])),
        ("organisation documents form", admin_client,
         reverse("billing:organisation_documents", args=[organisation.pk])),
    ]  # fmt: skip
    print(f"{'page':32} {'status':>6} {'queries':>7} {'SQL ms':>7} {'median ms':>9}")
    for name, client, url in pages:
        status, queries, sql_ms, median = measure(client, url, args.repeat)
        print(f"{name:32} {status:>6} {queries:>7} {sql_ms:>7.1f} {median:>9.1f}")


if __name__ == "__main__":
    main()
