"""In a real browser: the bell shows the acknowledgement, the inbox opens its link, preferences save."""

import re

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from notifications import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    # Delivery by workers is tested elsewhere; here only the inbox matters.
    monkeypatch.setattr(services, "enqueue_delivery", lambda ids: None)


def test_the_bell_leads_to_the_acknowledgement_and_preferences_save(live_server, page):
    resident = UserFactory(email="resident@example.ru", first_name="Анна")
    # The acknowledgement as appeals/notifying.py writes it. Not filed through the appeals
    # service: the deadline rules it needs are migration data, which transactional tests
    # earlier in the run flush away (serialized rollback is not restored under `page`).
    number = "2026-000001"
    services.notify(
        recipient=resident,
        event="appeals.registered",
        context={"number": number, "subject": "Перерасчёт", "kind": "запрос информации",
                 "registered_date": "02.03.2026", "due_date": "01.04.2026", "has_account": True},
        dedup_key="browser:ack",
        link="/cabinet/",
    )
    base = live_server.url

    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", resident.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")

    bell = page.get_by_role("link", name="Уведомления, непрочитанных: 1")
    bell.click()
    page.get_by_role("heading", name="Уведомления", level=1).wait_for()
    item = page.get_by_role("heading", name=f"Обращение № {number} зарегистрировано")
    assert item.is_visible()
    page.get_by_role("button", name=re.compile(rf"^Открыть\W+Обращение № {number} зарегистрировано")).click()
    page.wait_for_url("**/cabinet/")
    assert page.get_by_role("link", name="Уведомления: новых нет").count() == 1

    page.goto(base + "/notifications/preferences/")
    def checkbox(event, channel):
        return page.get_by_role("group", name=event).get_by_role("checkbox", name=channel, exact=True)

    locked = checkbox("Обращение зарегистрировано: номер и срок ответа", "электронная почта")
    assert locked.is_checked() and locked.is_disabled()
    status_email = checkbox("Изменился статус обращения", "электронная почта")
    assert not status_email.is_checked()
    status_email.check()
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Настройки уведомлений сохранены.").wait_for()
    assert checkbox("Изменился статус обращения", "электронная почта").is_checked()
