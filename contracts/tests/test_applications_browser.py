"""In a real browser: an organisation applies for a contract with its documents, is asked for one more, uploads
it while the clock is stopped, and finds the signed contract among its contracts."""

import pytest

from accounts.models import Membership
from accounts.tests.factories import DEFAULT_PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from contracts.models_applications import ContractApplication, RequiredDocument
from contracts.services import application_staff as staff
from contracts.tests.factories_applications import PDF_BYTES, pdf, reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 360, "height": 740}


def test_an_organisation_applies_is_asked_for_a_document_and_gets_its_contract(
    seeded_database, live_server, browser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = UserFactory(email="org.admin@example.ru", first_name="Пётр", last_name="Петров")
    organisation = OrganisationFactory(name="ООО «Вектор»", inn="7707083893")
    MembershipFactory(user=admin, organisation=organisation, role=Membership.Role.ADMIN)
    operator = reviewer(email="operator@example.ru")
    scan = tmp_path / "скан.pdf"
    scan.write_bytes(PDF_BYTES)

    page = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow", viewport=PHONE).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", admin.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")

    page.goto(live_server.url + "/cabinet/")
    page.get_by_role("link", name="Заявки на договор").first.click()
    page.get_by_role("main").get_by_role("link", name="Подать заявку").click()
    page.get_by_role("main").get_by_role("link", name="Заключить договор").click()
    page.get_by_label("От чьего имени").select_option(label="ООО «Вектор»")
    page.get_by_label("Потребитель: ФИО или наименование").fill("ООО «Вектор»")
    page.get_by_label("ИНН").fill("7707083893")
    page.get_by_label("Ценовая категория").select_option("3")
    first = page.locator("[data-point-form]").first
    first.get_by_label("Адрес точки поставки").fill("г. Москва, ул. Заводская, д. 5")
    first.get_by_label("Максимальная мощность, кВт").fill("150")
    first.get_by_label("Уровень напряжения").select_option("MV2")
    first.get_by_label("Заводской номер счётчика (если установлен)").fill("VEC-0001")
    second = page.locator("[data-point-form]").nth(1)
    second.get_by_label("Адрес точки поставки").fill("г. Москва, ул. Заводская, д. 7, склад")
    second.get_by_label("Максимальная мощность, кВт").fill("40")
    page.get_by_role("button", name="Сохранить черновик").click()
    page.get_by_text("Черновик заявки сохранён.").wait_for()

    requirements = list(RequiredDocument.objects.filter(kind="conclude", customer_kind="organisation",
                                                        is_active=True).order_by("position"))
    assert len(requirements) == 4
    for requirement in requirements:
        page.get_by_label("Какой документ").select_option(str(requirement.pk))
        page.get_by_label("Файлы").set_input_files(str(scan))
        page.get_by_role("button", name="Загрузить", exact=True).click()
        page.get_by_text("Документ загружен.").wait_for()
    page.get_by_role("button", name="Подать заявку").click()
    page.get_by_text("Заявка подана и зарегистрирована").wait_for()
    application = ContractApplication.objects.get(organisation=organisation)
    assert application.status == ContractApplication.Status.SUBMITTED
    assert "не позднее" in page.locator("[data-application-due]").inner_text()

    # Staff refuse the grid act and ask for it again: the clock stops.
    staff.application_take(application.pk, actor=operator)
    act = application.documents.get(requirement__title__startswith="Акт")
    staff.application_check_document(application.pk, act.pk, actor=operator, accepted=False,
                                     reason="Нет подписи сетевой организации")
    staff.application_request_documents(application.pk, actor=operator, comment="Пришлите акт с подписями.")
    page.reload()
    assert "срок приостановлен с" in page.locator("[data-application-due]").inner_text()
    assert "Пришлите акт с подписями." in page.locator("[data-documents-request]").inner_text()
    page.get_by_label("Какой документ").select_option(str(act.requirement_id))
    page.get_by_label("Файлы").set_input_files(str(scan))
    page.get_by_role("button", name="Загрузить", exact=True).click()
    page.get_by_text("Документ загружен.").wait_for()
    assert "срок приостановлен" not in page.locator("[data-application-due]").inner_text()
    assert "рабочих дней без хода срока" in page.locator("[data-application-pauses]").inner_text()

    staff.application_send_draft(application.pk, actor=operator, draft=pdf("проект.pdf"))
    staff.application_sign(application.pk, actor=operator, signed=pdf("договор.pdf"), contract_number="ВК-2026/1")
    page.reload()
    page.get_by_role("link", name="Скачать подписанный договор (PDF)").wait_for()
    page.goto(live_server.url + "/contracts/")
    page.get_by_text("Договор № ВК-2026/1").first.wait_for()
    from contracts.models import Contract

    assert Contract.objects.get(number="ВК-2026/1").supply_points.count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not errors, errors
