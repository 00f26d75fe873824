"""Builders for the billing tests: billing's files in memory, the example files, charges and documents."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from billing.models import Balance, Charge, Document, Payment
from contracts.imports import import_billing_file
from contracts.models import ContractBinding

EXAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "import_examples"
CONTRACT_EXAMPLES = Path(__file__).resolve().parents[2] / "contracts" / "fixtures" / "import_examples"


def pdf_bytes(text="документ") -> bytes:
    return (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        f"% {text}\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    ).encode()


def csv_file(header, rows) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header] if isinstance(row, dict) else row)
    return io.BytesIO(out.getvalue().encode("utf-8"))


def zip_file(manifest_rows, files: dict[str, bytes], header=None) -> io.BytesIO:
    header = header or ["billing_id", "contract_billing_id", "kind", "period", "number", "issued_on", "amount", "file"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.csv", csv_file(header, manifest_rows).getvalue())
        for name, data in files.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def example(name) -> io.BytesIO:
    return io.BytesIO((EXAMPLES / name).read_bytes())


def load_contract_examples():
    for name in ("contracts.csv", "supply_points.csv", "meters.csv"):
        report = import_billing_file(io.BytesIO((CONTRACT_EXAMPLES / name).read_bytes()))
        assert report.saved, report.summary()


def months_back(count, *, last=datetime.date(2026, 11, 1)):
    months, year, month = [], last.year, last.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def make_history(contract, *, months=24, balance=Decimal("1620.70"), documents=True, warning=False):
    """Charges, payments and bills for `months` months, and the balance at the end of the last one — the present
    holder's: the contract's bindings are dated back to the first of those months (a customer sees a contract's
    money only from their binding on)."""
    periods = months_back(months)
    first = timezone.make_aware(datetime.datetime.combine(periods[0], datetime.time(12)))
    ContractBinding.objects.filter(contract=contract, bound_at__gt=first).update(bound_at=first)
    for period in periods:
        key = f"{contract.pk}-{period:%Y%m}"
        Charge.objects.create(
            billing_id=f"N-{key}", contract=contract, period=period, t1_kwh=Decimal("180"), t2_kwh=Decimal("95.5"),
            tariff="двухзонный", price=Decimal("6.43000"), amount=Decimal("1474.62"),
        )  # fmt: skip
        Payment.objects.create(
            billing_id=f"P-{key}", contract=contract, paid_on=period + datetime.timedelta(days=35),
            amount=Decimal("1474.62"), channel="СБП",
        )  # fmt: skip
        if documents:
            doc = Document(
                billing_id=f"D-{key}", contract=contract, period=period, number=f"К-{key}",
                kind=Document.Kind.BILL if contract.is_residential else Document.Kind.INVOICE,
                amount=Decimal("1474.62"), size=0, sha256="", created_at=timezone.now(), notified_at=timezone.now(),
            )  # fmt: skip
            data = pdf_bytes(key)
            doc.size = len(data)
            doc.file.save("d.pdf", ContentFile(data), save=False)
            doc.save()
    return Balance.objects.create(
        billing_id=f"S-{contract.pk}", contract=contract, as_of=datetime.date(2026, 11, 30), amount=balance,
        debt_warning=warning,
    )  # fmt: skip
