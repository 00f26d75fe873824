"""In a real browser, on a 360-px phone: the demo resident sees the debt, pays it with the development provider,
gets the receipt, and downloads the bill."""

from pathlib import Path

import pytest
from django.core.management import call_command

from billing.models import OnlinePayment
from contracts.demo import RESIDENT_ACCOUNT
from notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_demo_resident_pays_the_debt_and_downloads_the_bill(seeded_database, live_server, browser, settings,
                                                                capsys):  # fmt: skip
    settings.DEBUG = True
    call_command("seed_demo")
    settings.DEBUG = False
    capsys.readouterr()
    base = live_server.url
    settings.SITE_URL = base
    page = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow",
                               viewport={"width": 360, "height": 740}).new_page()  # fmt: skip
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", "resident@demo.example")
    page.fill("input[name=password]", "Demo-Resident-2026")
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")

    page.goto(base + "/cabinet/")
    section = page.locator("[data-cabinet-billing]")
    section.get_by_role("link", name=f"Лицевой счёт № {RESIDENT_ACCOUNT['number']}").click()
    debt = page.locator('[data-balance="debt"]')
    debt.wait_for()
    assert "Долг" in debt.inner_text()
    page.locator("[data-chart][data-chart-ready=true]").wait_for()

    with page.expect_download() as download:
        page.locator("[data-document]").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"

    page.get_by_role("link", name="Оплатить").click()
    amount = page.get_by_label("Сумма, руб.")
    assert amount.input_value()  # the debt is offered
    page.get_by_role("button", name="Перейти к оплате").click()
    page.get_by_role("heading", name="Тестовый платёжный сервис").wait_for()
    page.get_by_role("button", name="Оплата прошла").click()
    page.locator('[data-payment-status="succeeded"]').wait_for()

    payment = OnlinePayment.objects.get()
    assert payment.status == OnlinePayment.Status.SUCCEEDED
    assert Notification.objects.filter(event="billing.payment_succeeded", recipient=payment.user,
                                       channel="email").count() == 1  # fmt: skip
