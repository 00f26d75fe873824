"""Contract applications as customers and staff use them: pages, bad input, access, query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from contracts.models import Contract
from contracts.models_applications import ApplicationKind, ContractApplication, RequiredDocument
from contracts.services import application_staff as staff
from contracts.tests.factories import ContractFactory
from contracts.tests.factories_applications import (
    PDF_BYTES,
    bind_to,
    org_draft,
    pdf,
    resident_draft,
    reviewer,
    signed,
    submitted,
    upload_all,
)

pytestmark = pytest.mark.django_db
S = ContractApplication.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def org():
    membership = MembershipFactory(role=Membership.Role.ADMIN)
    return membership.user, membership.organisation


@pytest.fixture
def operator():
    return reviewer(email="operator@example.ru")


def points(*rows):
    """The supply points' formset as the form posts it."""
    data = {"points-TOTAL_FORMS": str(max(len(rows), 1)), "points-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"points-{i}-{key}": value for key, value in row.items()})
    return data


def url(name, application, *args):
    return reverse(f"contracts:{name}", args=[application.pk, *args])


def test_a_resident_applies_through_the_pages(client):
    resident = UserFactory()
    client.force_login(resident)
    page = client.get("/contracts/apply/")
    assert page.status_code == 200 and "Заключить договор" in page.content.decode()
    form = client.get("/contracts/apply/conclude/").content.decode()
    assert "Ценовая категория" not in form and "Тариф" in form
    response = client.post("/contracts/apply/conclude/", {
        "customer_name": "Смирнова Анна", "address": "г. Москва, ул. Ленина, д. 1", "tariff": "two_zone",
        **points({"address": "г. Москва, ул. Ленина, д. 1", "max_power_kw": "15", "voltage": "LV", "meter_zones": "2"}),
    })
    application = ContractApplication.objects.get(author=resident)
    assert response.status_code == 302 and response["Location"] == url("application", application)
    detail = client.get(url("application", application)).content.decode()
    assert "не загружен" in detail and "Не хватает 3 документов." in detail

    refused = client.post(url("application_submit", application), follow=True).content.decode()
    assert "Не хватает документов" in refused
    bad = client.post(url("application_upload", application), {
        "requirement": RequiredDocument.objects.filter(kind="conclude", customer_kind="person").first().pk,
        "files": pdf("паспорт.pdf", b"<html><script>alert(1)</script>"),
    })
    assert bad.status_code == 400 and "не является документом PDF" in bad.content.decode()
    assert not application.documents.exists()
    for requirement in RequiredDocument.objects.filter(kind="conclude", customer_kind="person"):
        ok = client.post(url("application_upload", application), {"requirement": requirement.pk, "files": pdf()})
        assert ok.status_code == 302
    client.post(url("application_submit", application))
    client.post(url("application_submit", application))  # a double click
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and ContractApplication.objects.exclude(number=None).count() == 1
    detail = client.get(url("application", application)).content.decode()
    assert "подписанный договор — не позднее" in detail and "ПП 442, п. 39" in detail
    assert "Срок — 15 рабочих дней со дня получения заявки" in detail


def test_bad_input_is_refused_beside_the_field_and_nothing_is_saved(client):
    client.force_login(UserFactory())
    response = client.post("/contracts/apply/conclude/", {"starts_on": "2001-01-01",
                                                          **points({"max_power_kw": "-5", "meter_serial": "X-1"})})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Заполните это поле." in text and "Дата не может быть в прошлом." in text
    assert "Убедитесь, что это значение больше либо равно 0.01" in text and "Укажите адрес точки поставки." in text
    response = client.post("/contracts/apply/conclude/", {
        "customer_name": "Смирнова Анна", "address": "г. Москва", "tariff": "single", **points(),
    })
    assert "Укажите хотя бы одну точку поставки" in response.content.decode()
    assert not ContractApplication.objects.exists()
    assert client.get("/contracts/apply/nonsense/").status_code == 404


def test_the_paused_clock_is_shown_to_the_customer(client, org, operator):
    admin, organisation = org
    application = submitted(org_draft(admin, organisation), admin)
    staff.application_request_documents(application.pk, actor=operator, comment="Пришлите акт с подписью.")
    client.force_login(admin)
    text = client.get(url("application", application)).content.decode()
    assert "срок приостановлен с" in text and "Пришлите акт с подписью." in text
    listing = client.get("/contracts/applications/").content.decode()
    assert "срок приостановлен с" in listing


def test_a_member_sees_the_organisations_application_but_is_refused_acting(client, org):
    admin, organisation = org
    application = org_draft(admin, organisation)
    upload_all(application, admin)
    member = MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER).user
    client.force_login(member)
    assert client.get(url("application", application)).status_code == 200
    response = client.post(url("application_submit", application), follow=True)
    assert "может только её администратор" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.DRAFT
    start = client.get("/contracts/apply/").content.decode()
    assert "подаёт только её администратор" in start
    form = client.get("/contracts/apply/conclude/").content.decode()
    assert organisation.name not in form
    client.post("/contracts/apply/conclude/", {"applicant": str(organisation.pk), "customer_name": "X"})
    assert not ContractApplication.objects.filter(author=member).exists()


def test_a_resident_terminates_a_contract_online(client, operator):
    resident = UserFactory()
    contract = ContractFactory()
    bind_to(contract, user=resident)
    client.force_login(resident)
    detail = client.get(reverse("contracts:detail", args=[contract.number])).content.decode()
    assert "Расторгнуть" in detail
    day = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.post(f"/contracts/apply/terminate/?contract={contract.number}",
                           {"contract": contract.number, "starts_on": day, "details": "Продаю квартиру"})
    assert response.status_code == 302, response.content.decode()[:3000]
    application = ContractApplication.objects.get(author=resident, kind=ApplicationKind.TERMINATE)
    upload_all(application, resident)
    client.post(url("application_submit", application))
    signed(application, resident, operator)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.TERMINATED and contract.effective_to.isoformat() == day
    page = client.get(reverse("contracts:detail", args=[contract.number])).content.decode()
    assert "Подписанный договор (PDF)" in page
    download = client.get(url("application_signed", application))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Disposition"].startswith("attachment")


# --- access: every new URL ---------------------------------------------------------------------


def _urls(application):
    document = application.documents.first()
    return [
        url("application", application), url("application_edit", application),
        url("application_upload", application), url("application_document", application, document.pk),
        url("application_submit", application), url("application_withdraw", application),
        url("application_draft", application), url("application_signed", application),
    ]


def test_others_get_404_and_visitors_the_login_page(client, org, operator):
    admin, organisation = org
    application = signed(submitted(org_draft(admin, organisation), admin), admin, operator)
    other_org_member = MembershipFactory(role=Membership.Role.ADMIN).user
    for person in (UserFactory(), other_org_member):
        client.force_login(person)
        for address in _urls(application):
            response = client.post(address) if address.endswith(("/submit/", "/documents/")) else client.get(address)
            assert response.status_code == 404, address
    client.logout()
    for address in _urls(application):
        response = client.get(address)
        assert response.status_code in (302, 405) and (response.status_code == 405 or "/login/" in response["Location"])
    client.force_login(admin)
    for address in _urls(application)[:1] + _urls(application)[3:4] + _urls(application)[6:]:
        assert client.get(address).status_code == 200, address


def test_staff_files_are_not_public(client, org, operator):
    admin, organisation = org
    application = signed(submitted(org_draft(admin, organisation), admin), admin, operator)
    assert not application.signed_file.name.startswith("/")
    with pytest.raises(NotImplementedError):
        application.signed_file.url  # noqa: B018 - private storage has no URL


# --- query counts ------------------------------------------------------------------------------


def test_the_customers_list_runs_a_constant_number_of_queries(client, org, django_assert_max_num_queries):
    admin, organisation = org
    client.force_login(admin)
    org_draft(admin, organisation)
    client.get("/contracts/applications/")
    with django_assert_max_num_queries(12) as few:
        client.get("/contracts/applications/")
    for _ in range(6):
        submitted(org_draft(admin, organisation), admin)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/contracts/applications/")
    assert response.content.decode().count("data-application=") == 7


def test_the_staff_queue_shows_overdue_first_in_constant_queries(client, org, operator,
                                                                  django_assert_max_num_queries):
    admin, organisation = org
    long_ago = datetime.datetime(2026, 1, 12, 10, tzinfo=datetime.UTC)
    early = submitted(org_draft(admin, organisation, now=long_ago), admin, now=long_ago)
    client.force_login(operator)
    client.get("/admin/contracts/contractapplication/")
    with django_assert_max_num_queries(30) as few:
        client.get("/admin/contracts/contractapplication/")
    for _ in range(5):
        submitted(org_draft(admin, organisation), admin)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/admin/contracts/contractapplication/")
    text = response.content.decode()
    assert text.index(early.number) < min(
        text.index(a.number) for a in ContractApplication.objects.exclude(pk=early.pk).exclude(number=None)
    )
    assert "просрочено" in text


def test_staff_work_the_application_in_the_admin(client, org, operator):
    admin, organisation = org
    application = submitted(org_draft(admin, organisation), admin)
    client.force_login(operator)
    page = f"/admin/contracts/contractapplication/{application.pk}/change/"
    assert client.get(page).status_code == 200
    client.post(page, {"action": "take", "shown_status": "submitted"})
    document = application.documents.first()
    client.post(page, {"action": "check", "check-document": document.pk, "check-verdict": "refuse",
                       "check-reason": "Нечитаемый скан"})
    client.post(page, {"action": "request", "shown_status": "checking", "request-comment": "Пришлите скан заново."})
    application.refresh_from_db()
    assert application.status == S.WAITING_DOCUMENTS and application.is_paused
    assert "срок стоит" in client.get("/admin/contracts/contractapplication/").content.decode()
    client.post(page, {"action": "resume", "shown_status": "waiting_documents"})
    client.post(page, {"action": "draft", "shown_status": "checking", "draft-file": pdf("проект.pdf")})
    response = client.post(page, {"action": "sign", "shown_status": "draft_sent", "sign-file": pdf("д.pdf"),
                                  "sign-contract_number": "ЭС-2026/777"}, follow=True)
    application.refresh_from_db()
    assert application.status == S.SIGNED, response.content.decode()[:2000]
    assert Contract.objects.filter(number="ЭС-2026/777").exists()
    assert client.get(f"/admin/contracts/contractapplication/{application.pk}/file/signed/").status_code == 200


def test_staff_without_the_permission_cannot_act(client, org):
    admin, organisation = org
    application = submitted(org_draft(admin, organisation), admin)
    client.force_login(StaffFactory())
    page = f"/admin/contracts/contractapplication/{application.pk}/change/"
    assert client.post(page, {"action": "take"}).status_code in (403, 404)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


__all__ = ["resident_draft"]


def test_a_draft_is_saved_and_finished_later(client, org):
    admin, organisation = org
    application = org_draft(admin, organisation)
    client.force_login(admin)
    page = client.get(url("application_edit", application)).content.decode()
    assert "г. Москва, ул. Заводская, д. 5" in page
    response = client.post(url("application_edit", application), {
        "customer_name": organisation.name, "inn": "7707083893", "price_category": "4",
        **points({"address": "г. Москва, ул. Новая, д. 1", "max_power_kw": "90", "voltage": "LV"},
                 {"address": "г. Москва, ул. Новая, д. 3", "max_power_kw": "40", "voltage": "MV2",
                  "meter_serial": "N-3"}),
    })
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.price_category == 4
    assert [p.address for p in application.points.all()] == ["г. Москва, ул. Новая, д. 1", "г. Москва, ул. Новая, д. 3"]
    submitted(application, admin)
    after = client.get(url("application_edit", application), follow=True).content.decode()
    assert "Заявка уже подана" in after


def test_two_operators_never_overwrite_each_other(client, org, operator):
    admin, organisation = org
    application = submitted(org_draft(admin, organisation), admin)
    staff.application_take(application.pk, actor=operator)
    client.force_login(operator)
    page = f"/admin/contracts/contractapplication/{application.pk}/change/"
    response = client.post(page, {"action": "take", "shown_status": "submitted"}, follow=True)
    assert "статус заявки изменился" in response.content.decode()


def test_the_contracts_offered_to_apply_on_are_those_access_allows(client, org):
    from contracts.tests.factories import OrganisationContractFactory

    admin, organisation = org
    own = ContractFactory(status=Contract.Status.ACTIVE)
    bind_to(own, user=admin)
    administered = OrganisationContractFactory(status=Contract.Status.ACTIVE)
    bind_to(administered, organisation=organisation)
    terminated = ContractFactory(status=Contract.Status.TERMINATED)
    bind_to(terminated, user=admin)
    # An organisation where the user is only a member: its contracts are not theirs to change.
    membership = MembershipFactory(user=admin, role=Membership.Role.MEMBER)
    foreign = OrganisationContractFactory(status=Contract.Status.ACTIVE)
    bind_to(foreign, organisation=membership.organisation)
    client.force_login(admin)
    html = client.get(reverse("contracts:apply_kind", args=[ApplicationKind.AMEND])).content.decode()
    assert f'value="{own.number}"' in html
    assert f'value="{administered.number}"' in html and organisation.name in html
    assert f'value="{terminated.number}"' not in html and f'value="{foreign.number}"' not in html
