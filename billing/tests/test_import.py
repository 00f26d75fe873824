"""Billing's entities in the billing import: every entity, its refused rows, all or nothing, idempotence."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from billing.models import Balance, Charge, Document, Payment
from contracts.imports import CREATED, REFUSED, UNCHANGED, UPDATED, import_billing_file

from .builders import EXAMPLES, csv_file, example, load_contract_examples, pdf_bytes, zip_file

pytestmark = pytest.mark.django_db

CHARGE_HEADER = ["billing_id", "contract_billing_id", "period", "kind", "t1_kwh", "t2_kwh", "t3_kwh", "tariff",
                 "price", "amount", "reason"]  # fmt: skip


@pytest.fixture
def contracts():
    load_contract_examples()


def outcomes(report):
    return [r.outcome for r in report.rows]


def test_examples_load_and_a_second_run_changes_nothing(contracts, settings):
    for name in ("charges.csv", "payments.csv", "balances.csv", "documents.zip"):
        report = import_billing_file(example(name))
        assert report.saved, (name, report.summary(), [(r.row, r.reasons) for r in report.refused])
        assert set(outcomes(report)) == {CREATED}
    assert Charge.objects.count() == 4 and Payment.objects.count() == 2
    assert Balance.objects.count() == 3 and Document.objects.count() == 3
    charge = Charge.objects.get(billing_id="N-0001-2026-11")
    assert charge.amount == Decimal("1741.20") and isinstance(charge.amount, Decimal)
    assert charge.t1_kwh == Decimal("210") and charge.price == Decimal("6.43")
    recalculation = Charge.objects.get(billing_id="R-0001-2026-11")
    assert recalculation.amount == Decimal("-120.50") and recalculation.reason
    assert Balance.objects.get(billing_id="S-0002-2026-11").amount == Decimal("-250.00")
    bill = Document.objects.get(billing_id="D-0001-2026-11")
    assert bill.file.read().startswith(b"%PDF") and bill.kind == Document.Kind.BILL
    stored = sorted(p.name for p in (settings.MEDIA_ROOT / "billing").rglob("*.pdf"))
    assert len(stored) == 3
    for name in ("charges.csv", "payments.csv", "balances.csv", "documents.zip"):
        report = import_billing_file(example(name))
        assert report.saved and set(outcomes(report)) == {UNCHANGED}, name
    assert len(list((settings.MEDIA_ROOT / "billing").rglob("*.pdf"))) == 3


def test_an_updated_charge_and_a_replaced_document(contracts, settings, django_capture_on_commit_callbacks):
    import_billing_file(example("charges.csv"))
    import_billing_file(example("documents.zip"))
    old_name = Document.objects.get(billing_id="D-0001-2026-11").file.name
    rows = [{"billing_id": "N-0001-2026-11", "contract_billing_id": "LS-0001", "period": "11.2026",
             "amount": "1800.00", "t1_kwh": "210", "t2_kwh": "110"}]  # fmt: skip
    report = import_billing_file(csv_file(CHARGE_HEADER, rows))
    assert outcomes(report) == [UPDATED]
    assert Charge.objects.get(billing_id="N-0001-2026-11").amount == Decimal("1800.00")
    archive = zip_file(
        [{"billing_id": "D-0001-2026-11", "contract_billing_id": "LS-0001", "kind": "bill", "period": "11.2026",
          "number": "К-2026-11-0001", "issued_on": "01.12.2026", "amount": "1620,70", "file": "new.pdf"}],
        {"new.pdf": pdf_bytes("исправленная")},
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        report = import_billing_file(archive)
    assert outcomes(report) == [UPDATED], report.refused
    document = Document.objects.get(billing_id="D-0001-2026-11")
    assert document.file.name != old_name and b"\xd0" in document.file.read()
    assert not document.file.storage.exists(old_name)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"contract_billing_id": "NOPE"}, "договор «NOPE» не найден"),
        ({"period": "13.2026"}, "неверный месяц"),
        ({"period": "вчера"}, "неверный период"),
        ({"amount": "12,345"}, "не больше 2 знаков"),
        ({"amount": "1e400"}, "меньше 100 000 000 000"),
        ({"amount": "NaN"}, "не число"),
        ({"amount": ""}, "amount: не заполнено"),
        ({"kind": "recalculation", "reason": ""}, "у перерасчёта нужна причина"),
        ({"kind": "refund"}, "неизвестный вид начисления"),
        ({"t1_kwh": "-5"}, "не может быть отрицательным"),
        ({"t1_kwh": "", "t2_kwh": "5"}, "без зоны T1"),
        ({"price": "-1"}, "цена не может быть отрицательной"),
    ],
)
def test_a_refused_charge_refuses_the_file(contracts, row, reason):
    good = {"billing_id": "N-1", "contract_billing_id": "LS-0001", "period": "11.2026", "amount": "100"}
    bad = {**good, "billing_id": "N-2", **row}
    report = import_billing_file(csv_file(CHARGE_HEADER, [good, bad]), entity="charges")
    assert not report.saved and Charge.objects.count() == 0
    refused = report.refused
    assert [r.row for r in refused] == [3]
    assert any(reason in text for text in refused[0].reasons), refused[0].reasons


def test_refused_payments_and_balances(contracts):
    header = ["billing_id", "contract_billing_id", "paid_on", "amount", "channel"]
    report = import_billing_file(csv_file(header, [
        {"billing_id": "P-1", "contract_billing_id": "LS-0001", "paid_on": "05.11.2026", "amount": "0"},
        {"billing_id": "P-2", "contract_billing_id": "LS-0001", "paid_on": "31.02.2026", "amount": "10"},
        {"billing_id": "P-2", "contract_billing_id": "LS-0001", "paid_on": "01.02.2026", "amount": "10"},
    ]))  # fmt: skip
    assert report.entity == "payments" and not report.saved and Payment.objects.count() == 0
    reasons = [" ".join(r.reasons) for r in report.refused]
    assert "больше нуля" in reasons[0] and "неверная дата" in reasons[1] and "уже встречался" in reasons[2]
    header = ["billing_id", "contract_billing_id", "as_of", "amount", "debt_warning"]
    report = import_billing_file(csv_file(header, [
        {"billing_id": "S-1", "contract_billing_id": "LS-0001", "as_of": "30.11.2026", "amount": "5",
         "debt_warning": "может"},
    ]))  # fmt: skip
    assert report.entity == "balances" and not report.saved
    assert "нужно «да» или «нет»" in report.refused[0].reasons[0]


def test_refused_documents_leave_no_files(contracts, settings):
    good = {"billing_id": "D-1", "contract_billing_id": "LS-0001", "kind": "bill", "period": "11.2026", "file": "a.pdf"}
    rows = [
        good,
        {**good, "billing_id": "D-2", "file": "missing.pdf"},
        {**good, "billing_id": "D-3", "file": "fake.pdf"},
        {**good, "billing_id": "D-4", "kind": "upd", "file": "a.pdf"},
        {**good, "billing_id": "D-5", "contract_billing_id": "DG-0101", "kind": "bill", "file": "a.pdf"},
    ]
    archive = zip_file(rows, {"a.pdf": pdf_bytes(), "fake.pdf": b"<html><script>alert(1)</script>"})
    report = import_billing_file(archive)
    assert report.entity == "documents" and not report.saved
    reasons = {r.billing_id: " ".join(r.reasons) for r in report.refused}
    assert "нет файла «missing.pdf»" in reasons["D-2"]
    assert "не документ PDF" in reasons["D-3"]
    assert "квитанция" in reasons["D-4"] and "не квитанция" in reasons["D-5"]
    assert Document.objects.count() == 0
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))


def test_documents_must_come_as_an_archive_and_tables_not(contracts):
    header = ["billing_id", "contract_billing_id", "kind", "period", "file"]
    report = import_billing_file(csv_file(header, [["D-1", "LS-0001", "bill", "11.2026", "a.pdf"]]), entity="documents")
    assert "архивом ZIP" in report.file_error
    archive = zip_file([], {}, header=CHARGE_HEADER)
    report = import_billing_file(archive, entity="charges")
    assert "только для документов" in report.file_error
    no_manifest = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(no_manifest, "w") as z:
        z.writestr("a.pdf", pdf_bytes())
    report = import_billing_file(no_manifest)
    assert "manifest.csv" in report.file_error


def test_dry_run_writes_no_files(contracts, settings):
    report = import_billing_file(example("documents.zip"), dry_run=True)
    assert report.ok and not report.saved and Document.objects.count() == 0
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))


def test_the_command_loads_billing_entities(contracts, capsys):
    call_command("import_billing", str(EXAMPLES / "charges.csv"))
    assert Charge.objects.count() == 4
    call_command("import_billing", str(EXAMPLES / "documents.zip"), "--entity", "documents")
    assert Document.objects.count() == 3
    bad = EXAMPLES.parent / "import_examples" / "balances.csv"
    with pytest.raises(CommandError) as error:
        call_command("import_billing", str(bad), "--entity", "payments")
    assert error.value.returncode == 2


def test_a_recalculation_reduces_the_month(contracts):
    import_billing_file(example("charges.csv"))
    assert REFUSED not in outcomes(import_billing_file(example("charges.csv")))
