"""Issue 12's «done when», end to end through the real entry points: a billing import, a new resident binding an
account from it and submitting readings, an organisation's administrator uploading a readings file for several
meters, and staff exporting the month for billing. (The browser tests walk the same pages in Chromium.)"""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory
from contracts.models import ContractBinding, Meter, Reading

from .factories_import import (
    CONTRACT_HEADER,
    METER_HEADER,
    ORG_INN,
    SUPPLY_POINT_HEADER,
    csv_file,
    meter_row,
    organisation_row,
    point_row,
    resident_row,
)

pytestmark = pytest.mark.django_db

RESIDENT_CODE, ORG_CODE = "K7M3PX9Q", "R4T8W2YB"


@pytest.fixture(autouse=True)
def window_open(settings):
    settings.READINGS_WINDOW_FIRST_DAY, settings.READINGS_WINDOW_LAST_DAY = 1, 31


@pytest.fixture
def imported(tmp_path):
    """The billing system's three files, imported by the command as an operator would run it."""
    files = {
        "contracts": (CONTRACT_HEADER, [
            resident_row(1, binding_code=RESIDENT_CODE),
            organisation_row(1, number="ЭС-2024/7", binding_code=ORG_CODE),
        ]),
        "supply_points": (SUPPLY_POINT_HEADER, [
            point_row(1, contract="LS-0001"),
            point_row(2, contract="DG-0001", max_power_kw="150"),
            point_row(3, contract="DG-0001", max_power_kw="90", address="г. Москва, Складская ул., д. 2"),
        ]),
        "meters": (METER_HEADER, [
            meter_row(1, point="TP-0001", serial_number="30000001", zones="2"),
            meter_row(2, point="TP-0002", serial_number="30000002", zones="1"),
            meter_row(3, point="TP-0003", serial_number="30000003", zones="2"),
        ]),
    }  # fmt: skip
    for name, (header, rows) in files.items():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(csv_file(header, rows).getvalue())
        call_command("import_billing", str(path), stdout=io.StringIO())
    assert Meter.objects.count() == 3


def test_a_new_resident_binds_an_imported_account_and_submits_readings(client, imported):
    resident = UserFactory()
    client.force_login(resident)
    page = client.get("/contracts/").content.decode()
    assert "Привязать лицевой счёт" in page  # nothing bound yet: the cabinet says how to start

    response = client.post("/contracts/bind/", {"number": "5000000001", "code": "k7m3 px9q"})
    assert response.status_code == 302
    binding = ContractBinding.objects.get(user=resident)
    assert binding.contract.number == "5000000001"

    meter = Meter.objects.get(serial_number="30000001")
    assert "30000001" in client.get(f"/contracts/{binding.contract.number}/").content.decode()
    response = client.post(f"/contracts/meters/{meter.pk}/readings/new/", {"t1": "1500", "t2": "700"})
    assert response.status_code == 302
    reading = Reading.objects.get(meter=meter, period=timezone.localdate().replace(day=1))
    assert (reading.t1, reading.t2, reading.submitted_by) == (1500, 700, resident)
    assert "1500" in client.get(response["Location"]).content.decode().replace("\xa0", "").replace(" ", "")


def test_an_organisation_uploads_readings_for_several_meters_and_staff_export_them(client, imported):
    organisation = OrganisationFactory(inn=ORG_INN)
    administrator = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    client.force_login(administrator)
    response = client.post(
        "/contracts/bind/", {"owner": str(organisation.pk), "number": "ЭС-2024/7", "code": ORG_CODE}
    )
    assert response.status_code == 302
    assert ContractBinding.objects.filter(organisation=organisation).count() == 1

    # One file for both meters and a row for a meter that is not the organisation's: refused, nothing saved.
    bad = "Заводской номер;T1;T2\n30000002;5200;\n30000003;8100;3900\n30000001;1;1\n"
    response = client.post("/contracts/readings/upload/", {"file": SimpleUploadedFile("r.csv", bad.encode())})
    report = {row.serial: row.status for row in response.context["report"].rows}
    assert report["30000002"] != report["30000001"]
    assert not Reading.objects.exists()

    good = "Заводской номер;T1;T2\n30000002;5200;\n30000003;8100;3900\n"
    response = client.post("/contracts/readings/upload/", {"file": SimpleUploadedFile("r.csv", good.encode())})
    assert "Показания приняты по всем строкам файла: 2." in response.content.decode()

    staff = StaffFactory()
    staff.user_permissions.add(Permission.objects.get(content_type__app_label="contracts", codename="view_reading"))
    client.force_login(staff)
    month = timezone.localdate().strftime("%Y-%m")
    response = client.get("/admin/contracts/reading/export/", {"month": month, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff")), delimiter=";"))
    assert sorted((row[0], row[3], row[4], row[5]) for row in rows[1:]) == [
        ("ЭС-2024/7", "30000002", "T1", "5200"),
        ("ЭС-2024/7", "30000003", "T1", "8100"),
        ("ЭС-2024/7", "30000003", "T2", "3900"),
    ]
