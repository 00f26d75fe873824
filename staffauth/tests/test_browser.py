"""A staff member's first login in a real browser: password, enrolment with the secret from the page,
recovery codes, then the admin."""

import base64

import pytest
from django_otp.oath import totp

from accounts.tests.factories import DEFAULT_PASSWORD, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_first_staff_login_enrols_in_the_browser(live_server, browser):
    page = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow").new_page()
    staff = StaffFactory(email="new.operator@example.ru")
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("input[name=username]", staff.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")
    assert page.url.startswith(live_server.url + "/staff/second-factor/setup/")
    page.get_by_role("heading", name="Подключите приложение-аутентификатор").wait_for()
    assert page.get_by_role("img").first.get_attribute("src").startswith("data:image/svg+xml;base64,")
    secret = page.locator("[data-totp-secret]").get_attribute("data-totp-secret")
    field = page.get_by_label("Код из приложения")
    assert field.get_attribute("autocomplete") == "one-time-code"
    field.fill(f"{totp(base64.b32decode(secret)):06d}")
    with page.expect_navigation():
        page.get_by_role("button", name="Подключить").click()
    assert page.locator("[data-recovery-code]").count() == 10
    with page.expect_navigation():
        page.get_by_role("link", name="Я сохранил коды, продолжить").click()
    assert page.url == live_server.url + "/admin/"
    page.get_by_role("heading", name="Рабочее место сотрудника").wait_for()
