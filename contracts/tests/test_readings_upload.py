"""An organisation's readings file: per-row report, all or nothing, never another customer's meters."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from contracts.models import Reading
from contracts.tests.factories import ReadingFactory, meter_of

pytestmark = pytest.mark.django_db

URL = "/contracts/readings/upload/"
EXAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "readings_examples"


@pytest.fixture(autouse=True)
def window_open(settings):
    settings.READINGS_WINDOW_FIRST_DAY, settings.READINGS_WINDOW_LAST_DAY = 1, 31


def _period():
    return timezone.localdate().replace(day=1)


def _previous():
    first = _period()
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def admin(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user


@pytest.fixture
def meters(organisation):
    one = meter_of(organisation=organisation, serial_number="01234567", zones=1)
    two = meter_of(organisation=organisation, serial_number="01234568", zones=2)
    three = meter_of(organisation=organisation, serial_number="01234569", zones=3)
    ReadingFactory(meter=two, period=_previous(), t1=8000, t2=3000)
    return one, two, three


def csv_file(text, name="readings.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="readings.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def upload(client, file):
    return client.post(URL, {"file": file})


def statuses(response):
    return {row.serial: (row.status, row.messages) for row in response.context["report"].rows}


def test_example_csv_is_accepted_whole(client, admin, meters):
    client.force_login(admin)
    response = upload(client, csv_file((EXAMPLES / "readings.csv").read_text(encoding="utf-8")))
    assert response.status_code == 200
    assert {s: st for s, (st, _m) in statuses(response).items()} == {
        "01234567": "accepted", "01234568": "accepted", "01234569": "accepted",
    }
    assert Reading.objects.filter(period=_period(), source=Reading.Source.UPLOAD).count() == 3
    reading = Reading.objects.get(meter=meters[2], period=_period())
    assert (reading.t1, reading.t2, reading.t3, reading.submitted_by) == (5400, 2100, 1800, admin)
    assert "Показания приняты по всем строкам файла: 3." in response.content.decode()


def test_example_xlsx_is_accepted_whole(client, admin, meters):
    client.force_login(admin)
    with open(EXAMPLES / "readings.xlsx", "rb") as handle:
        response = upload(client, SimpleUploadedFile("readings.xlsx", handle.read()))
    assert response.status_code == 200
    assert Reading.objects.filter(period=_period(), source=Reading.Source.UPLOAD).count() == 3


def test_xlsx_numbers_and_windows_1251_csv(client, admin, meters):
    client.force_login(admin)
    response = upload(client, xlsx_file([["01234568", 8100.0, 3100]]))
    assert statuses(response)["01234568"][0] == "accepted"
    response = upload(client, csv_file("Заводской номер,T1\n01234567,77\n", encoding="cp1251"))
    assert statuses(response)["01234567"][0] == "accepted"


def test_one_bad_row_saves_nothing_and_the_report_says_why(client, admin, meters):
    client.force_login(admin)
    other = meter_of(UserFactory(), serial_number="99999999")
    text = (
        "01234567;100\n"
        "01234568;7999;3000\n"  # lower than last month's T1
        "01234569;1;2\n"  # a three-zone meter with two values
        "99999999;5;5\n"  # another customer's meter
        "00000000;5\n"  # no such meter
        "01234567;101\n"  # twice in the file
        "01234570;1,5\n"
    )
    response = upload(client, csv_file(text))
    assert response.status_code == 400
    rows = statuses(response)
    lines = {row.line: (row.status, row.messages) for row in response.context["report"].rows}
    assert lines[1] == ("accepted", [])
    assert rows["01234568"][0] == "refused" and "T1: " in rows["01234568"][1][0] and "8000" in rows["01234568"][1][0]
    assert rows["01234569"][0] == "refused" and "T3: " in rows["01234569"][1][0]
    assert rows["99999999"] == ("refused", ["Счётчик не найден среди ваших."])
    assert rows["00000000"] == ("refused", ["Счётчик не найден среди ваших."])
    assert lines[6] == ("refused", ["Этот счётчик уже есть в строке 1."])
    assert lines[7][0] == "refused"
    report = response.context["report"]
    assert not report.saved
    assert not Reading.objects.filter(period=_period()).exists()
    assert not Reading.objects.filter(meter=other).exists()
    html = response.content.decode()
    assert "Ничего не сохранено" in html and "data-upload-report" in html


def test_member_without_permission_cannot_upload(client, organisation, meters):
    member = MembershipFactory(organisation=organisation).user
    client.force_login(member)
    assert client.get(URL).status_code == 404
    assert upload(client, csv_file("01234567;5\n")).status_code == 404


def test_allowed_member_uploads(client, organisation, meters):
    member = MembershipFactory(organisation=organisation, may_submit_readings=True).user
    client.force_login(member)
    assert client.get(URL).status_code == 200
    assert upload(client, csv_file("01234567;5\n")).status_code == 200


def test_another_organisations_administrator_sees_not_found(client, meters):
    outsider_org = OrganisationFactory()
    outsider = MembershipFactory(organisation=outsider_org, role=Membership.Role.ADMIN).user
    meter_of(organisation=outsider_org, serial_number="55555555", zones=1)
    client.force_login(outsider)
    response = upload(client, csv_file("01234567;5\n55555555;5\n"))
    assert statuses(response)["01234567"] == ("refused", ["Счётчик не найден среди ваших."])
    assert not Reading.objects.exists() or not Reading.objects.filter(period=_period()).exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "file",
    [
        SimpleUploadedFile("r.csv", b""),
        SimpleUploadedFile("r.csv", b"\x00\x01\x02garbage"),
        SimpleUploadedFile("r.xlsx", b"PK\x03\x04 not really a zip"),
        SimpleUploadedFile("r.pdf", b"%PDF-1.4 hello"),
        SimpleUploadedFile("r.txt", b"01234567;5"),
        SimpleUploadedFile("r.csv", b'"unclosed;1\n'),
        SimpleUploadedFile("r.csv", b"\n\n;;;\n"),
    ],
)
def test_junk_is_refused_beside_the_file_field_never_500(client, admin, meters, file):
    client.force_login(admin)
    response = upload(client, file)
    assert response.status_code in (200, 400)
    assert not Reading.objects.filter(period=_period()).exists()
    if response.context["report"] is None:
        assert response.context["form"].errors["file"]


def test_too_big_and_too_many_rows(client, admin, meters, settings):
    client.force_login(admin)
    settings.READINGS_UPLOAD_MAX_ROWS = 2
    response = upload(client, csv_file("01234567;5\n01234568;8001;3001\n01234569;1;1;1\n"))
    assert "больше 2 строк" in response.context["form"].errors["file"][0]
    settings.READINGS_UPLOAD_MAX_BYTES = 10
    response = upload(client, csv_file("01234567;5\n01234568;8001;3001\n"))
    assert response.context["form"].errors["file"][0].startswith("Файл больше")


def test_outside_the_window(client, admin, meters, settings):
    day = timezone.localdate().day
    settings.READINGS_WINDOW_FIRST_DAY, settings.READINGS_WINDOW_LAST_DAY = (1, day - 1) if day > 1 else (2, 31)
    client.force_login(admin)
    assert "data-window-closed" in client.get(URL).content.decode()
    response = upload(client, csv_file("01234567;5\n"))
    assert response.status_code == 400 and "Следующий приём" in response.context["form"].errors["file"][0]


def test_unusual_value_confirmed_by_the_comment_column(client, admin, meters):
    _one, two, _three = meters
    index = _previous().year * 12 + _previous().month - 2
    ReadingFactory(meter=two, period=date(index // 12, index % 12 + 1, 1), t1=7900, t2=2950)  # 150 kWh a month
    client.force_login(admin)
    response = upload(client, csv_file("01234568;9000;3000\n"))
    assert response.status_code == 400
    assert "поясните в комментарии" in statuses(response)["01234568"][1][0]
    response = upload(client, csv_file("01234568;9000;3000;;Запустили новый цех\n"))
    assert response.status_code == 200
    reading = Reading.objects.get(meter=two, period=_period())
    assert (reading.needs_review, reading.comment) == (True, "Запустили новый цех")
