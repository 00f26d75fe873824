"""In a real browser: a resident with a bound two-zone meter submits day and night readings inside the
window, then is refused a lower value with a clear message beside the field."""

from datetime import date

import pytest
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from contracts.models import Reading
from contracts.tests.factories import ReadingFactory, meter_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")


def test_resident_submits_day_and_night_then_a_lower_value_is_refused(seeded_database, live_server, browser, settings):
    settings.READINGS_WINDOW_FIRST_DAY, settings.READINGS_WINDOW_LAST_DAY = 1, 31  # the window is open today
    resident = UserFactory(email="resident@example.ru")
    meter = meter_of(resident, zones=2, serial_number="04812345")
    period = timezone.localdate().replace(day=1)
    previous = date(period.year - (period.month == 1), (period.month - 2) % 12 + 1, 1)
    ReadingFactory(meter=meter, period=previous, t1=12000, t2=4000)
    base = live_server.url

    phone = {"width": 360, "height": 740}
    page = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow", viewport=phone).new_page()
    log_in(page, base, resident.email)
    page.goto(f"{base}/contracts/meters/{meter.pk}/readings/new/")
    page.get_by_role("heading", name="Показания счётчика № 04812345").wait_for()
    page.get_by_label("T1 — день, кВт·ч").fill("12150")
    page.get_by_label("T2 — ночь, кВт·ч").fill("4060")
    page.get_by_role("button", name="Передать показания").click()
    page.get_by_text("приняты: T1 12150, T2 4060 кВт·ч").wait_for()
    reading = Reading.objects.get(meter=meter, period=period)
    assert (reading.t1, reading.t2, reading.source) == (12150, 4060, "cabinet")

    assert page.url == f"{base}/contracts/meters/{meter.pk}/"  # the meter's page, with the message

    page.goto(f"{base}/contracts/meters/{meter.pk}/readings/new/")
    page.get_by_label("T2 — ночь, кВт·ч").fill("3999")
    page.get_by_role("button", name="Исправить показания").click()
    message = page.locator("#id_t2").locator("xpath=..").get_by_text("Показание меньше предыдущего принятого")
    message.wait_for()
    assert "4000 кВт·ч" in message.inner_text()
    assert Reading.objects.get(meter=meter, period=period).t2 == 4060
