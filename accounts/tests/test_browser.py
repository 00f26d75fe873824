"""The main journeys in a real browser, all in Russian.

The live server runs in this process with the locmem mail backend, so the
confirmation and invitation links are read from mail.outbox.
"""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Membership, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Ясное-утро-над-рекой-7"


@pytest.fixture(autouse=True)
def _consent_text():
    # Transactional tests start from empty tables: publish the text as its data migration does.
    migration = importlib.import_module("accounts.migrations.0003_consent_document_v1")
    migration.publish_v1(django_apps, None)


def _link(pattern):
    match = re.search(r"https?://\S+?" + pattern, mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def _fill_person(page, email):
    page.get_by_label("Фамилия").fill("Иванова")
    page.locator("#id_first_name").fill("Мария")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Телефон").fill("8 916 123-45-67")
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Пароль ещё раз").fill(PASSWORD)
    page.get_by_label("согласие на обработку моих персональных данных").check()


def _confirm_and_log_in(page, email):
    page.goto(_link(r"/accounts/email/confirm/[^/\s]+/"))
    page.get_by_role("button", name="Подтвердить почту").click()
    expect(page.get_by_text("Почта подтверждена")).to_be_visible()
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", level=1, name="Личный кабинет")).to_be_visible()


def test_resident_registers_confirms_and_sees_the_cabinet(live_server, page):
    page.goto(live_server.url + "/accounts/register/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.get_by_role("link", name="Зарегистрироваться как физическое лицо").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Регистрация физического лица")

    # A mistake first: the message appears next to the field, in Russian.
    _fill_person(page, "maria@example.ru")
    page.get_by_label("Пароль ещё раз").fill(PASSWORD + "!")
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.get_by_text("Пароли не совпадают.")).to_be_visible()
    assert not User.objects.exists()

    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Пароль ещё раз").fill(PASSWORD)
    page.get_by_label("согласие на обработку моих персональных данных").check()
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Осталось подтвердить почту")

    # Not before the email is confirmed.
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Электронная почта").fill("maria@example.ru")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_text("Сначала подтвердите электронную почту")).to_be_visible()

    _confirm_and_log_in(page, "maria@example.ru")
    expect(page.get_by_text("maria@example.ru").first).to_be_visible()
    expect(page.get_by_role("heading", name="Согласия на обработку персональных данных")).to_be_visible()


def test_organisation_registers_and_invites_a_colleague(live_server, page):
    page.goto(live_server.url + "/accounts/register/organisation/")
    page.get_by_label("Наименование организации").fill("ООО «Ромашка»")
    page.get_by_label("ИНН").fill("7707083893")
    page.get_by_label("КПП").fill("773601001")
    page.get_by_label("ОГРН").fill("1027700132195")
    page.get_by_label("Юридический адрес").fill("г. Москва, ул. Вавилова, д. 19")
    page.get_by_label("Контактное лицо").fill("Иванова Мария")
    page.get_by_label("Должность контактного лица").fill("главный энергетик")
    _fill_person(page, "boss@example.ru")
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Осталось подтвердить почту")
    _confirm_and_log_in(page, "boss@example.ru")

    page.get_by_role("link", name="ООО «Ромашка»").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ООО «Ромашка»")
    page.get_by_label("Электронная почта сотрудника").fill("colleague@example.ru")
    page.get_by_role("button", name="Отправить приглашение").click()
    expect(page.get_by_text("Приглашение отправлено на colleague@example.ru.")).to_be_visible()
    assert mail.outbox[-1].to == ["colleague@example.ru"]
    invitation_link = _link(r"/accounts/invitations/[^/\s]+/")

    # The colleague opens the link in their own browser and logs in.
    User.objects.create_user(
        "colleague@example.ru", PASSWORD, first_name="Пётр", email_confirmed_at="2026-01-01T00:00Z"
    )
    page.get_by_role("button", name="Выйти").click()
    page.goto(invitation_link)
    page.get_by_role("link", name="Войти").last.click()
    page.get_by_label("Электронная почта").fill("colleague@example.ru")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("button", name="Принять приглашение").click()
    expect(page.get_by_text("Вы присоединились к организации «ООО «Ромашка»».")).to_be_visible()
    assert Membership.objects.filter(user__email="colleague@example.ru", role="member").exists()
