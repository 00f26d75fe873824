"""In a real browser on a 360-px phone: a resident binds their account and sees the meter's chart."""

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from contracts.models import ContractBinding
from contracts.tests.factories import CODE, add_readings, contract_with_meter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 360, "height": 740}


def test_resident_binds_an_account_and_sees_the_chart_on_a_phone(seeded_database, live_server, browser):
    resident = UserFactory(email="resident@example.ru", first_name="Анна", last_name="Смирнова")
    contract = contract_with_meter(number="1234567890")
    meter = contract.supply_points.get().meters.get()
    add_readings(meter, 18)
    base = live_server.url

    page = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow", viewport=PHONE).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Every script and style the pages load is our own and present (the favicon is not asked of us here).
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", resident.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")

    page.goto(base + "/cabinet/")
    page.get_by_role("link", name="Привязать лицевой счёт").click()
    page.get_by_label("Номер лицевого счёта").fill("123 456 7890")
    page.get_by_label("Код привязки").fill("AAAA1111")
    page.get_by_role("button", name="Привязать", exact=True).click()
    page.get_by_text("номер или код привязки не подходят").wait_for()

    page.get_by_label("Код привязки").fill(CODE.lower())
    page.get_by_role("button", name="Привязать", exact=True).click()
    page.get_by_text("Лицевой счёт № 1234567890 привязан.").wait_for()
    assert ContractBinding.objects.get(contract=contract).user == resident

    page.get_by_role("link", name=f"История и график счётчика № {meter.serial_number}").click()
    page.locator("[data-chart][data-chart-ready=true]").wait_for()
    chart = page.locator("#consumption-chart")
    box = chart.bounding_box()
    assert box["width"] > 200 and box["x"] + box["width"] <= PHONE["width"]
    assert "17 месяцев" in page.locator("#chart-summary").inner_text()
    # The table stays for screen readers; nothing makes the page scroll sideways on the phone.
    assert page.locator("table[data-history] tbody tr").count() == 18
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not errors, errors
