"""The billing import: every refused row's reason, all or nothing, idempotence, CSV and XLSX."""

import io
import zipfile
from decimal import Decimal

import pytest

from contracts import codes
from contracts.imports import CREATED, REFUSED, UNCHANGED, UPDATED, import_billing_file, service
from contracts.models import Contract, Meter, SupplyPoint

from .factories_import import (
    CONTRACT_HEADER,
    METER_HEADER,
    ORG_INN,
    PERSON_INN,
    SUPPLY_POINT_HEADER,
    csv_file,
    example,
    meter_row,
    organisation_row,
    point_row,
    resident_row,
    xlsx_file,
)

pytestmark = pytest.mark.django_db


def load_examples():
    for name in ("contracts.csv", "supply_points.csv", "meters.csv"):
        report = import_billing_file(example(name))
        assert report.ok and report.saved, (name, report.summary(), report.refused)


def snapshot():
    return (
        sorted(Contract.objects.values_list("billing_id", "number", "status", "tariff", "price_category",
                                            "binding_code", "updated_at")),
        sorted(SupplyPoint.objects.values_list("billing_id", "contract__billing_id", "max_power_kw", "voltage")),
        sorted(Meter.objects.values_list("billing_id", "serial_number", "zones", "remote")),
    )  # fmt: skip


def test_the_example_files_import_and_a_second_run_changes_nothing():
    load_examples()
    assert Contract.objects.count() == 4
    assert SupplyPoint.objects.count() == 4
    assert Meter.objects.count() == 4
    resident = Contract.objects.get(billing_id="LS-0001")
    assert resident.customer_kind == "person" and resident.tariff == "two_zone" and resident.price_category is None
    assert codes.binding_code_matches(resident, "K7M3PX9Q") and "K7M3PX9Q" not in resident.binding_code
    assert not Contract.objects.get(billing_id="LS-0002").binding_code
    organisation = Contract.objects.get(billing_id="DG-0102")
    assert organisation.customer_kind == "organisation" and organisation.price_category == 1
    assert SupplyPoint.objects.get(billing_id="TP-0001").max_power_kw == Decimal("15.00")
    assert SupplyPoint.objects.get(billing_id="TP-0102").voltage == "MV2"  # «СН-2»
    assert Meter.objects.get(billing_id="PU-0101").remote is True
    before = snapshot()
    for name in ("contracts.csv", "supply_points.csv", "meters.csv"):
        report = import_billing_file(example(name))
        assert report.ok
        assert {r.outcome for r in report.rows} == {UNCHANGED}, report.rows
    assert snapshot() == before


def test_changed_rows_are_updated_and_the_rest_left_alone():
    load_examples()
    rows = [
        resident_row(1, number="5000000001", status="suspended", customer_name="Иванова Мария Сергеевна",
                     address="г. Москва, ул. Ленина, д. 1, кв. 2", binding_code=""),
    ]  # fmt: skip
    report = import_billing_file(csv_file(CONTRACT_HEADER, rows))
    assert report.ok and [r.outcome for r in report.rows] == [UPDATED]
    contract = Contract.objects.get(billing_id="LS-0001")
    assert contract.status == "suspended"
    # An empty binding_code keeps the code billing sent before.
    assert codes.binding_code_matches(contract, "K7M3PX9Q")


def test_binding_codes_are_hashed_kept_compared_and_replaced():
    import_billing_file(csv_file(CONTRACT_HEADER, [resident_row(1, binding_code="abcd 2345")]))
    contract = Contract.objects.get()
    assert contract.binding_code.startswith("binding_hmac$")
    assert codes.binding_code_matches(contract, "ABCD2345")
    assert not codes.binding_code_matches(contract, "ABCD2346")
    hashed = contract.binding_code
    same = import_billing_file(csv_file(CONTRACT_HEADER, [resident_row(1, binding_code="ABCD2345")]))
    assert [r.outcome for r in same.rows] == [UNCHANGED]
    contract.refresh_from_db()
    assert contract.binding_code == hashed
    new = import_billing_file(csv_file(CONTRACT_HEADER, [resident_row(1, binding_code="ZZZZ9999")]))
    assert [r.outcome for r in new.rows] == [UPDATED]
    contract.refresh_from_db()
    assert codes.binding_code_matches(contract, "zzzz9999") and not codes.binding_code_matches(contract, "ABCD2345")


def test_a_code_hashed_by_django_is_still_checked():
    from django.contrib.auth.hashers import make_password

    contract = Contract(binding_code=make_password("QWER2345"))
    assert codes.binding_code_matches(contract, "qwer 2345")
    assert len(codes.new_binding_code()) == 8
    assert set(codes.new_binding_code()) <= set(codes.ALPHABET)


@pytest.mark.parametrize("maker", [xlsx_file, lambda h, r: csv_file(h, r, delimiter=","),
                                   lambda h, r: csv_file(h, r, delimiter=";", bom=True)],
                         ids=["xlsx", "csv-comma", "csv-semicolon-bom"])
def test_csv_and_xlsx_read_alike(maker):
    report = import_billing_file(maker(CONTRACT_HEADER, [resident_row(1), organisation_row(2)]))
    assert report.ok, report.refused
    assert report.file_format == ("xlsx" if maker is xlsx_file else "csv")
    assert report.entity == "contracts"
    assert Contract.objects.count() == 2
    assert Contract.objects.get(billing_id="LS-0001").signed_on.isoformat() == "2024-02-01"


def test_xlsx_dates_and_numbers_typed_as_cells():
    import datetime

    rows = [[*list(resident_row(1).values())[:7], datetime.date(2024, 2, 1), None, None, "two_zone", None, None]]
    report = import_billing_file(xlsx_file(CONTRACT_HEADER, rows))
    assert report.ok, report.refused
    load = xlsx_file(SUPPLY_POINT_HEADER, [["TP-0001", "LS-0001", "адрес", 12.5, "LV", None]])
    assert import_billing_file(load).ok
    assert SupplyPoint.objects.get().max_power_kw == Decimal("12.50")


def refused(header, rows, *, entity=None):
    report = import_billing_file(csv_file(header, rows), entity=entity)
    assert not report.file_error, report.file_error
    assert not report.saved
    return [r for r in report.rows if r.outcome == REFUSED]


def only_reason(header, rows, expected):
    bad = refused(header, rows)
    assert len(bad) == 1, [r.reasons for r in bad]
    assert any(expected in reason for reason in bad[0].reasons), bad[0].reasons
    return bad[0]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (organisation_row(2, inn="7701000027"), "неверный ИНН"),
        (organisation_row(2, inn="77010000"), "неверный ИНН"),
        (organisation_row(2, inn=""), "ИНН обязателен"),
        (resident_row(2, inn="7701000026"), "неверный ИНН гражданина"),
        (resident_row(2, tariff="night_only"), "неизвестный тариф «night_only»"),
        (resident_row(2, tariff=""), "тариф обязателен"),
        (resident_row(2, kind="lease"), "неизвестный вид договора «lease»"),
        (resident_row(2, status="frozen"), "неизвестный статус"),
        (organisation_row(2, price_category="7"), "ценовая категория «7» — нужна от 1 до 6"),
        (organisation_row(2, price_category="0"), "нужна от 1 до 6"),
        (organisation_row(2, price_category=""), "обязательна ценовая категория"),
        (organisation_row(2, tariff="single"), "тариф не указывается"),
        (resident_row(2, price_category="2"), "только у договора организации"),
        (resident_row(2, number="12-34"), "не соответствует формату"),
        (resident_row(2, signed_on="31.02.2024"), "неверная дата «31.02.2024»"),
        (resident_row(2, effective_from="2024-05-01", effective_to="2024-04-01"), "раньше даты начала"),
        (resident_row(2, customer_name=""), "customer_name: не заполнено"),
        (resident_row(2, customer_name="x" * 301), "длиннее 300 символов"),
        (resident_row(2, binding_code="ab1"), "короче 6 символов"),
        (resident_row(2, billing_id="LS-0001", number="5000000099"), "уже встречался в строке 2"),
        (resident_row(2, number="5000000001"), "уже встречался в строке 2"),
    ],
)
def test_each_refused_contract_row_says_why_and_nothing_is_saved(row, expected):
    bad = only_reason(CONTRACT_HEADER, [resident_row(1, number="5000000001"), row], expected)
    assert bad.row == 3
    assert Contract.objects.count() == 0


def test_a_number_held_by_another_billing_id_is_refused():
    import_billing_file(csv_file(CONTRACT_HEADER, [resident_row(1)]))
    only_reason(CONTRACT_HEADER, [resident_row(2, number=resident_row(1)["number"])], "уже у другого договора")


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (point_row(2, contract="NOPE"), "договор «NOPE» не найден"),
        (point_row(2, max_power_kw="-1"), "мощность не может быть отрицательной"),
        (point_row(2, max_power_kw="много"), "не число"),
        (point_row(2, max_power_kw="1.234"), "двух знаков"),
        (point_row(2, voltage="1000kV"), "неизвестный уровень напряжения"),
        (point_row(2, address=""), "address: не заполнено"),
    ],
)
def test_each_refused_supply_point_row(row, expected):
    import_billing_file(csv_file(CONTRACT_HEADER, [resident_row(1)]))
    only_reason(SUPPLY_POINT_HEADER, [point_row(1), row], expected)
    assert SupplyPoint.objects.count() == 0


def load_one_point():
    import_billing_file(csv_file(CONTRACT_HEADER, [resident_row(1), organisation_row(2)]))
    import_billing_file(csv_file(SUPPLY_POINT_HEADER, [point_row(1), point_row(2, contract="DG-0002")]))


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (meter_row(2, serial_number="SN000001"), "заводской номер «SN000001» уже встречался в строке 2"),
        (meter_row(2, point="TP-9999"), "точка поставки «TP-9999» не найдена"),
        (meter_row(2, zones="4"), "число зон «4» — нужно от 1 до 3"),
        (meter_row(2, zones="0"), "нужно от 1 до 3"),
        (meter_row(2, zones="3"), "тариф договора — на 2"),
        (meter_row(2, installed_on="2021/03/15"), "неверная дата"),
        (meter_row(2, installed_on="01.01.2024", removed_on="01.01.2023"), "раньше даты установки"),
        (meter_row(2, remote="может быть"), "нужно «да» или «нет»"),
    ],
)
def test_each_refused_meter_row(row, expected):
    load_one_point()
    only_reason(METER_HEADER, [meter_row(1), row], expected)
    assert Meter.objects.count() == 0


def test_a_serial_held_by_another_meter_is_refused_and_a_three_zone_meter_fits_an_organisation():
    load_one_point()
    assert import_billing_file(csv_file(METER_HEADER, [meter_row(1)])).ok
    only_reason(METER_HEADER, [meter_row(2, serial_number="SN000001", point="TP-0002", zones="3")],
                "уже у другого счётчика (billing_id «PU-0001»)")
    assert import_billing_file(csv_file(METER_HEADER, [meter_row(2, point="TP-0002", zones="3")])).ok


def test_all_or_nothing_one_bad_row_among_many_in_several_chunks(monkeypatch):
    monkeypatch.setattr(service, "CHUNK_SIZE", 7)
    rows = [resident_row(n) for n in range(1, 40)]
    rows[33]["tariff"] = "unknown"
    report = import_billing_file(csv_file(CONTRACT_HEADER, rows))
    assert not report.saved and not report.ok
    assert report.count(REFUSED) == 1 and report.count(CREATED) == 38
    assert "Ничего не сохранено" in report.summary()
    assert Contract.objects.count() == 0
    rows[33]["tariff"] = "single"
    assert import_billing_file(csv_file(CONTRACT_HEADER, rows)).saved
    assert Contract.objects.count() == 39


def test_dry_run_reports_and_saves_nothing():
    report = import_billing_file(example("contracts.csv"), dry_run=True)
    assert report.ok and not report.saved and report.count(CREATED) == 4
    assert "ничего не сохранено" in report.summary()
    assert Contract.objects.count() == 0


def test_the_entity_can_be_forced_and_a_wrong_one_is_a_header_error():
    report = import_billing_file(example("contracts.csv"), entity="meters")
    assert report.file_error and "нет обязательных колонок" in report.file_error
    assert import_billing_file(example("contracts.csv"), entity="contracts").ok


def _zip_junk():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "application/vnd.openxmlformats-officedocument.spreadsheetml"
                         ".sheet.main+xml")
        archive.writestr("_rels/.rels", "junk")
        archive.writestr("xl/workbook.xml", "<not-a-workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "Файл пустой"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "не является таблицей CSV"),
        ("billing_id;number\nкириллица".encode("cp1251"), "UTF-8"),
        (b"\n\n ; ;\n", "нет ни одной строки"),
        (b"foo;bar;baz\n1;2;3\n", "По заголовку не понять"),
        (b"billing_id;number;kind;customer_name;colour\n", "неизвестные колонки: colour"),
        (b"billing_id;number;kind;customer_name\n", "нет строк с данными"),
        (b'billing_id;number;kind;customer_name\n"' + b"x" * 200_000 + b"\n", "слишком длинная ячейка"),
        (_zip_junk(), "файл повреждён"),
    ],
    ids=["empty", "binary", "cp1251", "blank", "unknown-header", "extra-column", "header-only", "huge-cell",
         "broken-xlsx"],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_russian_message(data, expected):
    report = import_billing_file(io.BytesIO(data))
    assert not report.saved and not report.rows
    assert expected in report.file_error, report.file_error
    assert expected in report.summary()


def test_more_values_than_header_columns_are_refused():
    data = csv_file(SUPPLY_POINT_HEADER, [])
    data = io.BytesIO(data.getvalue() + "TP-1;LS-0001;г. Москва;15;LV;ПАО;лишнее\n".encode())
    import_billing_file(csv_file(CONTRACT_HEADER, [resident_row(1)]))
    report = import_billing_file(data)
    assert report.refused and "больше значений, чем колонок" in "; ".join(report.refused[0].reasons)


def test_person_inn_and_ip_inn_accepted():
    rows = [resident_row(1, inn=PERSON_INN), organisation_row(2, inn=PERSON_INN), organisation_row(3, inn=ORG_INN)]
    assert import_billing_file(csv_file(CONTRACT_HEADER, rows)).ok


def test_supply_points_and_meters_are_updated_in_place():
    load_examples()
    import_billing_file(csv_file(CONTRACT_HEADER, [organisation_row(7, inn=ORG_INN)]))
    points = [point_row(1, contract="DG-0007", max_power_kw="20,5", voltage="MV1", grid_company="Сети")]
    report = import_billing_file(csv_file(SUPPLY_POINT_HEADER, points))
    assert [r.outcome for r in report.rows] == [UPDATED]
    point = SupplyPoint.objects.get(billing_id="TP-0001")
    assert point.contract.billing_id == "DG-0007" and point.max_power_kw == Decimal("20.50")
    assert point.voltage == "MV1"
    meters = [meter_row(1, point="TP-0001", serial_number="10000001", zones="3", remote="да",
                        removed_on="01.01.2026", next_verification_on="")]  # fmt: skip
    meters[0]["billing_id"] = "PU-0001"
    report = import_billing_file(csv_file(METER_HEADER, meters))
    assert [r.outcome for r in report.rows] == [UPDATED], report.refused
    meter = Meter.objects.get(billing_id="PU-0001")
    assert (meter.zones, meter.remote, meter.next_verification_on) == (3, True, None)
    assert meter.removed_on.isoformat() == "2026-01-01"
    assert Meter.objects.get(billing_id="PU-0002").zones == 1  # untouched


def count_queries(data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        report = import_billing_file(data)
    assert report.ok, report.refused
    return len(queries)


@pytest.mark.parametrize("changed", [False, True])
def test_a_chunk_costs_the_same_queries_for_ten_rows_or_a_hundred(changed):
    small = count_queries(csv_file(CONTRACT_HEADER, [resident_row(n) for n in range(1, 11)]))
    # 50 rows: within one INSERT even on SQLite (999 parameters at most).
    large = count_queries(csv_file(CONTRACT_HEADER, [resident_row(n) for n in range(101, 151)]))
    assert small == large
    if changed:
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("SQLite's bulk_update splits by its parameter limit; PostgreSQL: one UPDATE per batch")
        rows = [resident_row(n, status="suspended") for n in range(101, 151)]
        assert count_queries(csv_file(CONTRACT_HEADER, rows)) <= large + 1
