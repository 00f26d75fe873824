"""The readings form in the cabinet: who reaches it, what it shows, what it says, how many queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from contracts.models import Reading
from contracts.tests.factories import ReadingFactory, meter_of

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def window_open(settings):
    settings.READINGS_WINDOW_FIRST_DAY, settings.READINGS_WINDOW_LAST_DAY = 1, 31


@pytest.fixture
def window_closed(settings):
    day = _today().day
    if day > 1:
        settings.READINGS_WINDOW_FIRST_DAY, settings.READINGS_WINDOW_LAST_DAY = 1, day - 1
    else:
        settings.READINGS_WINDOW_FIRST_DAY, settings.READINGS_WINDOW_LAST_DAY = 2, 31


def _previous_month():
    first = _today().replace(day=1)
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def meter(owner):
    m = meter_of(owner)
    ReadingFactory(meter=m, period=_previous_month(), t1=1000, t2=500)
    return m


def url(meter):
    return f"/contracts/meters/{meter.pk}/readings/new/"


# --- access ----------------------------------------------------------------------------------


def test_owner_sees_the_form_with_zones_and_previous_values(client, owner, meter, window_open):
    client.force_login(owner)
    response = client.get(url(meter))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"№ {meter.serial_number}" in html
    assert "T1 — день" in html and "07-23" in html
    assert "T2 — ночь" in html and "23-07" in html
    assert "Часы зоны: 07-23; прошлое показание: 1000 кВт·ч" in html
    assert 'name="t1"' in html and 'name="t2"' in html and 'name="t3"' not in html


def test_three_zone_meter_shows_peak_and_semi_peak_hours(client, owner, window_open):
    meter = meter_of(owner, zones=3)
    client.force_login(owner)
    html = client.get(url(meter)).content.decode()
    assert "T1 — пик" in html and "07-10,17-21" in html
    assert "T3 — полупик" in html and "10-17,21-23" in html


def test_stranger_gets_404(client, meter, window_open):
    client.force_login(UserFactory())
    assert client.get(url(meter)).status_code == 404
    assert client.post(url(meter), {"t1": "1100", "t2": "600"}).status_code == 404
    assert Reading.objects.filter(meter=meter).count() == 1


def test_other_organisations_member_gets_404(client, window_open):
    meter = meter_of(organisation=OrganisationFactory())
    outsider = MembershipFactory(role=Membership.Role.ADMIN).user
    client.force_login(outsider)
    assert client.get(url(meter)).status_code == 404


def test_anonymous_is_sent_to_login(client, meter):
    response = client.get(url(meter))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_unknown_meter_is_404(client, owner):
    client.force_login(owner)
    assert client.get("/contracts/meters/999999/readings/new/").status_code == 404


def test_member_without_permission_is_told_why(client, window_open):
    organisation = OrganisationFactory()
    meter = meter_of(organisation=organisation)
    member = MembershipFactory(organisation=organisation).user
    client.force_login(member)
    response = client.get(url(meter))
    assert response.status_code == 200
    assert "data-refusal" in response.content.decode()
    assert 'name="t1"' not in response.content.decode()
    assert client.post(url(meter), {"t1": "1", "t2": "1"}).status_code == 400
    assert not Reading.objects.filter(meter=meter).exists()


def test_allowed_member_sees_the_form_and_the_upload_link(client, window_open):
    organisation = OrganisationFactory()
    meter = meter_of(organisation=organisation)
    member = MembershipFactory(organisation=organisation, may_submit_readings=True).user
    client.force_login(member)
    html = client.get(url(meter)).content.decode()
    assert 'name="t1"' in html
    assert "/contracts/readings/upload/" in html


def test_remote_meter_page_explains(client, owner, window_open):
    meter = meter_of(owner, remote=True)
    client.force_login(owner)
    html = client.get(url(meter)).content.decode()
    assert "дистанционно" in html and 'name="t1"' not in html


# --- submitting ------------------------------------------------------------------------------


def test_submit_redirects_to_the_meter_page_with_a_message(client, owner, meter, window_open):
    client.force_login(owner)
    response = client.post(url(meter), {"t1": "1100", "t2": "550"})
    assert response.status_code == 302
    assert response["Location"] == f"/contracts/meters/{meter.pk}/"
    reading = Reading.objects.get(meter=meter, period=_today().replace(day=1))
    assert (reading.t1, reading.t2, reading.source, reading.submitted_by) == (1100, 550, "cabinet", owner)
    follow = client.get(response["Location"])
    assert follow.status_code == 200
    assert "приняты: T1 1100, T2 550 кВт·ч" in follow.content.decode()


def test_lower_value_is_refused_beside_its_field(client, owner, meter, window_open):
    client.force_login(owner)
    response = client.post(url(meter), {"t1": "1100", "t2": "450"})
    assert response.status_code == 400
    form = response.context["form"]
    assert "t2" in form.errors and "500 кВт·ч" in form.errors["t2"][0]
    assert "t1" not in form.errors
    assert 'value="1100"' in response.content.decode()


def test_junk_never_500(client, owner, meter, window_open):
    client.force_login(owner)
    for data in ({"t1": "x" * 5000}, {"t1": "\x00", "t2": "1"}, {}, {"t1": ["1", "2"]}):
        assert client.post(url(meter), data).status_code == 400


def test_outside_the_window_the_page_says_when_it_opens(client, owner, meter, window_closed):
    client.force_login(owner)
    response = client.get(url(meter))
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-window-closed" in html and "Следующий приём" in html
    assert 'name="t1"' not in html
    assert client.post(url(meter), {"t1": "1100", "t2": "550"}).status_code == 400
    assert Reading.objects.filter(meter=meter).count() == 1


def test_correction_prefills_and_replaces(client, owner, meter, window_open):
    client.force_login(owner)
    client.post(url(meter), {"t1": "1100", "t2": "550"})
    html = client.get(url(meter)).content.decode()
    assert "Исправить показания" in html and 'value="1100"' in html
    client.post(url(meter), {"t1": "1105", "t2": "551"})
    assert Reading.objects.get(meter=meter, period=_today().replace(day=1)).t1 == 1105


# --- queries ---------------------------------------------------------------------------------


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_form_runs_a_constant_number_of_queries(client, owner, window_open):
    """Session, user, the meter through access, the right to submit (2), zones, the last two readings,
    the bell — and the session's own writes; the same with 24 months of history."""
    meter = meter_of(owner)
    client.force_login(owner)
    client.get(url(meter))
    few = _queries(client, url(meter))
    first = _previous_month()
    for months_back in range(24):
        index = first.year * 12 + first.month - 1 - months_back
        ReadingFactory(meter=meter, period=date(index // 12, index % 12 + 1, 1), t1=10000 - months_back, t2=5000)
    assert _queries(client, url(meter)) == few
    assert few <= 12


def test_unusual_value_asks_for_a_comment_then_takes_it(client, owner, meter, window_open):
    earlier = _previous_month()
    index = earlier.year * 12 + earlier.month - 2
    ReadingFactory(meter=meter, period=date(index // 12, index % 12 + 1, 1), t1=900, t2=450)  # 150 kWh a month
    client.force_login(owner)
    response = client.post(url(meter), {"t1": "3000", "t2": "600"})
    assert response.status_code == 400
    assert "поясните в комментарии" in response.context["form"].errors["comment"][0]
    response = client.post(url(meter), {"t1": "3000", "t2": "600", "comment": "Сушили дом после потопа"})
    assert response.status_code == 302
    assert Reading.objects.get(meter=meter, period=_today().replace(day=1)).needs_review


def test_a_huge_meter_id_is_404_not_500(client, owner):
    client.force_login(owner)
    assert client.get("/contracts/meters/99999999999999999999/readings/new/").status_code == 404


def test_contract_list_says_whether_the_window_is_open_and_links_the_upload(client, owner, meter, window_open):
    client.force_login(owner)
    html = client.get("/contracts/").content.decode()
    assert "Приём показаний за" in html and "/contracts/readings/upload/" not in html
    organisation = OrganisationFactory()
    meter_of(organisation=organisation)
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    client.force_login(admin)
    assert "/contracts/readings/upload/" in client.get("/contracts/").content.decode()


def test_contract_list_outside_the_window(client, owner, meter, window_closed):
    client.force_login(owner)
    assert "Следующий приём" in client.get("/contracts/").content.decode()
