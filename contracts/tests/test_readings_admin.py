"""Readings in the admin: the list, staff's entry through the service, the meter's history, the export."""

import csv
import io
from datetime import date, datetime

import pytest
from django.contrib.auth.models import Permission
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from accounts.tests.factories import StaffFactory, UserFactory
from contracts.admin_readings import stream_csv
from contracts.models import Reading
from contracts.tests.factories import ReadingFactory, meter_of

pytestmark = pytest.mark.django_db

EXPORT = "/admin/contracts/reading/export/"
DEC = date(2026, 12, 1)


def _staff(*codenames):
    user = StaffFactory()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="contracts", codename__in=codenames))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def readings():
    one = meter_of(UserFactory(), zones=1, serial_number="A-1")
    three = meter_of(UserFactory(), zones=3, serial_number="B-3")
    ReadingFactory(meter=one, period=DEC, t1=111, source=Reading.Source.CABINET)
    ReadingFactory(meter=three, period=DEC, t1=301, t2=302, t3=303, source=Reading.Source.UPLOAD)
    ReadingFactory(meter=three, period=date(2026, 11, 1), t1=1, t2=2, t3=3)  # another month: not exported
    return one, three


def _csv_rows(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_csv_export_one_row_per_meter_and_zone_streamed(client, readings):
    client.force_login(_staff("view_reading"))
    response = client.get(EXPORT, {"month": "2026-12", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="readings-2026-12.csv"'
    rows = _csv_rows(response)
    one, _three = readings
    assert rows[0][:6] == [
        "Договор / лицевой счёт", "Код договора в биллинге", "Код счётчика в биллинге", "Заводской номер", "Зона",
        "Показание, кВт·ч",
    ]
    body = [(r[3], r[4], r[5], r[7]) for r in rows[1:]]
    assert sorted(body) == [
        ("A-1", "T1", "111", "личный кабинет"),
        ("B-3", "T1", "301", "файл из личного кабинета"),
        ("B-3", "T2", "302", "файл из личного кабинета"),
        ("B-3", "T3", "303", "файл из личного кабинета"),
    ]
    contract = one.supply_point.contract
    assert [r[:3] for r in rows[1:] if r[3] == "A-1"] == [[contract.number, contract.billing_id, one.billing_id]]


def test_csv_is_a_generator_reading_in_chunks(readings, monkeypatch):
    import contracts.admin_readings as module

    monkeypatch.setattr(module, "EXPORT_CHUNK", 1)
    stream = stream_csv(DEC)
    assert not isinstance(stream, list | tuple)
    chunks = list(stream)
    assert len(chunks) == 5  # the header, then one chunk per zone row


def test_xlsx_export(client, readings):
    client.force_login(_staff("view_reading"))
    response = client.get(EXPORT, {"month": "2026-12", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][3:6] == ("Заводской номер", "Зона", "Показание, кВт·ч")
    assert sorted((r[3], r[4], r[5]) for r in rows[1:]) == [
        ("A-1", "T1", 111), ("B-3", "T1", 301), ("B-3", "T2", 302), ("B-3", "T3", 303),
    ]
    assert workbook.sheetnames == ["2026-12"]
    assert all(isinstance(r[6], datetime) for r in rows[1:])  # a date Excel sorts, not text


def test_export_form_and_bad_month(client, readings):
    client.force_login(_staff("view_reading"))
    assert client.get(EXPORT).status_code == 200
    response = client.get(EXPORT, {"month": "2026-13", "format": "csv"})
    assert response.status_code == 400
    assert "ГГГГ-ММ" in response.content.decode()
    assert client.get(EXPORT, {"month": "x" * 500, "format": "pdf"}).status_code == 400


def test_export_needs_the_view_permission(client, readings):
    client.force_login(_staff())
    assert client.get(EXPORT, {"month": "2026-12", "format": "csv"}).status_code == 403
    client.force_login(UserFactory())
    assert client.get(EXPORT).status_code == 302


def test_changelist_filters_and_search(client, readings):
    client.force_login(_staff("view_reading"))
    base = "/admin/contracts/reading/"
    assert client.get(base).status_code == 200
    response = client.get(base, {"month": "2026-11"})
    assert response.status_code == 200 and list(response.context["cl"].result_list) == [
        Reading.objects.get(period=date(2026, 11, 1))
    ]
    response = client.get(base, {"q": "A-1"})
    assert [r.meter.serial_number for r in response.context["cl"].result_list] == ["A-1"]
    assert client.get(base, {"source__exact": "upload"}).status_code == 200
    assert client.get(base, {"month": "junk"}).status_code == 200


def test_staff_entry_goes_through_the_service(client, readings):
    _one, three = readings
    client.force_login(_staff("view_reading", "add_reading"))
    add = "/admin/contracts/reading/add/"
    assert client.get(add).status_code == 200
    # Lower than November's: refused beside the field, whatever the window.
    response = client.post(add, {"serial_number": "B-3", "month": "2026-12", "t1": "301", "t2": "1", "t3": "303"})
    assert response.status_code == 200
    assert "t2" in response.context["form"].errors
    assert Reading.objects.get(meter=three, period=DEC).t2 == 302
    response = client.post(add, {"serial_number": "B-3", "month": "2026-12", "t1": "310", "t2": "320", "t3": "330"})
    assert response.status_code == 302
    reading = Reading.objects.get(meter=three, period=DEC)
    assert (reading.t1, reading.t2, reading.t3, reading.source) == (310, 320, 330, Reading.Source.STAFF)
    response = client.post(add, {"serial_number": "NOPE", "t1": "1"})
    assert response.status_code == 200 and "serial_number" in response.context["form"].errors


def test_staff_entry_refuses_a_lower_value_beside_its_field(client, readings):
    client.force_login(_staff("view_reading", "add_reading"))
    response = client.post(
        "/admin/contracts/reading/add/",
        {"serial_number": "B-3", "month": "2027-01", "t1": "301", "t2": "1", "t3": "303"},
    )
    assert response.context["form"].errors["t2"][0].startswith("Показание меньше предыдущего принятого: 302")


def test_meter_page_shows_the_history_read_only(client, readings):
    _one, three = readings
    client.force_login(_staff("view_meter", "view_reading"))
    response = client.get(f"/admin/contracts/meter/{three.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "303" in html and "302" in html
    assert 'name="readings-0-t1"' not in html


def test_staff_mark_reviewed(client, readings):
    _one, three = readings
    Reading.objects.filter(meter=three, period=DEC).update(needs_review=True, comment="Новый цех")
    client.force_login(_staff("view_reading", "add_reading"))
    base = "/admin/contracts/reading/"
    response = client.get(base, {"needs_review__exact": "1"})
    assert [r.meter_id for r in response.context["cl"].result_list] == [three.pk]
    pk = Reading.objects.get(meter=three, period=DEC).pk
    response = client.post(base, {"action": "mark_reviewed", "_selected_action": [pk]})
    assert response.status_code == 302
    assert not Reading.objects.get(pk=pk).needs_review
