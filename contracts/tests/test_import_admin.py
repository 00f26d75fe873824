"""The contracts admin: the import page (permission, report, bad files), a new binding code shown once,
zone hours validated, staff roles."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import roles
from accounts.tests.factories import StaffFactory
from contracts import codes
from contracts.imports import import_billing_file
from contracts.models import Contract, Meter, TariffZone

from .factories_import import CONTRACT_HEADER, EXAMPLES, csv_file, example, resident_row, xlsx_file

pytestmark = pytest.mark.django_db
IMPORT_URL = "admin:contracts_contract_import"


def staff_in(group_name):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def administrator_client(client):
    client.force_login(staff_in(roles.ADMINISTRATORS))
    return client


@pytest.fixture
def operator_client(client):
    client.force_login(staff_in(roles.OPERATORS))
    return client


def upload(client, name, data, **extra):
    return client.post(reverse(IMPORT_URL), {"file": SimpleUploadedFile(name, data), **extra})


def test_administrators_see_the_import_link_and_operators_neither_link_nor_page(administrator_client, client):
    page = administrator_client.get(reverse("admin:contracts_contract_changelist"))
    assert page.status_code == 200
    assert reverse(IMPORT_URL) in page.content.decode()
    assert "Импорт из биллинга" in administrator_client.get(reverse(IMPORT_URL)).content.decode()
    operator = staff_in(roles.OPERATORS)
    client.force_login(operator)
    page = client.get(reverse("admin:contracts_contract_changelist"))
    assert page.status_code == 200 and reverse(IMPORT_URL) not in page.content.decode()
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert upload(client, "contracts.csv", example("contracts.csv").getvalue()).status_code == 403
    assert Contract.objects.count() == 0


def test_the_roles_map_gives_operators_view_and_administrators_edit():
    operator, administrator = staff_in(roles.OPERATORS), staff_in(roles.ADMINISTRATORS)
    assert operator.has_perm("contracts.view_contract") and operator.has_perm("contracts.view_meter")
    assert not operator.has_perm("contracts.change_contract") and not operator.has_perm("contracts.import_billing")
    assert administrator.has_perm("contracts.change_meter") and administrator.has_perm("contracts.import_billing")
    assert administrator.has_perm("contracts.change_tariffzone")


def test_a_good_file_imports_and_the_result_page_reports(administrator_client):
    response = upload(administrator_client, "contracts.csv", example("contracts.csv").getvalue())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Файл загружен" in body and "создано: 4" in body
    assert Contract.objects.count() == 4


def test_an_xlsx_file_dry_run(administrator_client):
    data = xlsx_file(CONTRACT_HEADER, [resident_row(1)]).getvalue()
    response = upload(administrator_client, "contracts.xlsx", data, dry_run="on", entity="contracts")
    assert "Проверка без сохранения" in response.content.decode()
    assert Contract.objects.count() == 0


def test_refused_rows_are_listed_capped_with_totals(administrator_client, monkeypatch):
    from contracts import admin as contracts_admin

    monkeypatch.setattr(contracts_admin, "REFUSED_ROWS_SHOWN", 3)
    rows = [resident_row(n, tariff="bad") for n in range(1, 6)]
    response = upload(administrator_client, "contracts.csv", csv_file(CONTRACT_HEADER, rows).getvalue())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ничего не сохранено" in body and "Показаны первые 3 из 5 отклонённых строк" in body
    assert body.count("неизвестный тариф") == 3
    assert Contract.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("junk.csv", bytes(range(256)) * 10, "не является таблицей"),
        ("empty.csv", b"", "пуст"),
        ("wrong.csv", b"a;b;c\n1;2;3\n", "По заголовку не понять"),
        ("fake.xlsx", b"billing_id;number\n1;2\n", "не является книгой Excel"),
        ("program.exe", b"MZ\x90\x00", "похож на программу"),
        ("contracts.pdf", b"%PDF-1.4\n", "Загрузите файл CSV или XLSX"),
        ("huge.csv", b'billing_id;number;kind;customer_name\n"' + b"x" * 150_000, "слишком длинная ячейка"),
    ],
)
def test_a_bad_file_gets_a_russian_message_beside_the_field_never_a_500(administrator_client, name, data, expected):
    response = upload(administrator_client, name, data)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert Contract.objects.count() == 0


def test_too_big_a_file_is_refused_before_reading(administrator_client, monkeypatch):
    from contracts import admin_forms

    monkeypatch.setattr(admin_forms, "MAX_FILE_BYTES", 10)
    response = upload(administrator_client, "contracts.csv", example("contracts.csv").getvalue())
    assert "больше" in response.content.decode() and Contract.objects.count() == 0


# --- a new binding code ---------------------------------------------------------------------


def test_the_new_code_button_shows_a_code_once_and_it_works(administrator_client):
    import_billing_file(example("contracts.csv"))
    contract = Contract.objects.get(billing_id="LS-0001")
    change = administrator_client.get(reverse("admin:contracts_contract_change", args=[contract.pk]))
    url = reverse("admin:contracts_contract_new_code", args=[contract.pk])
    assert url in change.content.decode()
    confirm = administrator_client.get(url)
    assert confirm.status_code == 200
    contract.refresh_from_db()
    assert codes.binding_code_matches(contract, "K7M3PX9Q")  # a GET changes nothing
    response = administrator_client.post(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    code = response.context["issued"][0][1]
    assert code in response.content.decode()
    contract.refresh_from_db()
    assert codes.binding_code_matches(contract, code) and not codes.binding_code_matches(contract, "K7M3PX9Q")
    assert code not in contract.binding_code
    # Shown once: the change page never shows it again.
    again = administrator_client.get(reverse("admin:contracts_contract_change", args=[contract.pk]))
    assert code not in again.content.decode()


def test_the_action_issues_codes_for_the_selected_contracts(administrator_client):
    import_billing_file(example("contracts.csv"))
    ids = list(Contract.objects.filter(kind="residential").values_list("pk", flat=True))
    response = administrator_client.post(
        reverse("admin:contracts_contract_changelist"),
        {"action": "issue_binding_codes", "_selected_action": ids},
    )
    assert response.status_code == 200
    issued = response.context["issued"]
    assert len(issued) == 2
    for contract, code in issued:
        contract.refresh_from_db()
        assert codes.binding_code_matches(contract, code)


def test_operators_cannot_issue_codes(operator_client):
    import_billing_file(example("contracts.csv"))
    contract = Contract.objects.get(billing_id="LS-0001")
    assert operator_client.post(reverse("admin:contracts_contract_new_code", args=[contract.pk])).status_code == 403
    contract.refresh_from_db()
    assert codes.binding_code_matches(contract, "K7M3PX9Q")


# --- zone hours, records typed by staff -------------------------------------------------------


def zone_post(zone, hours):
    return {"name": zone.name, "hours": hours}


@pytest.mark.parametrize(
    ("hours", "error"),
    [
        ("7-10", "«07-10,17-21»"),
        ("07-10;17-21", "«07-10,17-21»"),
        ("07-25", "вне суток"),
        ("24-07", "вне суток"),
        ("10-10", "пустой"),
        ("", "Обязательное поле"),
    ],
)
def test_zone_hours_are_validated(administrator_client, hours, error):
    zone = TariffZone.objects.get(tariff="three_zone", code="T1")
    url = reverse("admin:contracts_tariffzone_change", args=[zone.pk])
    response = administrator_client.post(url, zone_post(zone, hours))
    assert response.status_code == 200
    assert error in response.content.decode()
    zone.refresh_from_db()
    assert zone.hours == "07-10,17-21"


def test_zone_hours_are_saved_normalised(administrator_client):
    zone = TariffZone.objects.get(tariff="three_zone", code="T1")
    url = reverse("admin:contracts_tariffzone_change", args=[zone.pk])
    response = administrator_client.post(url, zone_post(zone, "08-11, 17-20"))
    assert response.status_code == 302
    zone.refresh_from_db()
    assert zone.hours == "08-11,17-20"
    assert administrator_client.get(reverse("admin:contracts_tariffzone_add")).status_code == 403


def test_staff_create_a_contract_with_the_import_rules(administrator_client):
    url = reverse("admin:contracts_contract_add")
    data = {
        "billing_id": "LS-9", "number": "12", "kind": "residential", "status": "active",
        "customer_name": "Иванов Иван", "inn": "", "address": "", "tariff": "", "price_category": "",
        "supply_points-TOTAL_FORMS": "0", "supply_points-INITIAL_FORMS": "0",
        "bindings-TOTAL_FORMS": "0", "bindings-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = administrator_client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "не соответствует формату" in body and "укажите тариф" in body
    data.update(number="5000000009", tariff="single")
    response = administrator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    contract = Contract.objects.get(billing_id="LS-9")
    assert contract.customer_kind == "person"


def test_meter_list_filters_and_search(administrator_client):
    for name in ("contracts.csv", "supply_points.csv", "meters.csv"):
        import_billing_file(example(name))
    url = reverse("admin:contracts_meter_changelist")
    for query in ({"q": "10000001"}, {"verification": "soon"}, {"verification": "overdue"}, {"zones": "3"},
                  {"remote__exact": "1"}, {"in_service": "yes"}):
        assert administrator_client.get(url, query).status_code == 200
    page = administrator_client.get(url, {"q": "10000001"})
    assert page.context["cl"].result_count == 1
    meter = Meter.objects.get(serial_number="10000001")
    assert administrator_client.get(reverse("admin:contracts_meter_change", args=[meter.pk])).status_code == 200
    for name in ("supplypoint", "bindingattempt", "tariffzone", "contract"):
        assert administrator_client.get(reverse(f"admin:contracts_{name}_changelist")).status_code == 200
    assert io  # keep the import for the helpers above
    assert EXAMPLES.exists()


@pytest.mark.parametrize("model", ["contract", "supplypoint", "meter"])
def test_admin_lists_cost_the_same_queries_whatever_the_rows(administrator_client, model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories_import import METER_HEADER, SUPPLY_POINT_HEADER, meter_row, point_row

    def load(first, last):
        import_billing_file(csv_file(CONTRACT_HEADER, [resident_row(n) for n in range(first, last)]))
        points = [point_row(n, contract=f"LS-{n:04d}") for n in range(first, last)]
        import_billing_file(csv_file(SUPPLY_POINT_HEADER, points))
        meters = [meter_row(n, point=f"TP-{n:04d}") for n in range(first, last)]
        assert import_billing_file(csv_file(METER_HEADER, meters)).ok

    url = reverse(f"admin:contracts_{model}_changelist")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert administrator_client.get(url).status_code == 200
        return len(captured)

    load(1, 3)
    few = queries()
    load(3, 30)
    assert queries() == few


def test_staff_corrections_keep_the_import_rules_for_points_and_meters(administrator_client):
    for name in ("contracts.csv", "supply_points.csv", "meters.csv"):
        import_billing_file(example(name))
    point = Meter.objects.get(serial_number="10000001").supply_point
    response = administrator_client.post(
        reverse("admin:contracts_supplypoint_change", args=[point.pk]),
        {"billing_id": point.billing_id, "contract": point.contract_id, "address": point.address,
         "max_power_kw": "-5", "voltage": "LV", "grid_company": ""},
    )  # fmt: skip
    assert response.status_code == 200 and "не может быть отрицательной" in response.content.decode()
    meter = Meter.objects.get(serial_number="10000001")  # on a two-zone personal account
    data = {"billing_id": meter.billing_id, "supply_point": meter.supply_point_id, "serial_number": "10000001",
            "model": "", "zones": "3", "installed_on": "", "next_verification_on": "", "removed_on": "",
            "replaced_by": meter.pk}  # fmt: skip
    response = administrator_client.post(reverse("admin:contracts_meter_change", args=[meter.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "на 2 зон(ы)" in body and "сам на себя" in body and "укажите дату снятия" in body
    data.update(zones="2", replaced_by="")
    response = administrator_client.post(reverse("admin:contracts_meter_change", args=[meter.pk]), data)
    assert response.status_code == 302
