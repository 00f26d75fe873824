"""The main journey in a real browser: a resident files an appeal with a PDF, an operator answers
it in the admin, the resident reads the answer and rates it."""

import re

import pytest

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from appeals.models import Appeal
from appeals.tests.conftest import OPERATOR_PERMISSIONS, _staff_with
from appeals.tests.factories import PDF_BYTES
from staffauth.testing import confirmed_device, current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, base, email, *, admin=False):
    # Staff sign in with a second factor: an authenticator already set up for this staff member.
    device = confirmed_device(User.objects.get(email=email)) if admin else None
    page.goto(base + ("/admin/login/" if admin else "/accounts/login/"))
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")
    if device is not None:
        page.get_by_label("Код из приложения").fill(current_code(device))
        with page.expect_navigation():
            page.get_by_role("button", name="Подтвердить").click()


def test_resident_files_operator_answers_resident_rates(seeded_deadlines, live_server, browser):
    resident = UserFactory(email="resident@example.ru", first_name="Анна", last_name="Смирнова")
    operator = _staff_with(*OPERATOR_PERMISSIONS, email="operator@example.ru")
    base = live_server.url

    customer = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow").new_page()
    log_in(customer, base, resident.email)
    customer.goto(base + "/appeals/new/?topic=billing")
    customer.get_by_label("Вид обращения").select_option("complaint")
    assert customer.get_by_label("Тема").input_value() == "billing"
    customer.get_by_label("Кратко, о чём обращение").fill("Двойное начисление за март")
    customer.get_by_label("Текст обращения").fill("В квитанции за март сумма начислена дважды. Прошу пересчитать.")
    customer.get_by_label("Файлы").set_input_files(
        [{"name": "квитанция.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    customer.get_by_role("button", name="Отправить обращение").click()
    customer.get_by_role("heading", name="Обращение зарегистрировано").wait_for()
    number = customer.locator("[data-appeal-number]").inner_text()
    assert re.fullmatch(r"\d{4}-\d{6}", number)
    assert re.search(r"\d{2}\.\d{2}\.\d{4}", customer.locator("[data-appeal-due]").inner_text())
    appeal = Appeal.objects.get(number=number)
    assert appeal.attachments.get().original_name == "квитанция.pdf"

    staff = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow").new_page()
    log_in(staff, base, operator.email, admin=True)
    staff.goto(base + "/admin/appeals/appeal/")
    staff.get_by_role("link", name=number).click()
    staff.get_by_label("Текст ответа").fill("Повторное начисление сторнировано, перерасчёт отражён в квитанции.")
    staff.get_by_role("button", name="Сохранить и посмотреть, как увидит заявитель").click()
    staff.get_by_role("heading", name="Письмо заявителю").wait_for()
    staff.get_by_role("button", name="Отправить ответ заявителю").click()
    staff.get_by_text("Ответ отправлен заявителю.").wait_for()
    assert staff.locator("[data-appeal-status]").inner_text() == "Дан ответ"

    customer.goto(base + f"/appeals/{number}/")
    assert "Повторное начисление сторнировано" in customer.locator("[data-appeal-answer]").inner_text()
    customer.locator("input[name=rating][value='5']").check()
    customer.get_by_label("да", exact=True).check()
    customer.locator("input[name=supply_rating][value='4']").check()
    customer.get_by_label("Комментарий").fill("Быстро и понятно")
    customer.get_by_role("button", name="Оценить").click()
    customer.get_by_text("Спасибо за оценку.").wait_for()
    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating) == ("answered", 5)
