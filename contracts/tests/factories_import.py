"""Builders for the billing-import tests: files in memory, and contracts/points/meters made through the import."""

import csv
import io
from pathlib import Path

from openpyxl import Workbook

EXAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "import_examples"

CONTRACT_HEADER = [
    "billing_id", "number", "kind", "status", "customer_name", "inn", "address", "signed_on", "effective_from",
    "effective_to", "tariff", "price_category", "binding_code",
]  # fmt: skip
SUPPLY_POINT_HEADER = ["billing_id", "contract_billing_id", "address", "max_power_kw", "voltage", "grid_company"]
METER_HEADER = [
    "billing_id", "supply_point_billing_id", "serial_number", "model", "zones", "installed_on",
    "next_verification_on", "remote", "removed_on",
]  # fmt: skip

# Made-up identifiers with valid check digits.
ORG_INN = "7701000026"
PERSON_INN = "770100000142"


def resident_row(n=1, **overrides):
    row = {
        "billing_id": f"LS-{n:04d}", "number": f"50000{n:05d}", "kind": "residential", "status": "active",
        "customer_name": "Иванова Мария Сергеевна", "inn": "", "address": "г. Москва, ул. Ленина, д. 1",
        "signed_on": "01.02.2024", "effective_from": "01.02.2024", "effective_to": "", "tariff": "two_zone",
        "price_category": "", "binding_code": "",
    }  # fmt: skip
    row.update(overrides)
    return row


def organisation_row(n=1, **overrides):
    row = {
        "billing_id": f"DG-{n:04d}", "number": f"ЭС-{n}", "kind": "supply", "status": "active",
        "customer_name": "ООО «Пример»", "inn": ORG_INN, "address": "г. Москва", "signed_on": "2024-01-15",
        "effective_from": "", "effective_to": "", "tariff": "", "price_category": "3", "binding_code": "",
    }  # fmt: skip
    row.update(overrides)
    return row


def point_row(n=1, contract="LS-0001", **overrides):
    row = {"billing_id": f"TP-{n:04d}", "contract_billing_id": contract, "address": "г. Москва, ул. Ленина, д. 1",
           "max_power_kw": "15", "voltage": "LV", "grid_company": ""}
    row.update(overrides)
    return row


def meter_row(n=1, point="TP-0001", **overrides):
    row = {"billing_id": f"PU-{n:04d}", "supply_point_billing_id": point, "serial_number": f"SN{n:06d}",
           "model": "Меркурий 201.8", "zones": "2", "installed_on": "15.03.2021",
           "next_verification_on": "15.03.2037", "remote": "нет", "removed_on": ""}
    row.update(overrides)
    return row


def csv_file(header, rows, *, delimiter=";", bom=False) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header] if isinstance(row, dict) else row)
    data = text.getvalue().encode("utf-8")
    return io.BytesIO((b"\xef\xbb\xbf" if bom else b"") + data)


def xlsx_file(header, rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(name) or None for name in header] if isinstance(row, dict) else row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def example(name: str) -> io.BytesIO:
    return io.BytesIO((EXAMPLES / name).read_bytes())
