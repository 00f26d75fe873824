"""The supervisor's journey: last month's figures, into a late appeal, a decision recorded and done, the XLSX."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.tests.factories import UserFactory
from appeals import access, services
from appeals.models import Appeal, AppealDecision
from appeals.tests.factories import submit
from appeals.tests.test_browser import log_in
from monitoring.tests.conftest import OPERATOR_PERMISSIONS, staff_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_supervisor_opens_last_month_drills_into_a_late_appeal_and_downloads_xlsx(seeded_database, live_server,
                                                                                  browser):
    tz = timezone.get_default_timezone()
    first_of_month = timezone.localdate().replace(day=1)
    last_month = (first_of_month - timedelta(days=1)).replace(day=1)
    operator = staff_with(*(f"appeals.{p}" for p in OPERATOR_PERMISSIONS), email="operator@example.ru",
                          last_name="Иванова")
    supervisor = staff_with(*(f"appeals.{p}" for p in OPERATOR_PERMISSIONS), "appeals.view_all_appeals",
                            "monitoring.view_dashboard", email="supervisor@example.ru")
    resident = UserFactory(email="resident@example.ru")
    filed = datetime.combine(last_month + timedelta(days=1), time(10), tzinfo=tz)
    late = submit(resident, now=filed, kind=Appeal.Kind.CLAIM, topic=Appeal.Topic.METERING,
                  subject="Счётчик показывает лишнее")
    services.appeal_assign(late.pk, assignee=operator, actor=operator, now=filed)
    services.appeal_transition(late.pk, to=Appeal.Status.IN_PROGRESS, actor=operator, as_role=access.STAFF, now=filed)
    late.refresh_from_db()
    services.appeal_answer(late.pk, actor=operator, text="Проверим счётчик.", expected_version=late.version,
                           now=late.due_at + timedelta(days=2))

    page = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow", accept_downloads=True).new_page()
    log_in(page, live_server.url, supervisor.email, admin=True)
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Показатели обслуживания").click()
    page.get_by_label("прошлый месяц").check()
    page.get_by_role("button", name="Показать").click()
    assert page.locator("[data-figure=on-time-share]").inner_text() == "0,0 %"
    assert page.locator("[data-chart=topics]").get_attribute("data-chart-ready") == "true"

    with page.expect_download() as download:
        page.locator("[data-table=late] [data-export=xlsx]").click()
    workbook = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()), read_only=True)  # noqa: SIM115
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[1][0] == f"№ {late.number}"

    page.locator("[data-table=late]").get_by_role("link", name=f"№ {late.number}").click()
    page.get_by_role("heading", name=f"Обращение № {late.number}").wait_for()
    page.get_by_label("Описание решения (видно заявителю)").fill("Проверить счётчик на месте")
    page.get_by_label("Срок исполнения").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Записать решение").click()
    page.get_by_text("Решение записано.").wait_for()
    page.locator("details.decision-close summary").click()
    page.get_by_label("Что сделано (видно заявителю)").fill("Счётчик заменён")
    page.get_by_role("button", name="Отметить выполненным").click()
    page.get_by_text("Решение отмечено выполненным; заявитель уведомлён.").wait_for()
    assert AppealDecision.objects.get().status == AppealDecision.Status.DONE
