"""Benchmark: the month's readings export for billing (CSV streamed, XLSX in constant memory) and one submission.

On an empty, migrated PostgreSQL database (it adds its own rows, tagged `BENCH-`):

    createdb -h 127.0.0.1 -U postgres readings_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/readings_bench DEBUG=true
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/readings_export.py --meters 150000

It fills one contract, supply point and two-zone meter per meter number with a reading for
the month (skipped when they exist), then measures: streaming the CSV export to /dev/null
(time, rows, the process's peak memory before and after), writing the XLSX into a temporary
file, and `submit_reading` for one meter (median of 50, inside the window, rolled back).
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from contracts.admin_readings import stream_csv, write_xlsx  # noqa: E402
from contracts.models import Contract, ContractBinding, Meter, Reading, SupplyPoint  # noqa: E402
from contracts.services.readings import submit_reading  # noqa: E402

PERIOD = date(2026, 11, 1)
BATCH = 5000


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fill(count: int) -> None:
    have = Meter.objects.filter(billing_id__startswith="BENCH-").count()
    now = timezone.now()
    for start in range(have, count, BATCH):
        stop = min(start + BATCH, count)
        with transaction.atomic():
            contracts = Contract.objects.bulk_create(
                Contract(
                    billing_id=f"BENCH-C-{i}", number=f"9{i:011d}", kind=Contract.Kind.RESIDENTIAL,
                    customer_kind=Contract.CustomerKind.PERSON, customer_name="Бенчмарк", tariff="two_zone",
                )
                for i in range(start, stop)
            )
            points = SupplyPoint.objects.bulk_create(
                SupplyPoint(billing_id=f"BENCH-SP-{c.billing_id}", contract=c, address="ул. Тестовая", max_power_kw=15)
                for c in contracts
            )
            meters = Meter.objects.bulk_create(
                Meter(billing_id=f"BENCH-{i}", supply_point=p, serial_number=f"BENCH-{i}", zones=2)
                for i, p in zip(range(start, stop), points, strict=True)
            )
            Reading.objects.bulk_create(
                Reading(meter=m, period=PERIOD, t1=10000 + k, t2=5000 + k, source="cabinet", submitted_at=now)
                for k, m in enumerate(meters)
            )
        print(f"  filled {stop} meters", flush=True)


def bench_csv() -> None:
    before = peak_mb()
    started = time.perf_counter()
    lines = size = 0
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for chunk in stream_csv(PERIOD):
            sink.write(chunk)
            lines += chunk.count("\n")
            size += len(chunk)
    elapsed = time.perf_counter() - started
    print(f"CSV: {lines - 1} rows, {size / 1e6:.1f} MB streamed in {elapsed:.1f} s; "
          f"peak RSS {before:.0f} → {peak_mb():.0f} MB")


def bench_xlsx() -> None:
    before = peak_mb()
    started = time.perf_counter()
    with tempfile.TemporaryFile() as target:
        write_xlsx(PERIOD, target)
        size = target.tell()
    elapsed = time.perf_counter() - started
    print(f"XLSX: {size / 1e6:.1f} MB written in {elapsed:.1f} s; peak RSS {before:.0f} → {peak_mb():.0f} MB")


def bench_submit(runs: int) -> None:
    user, _created = User.objects.get_or_create(email="bench.readings@example.ru")
    meter = Meter.objects.get(billing_id="BENCH-0")
    ContractBinding.objects.get_or_create(
        contract=meter.supply_point.contract, unbound_at=None, defaults={"user": user, "bound_at": timezone.now()}
    )
    now = datetime(2026, 12, 20, 12, tzinfo=ZoneInfo("Europe/Moscow"))
    timings = []
    for k in range(runs):
        with transaction.atomic():
            started = time.perf_counter()
            submit_reading(user, meter, [str(20000 + k), str(9000 + k)], source="cabinet", now=now)
            timings.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    print(f"submit_reading: median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms ({runs} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meters", type=int, default=150_000)
    parser.add_argument("--submits", type=int, default=50)
    args = parser.parse_args()
    fill(args.meters)
    bench_csv()
    bench_xlsx()
    bench_submit(args.submits)


if __name__ == "__main__":
    main()
