"""The operator's queue on a 1280-px screen: the deadline columns come first and fit, nothing scrolls
sideways, and a 2-hour power-quality complaint shows its hours left at the top of the list."""

import pytest

from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from appeals.models import Appeal
from appeals.tests.conftest import OPERATOR_PERMISSIONS, _staff_with
from appeals.tests.factories import submit
from appeals.tests.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_queue_at_1280_px(seeded_deadlines, live_server, browser):
    supervisor = _staff_with(*OPERATOR_PERMISSIONS, "view_all_appeals", email="supervisor@example.ru")
    resident = UserFactory(email="resident@example.ru")
    organisation = OrganisationFactory(name="Общество с ограниченной ответственностью «Управляющая компания "
                                            "Северо-Западного жилищного района»")
    MembershipFactory(user=resident, organisation=organisation)
    for i in range(8):
        submit(resident, now=None, kind=Appeal.Kind.COMPLAINT, topic=Appeal.Topic.CONNECTION,
               organisation=organisation if i % 2 else None,
               subject="Не пришёл ответ сетевой организации по заявке на технологическое присоединение")
    urgent = submit(resident, now=None, kind=Appeal.Kind.COMPLAINT, topic=Appeal.Topic.POWER_QUALITY,
                    subject="Напряжение 160 В, мигает свет")
    assert urgent.deadline_rule.unit == "hours"

    page = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow",
                               viewport={"width": 1280, "height": 800}).new_page()
    log_in(page, live_server.url, supervisor.email, admin=True)
    page.goto(live_server.url + "/admin/appeals/appeal/")
    headers = page.locator("#result_list thead th")
    names = [t.strip() for t in headers.all_inner_texts()]
    # The most urgent information first: time left, then the due date.
    assert names[0].lower().startswith("осталось") and names[1].lower().startswith("срок ответа"), names
    for index in (0, 1):
        box = headers.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1280, (names[index], box)
    last = headers.nth(len(names) - 1).bounding_box()
    assert last["x"] + last["width"] <= 1280, (names[-1], last)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    results = page.locator("#changelist .results")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth")

    # The most urgent appeal first; its badge counts hours, and it is visible.
    first_row = page.locator("#result_list tbody tr").first
    assert urgent.number in first_row.inner_text()
    badge = first_row.locator("[data-time-left]")
    assert badge.is_visible()
    text = badge.inner_text()
    assert "ч" in text and "раб" not in text, text
    box = badge.bounding_box()
    assert box["width"] > 0 and box["x"] + box["width"] <= 1280
