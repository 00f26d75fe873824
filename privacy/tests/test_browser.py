"""The main journey in a real browser: a resident asks for deletion, staff erase the data with an act,
the resident's appeals stay in the counts without their name, and the act downloads."""

import pytest
from django.contrib.auth.models import Permission

from accounts.tests.factories import StaffFactory, UserFactory
from appeals.models import Appeal
from appeals.tests.factories import submit
from appeals.tests.test_browser import log_in
from privacy.models import SubjectRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_resident_asks_for_deletion_staff_erase_the_act_downloads(seeded_database, live_server, browser, settings,
                                                                   tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    resident = UserFactory(email="resident@example.ru", first_name="Анна", last_name="Смирнова")
    appeal = submit(resident, now=None, subject="Смирнова о перерасчёте")
    officer = StaffFactory(email="dpo@example.ru")
    officer.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="privacy", codename__in=["view_subjectrequest", "change_subjectrequest"]))
    base = live_server.url
    total = Appeal.objects.count()

    customer = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow").new_page()
    log_in(customer, base, resident.email)
    customer.goto(base + "/personal-data/")
    customer.get_by_label("удалить мои данные").check()
    customer.get_by_label("Пояснение").fill("Прошу удалить мои данные.")
    customer.get_by_role("button", name="Отправить запрос").click()
    customer.get_by_text("Запрос принят").wait_for()
    filed = SubjectRequest.objects.get(user=resident)
    assert filed.kind == "deletion"

    staff = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow").new_page()
    log_in(staff, base, officer.email, admin=True)
    staff.goto(base + f"/admin/privacy/subjectrequest/{filed.pk}/change/")
    staff.get_by_label("Удалить данные и составить акт").check()
    staff.get_by_role("button", name="Выполнить").click()
    staff.get_by_text("Готово.").wait_for()
    with staff.expect_download() as download:
        staff.get_by_role("link", name="Скачать акт об уничтожении (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as act:
        assert act.read(4) == b"%PDF"

    appeal.refresh_from_db()
    assert Appeal.objects.count() == total
    assert "Смирнова" not in appeal.contact_name and "Смирнова" not in appeal.subject
    resident.refresh_from_db()
    assert "Смирнова" not in resident.last_name and not resident.is_active
