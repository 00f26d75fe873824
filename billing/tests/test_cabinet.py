"""The cabinet's money pages: what a resident and an organisation see, access (404 for others), query counts."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from billing.models import Document
from contracts.tests.factories import ContractFactory, OrganisationContractFactory, bind

from .builders import make_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident():
    user = UserFactory()
    contract = ContractFactory()
    bind(contract, user=user)
    make_history(contract)
    return user, contract


@pytest.fixture
def organisation():
    organisation = OrganisationFactory()
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=organisation, role=Membership.Role.ADMIN)
    contracts = []
    for _ in range(3):
        contract = OrganisationContractFactory()
        bind(contract, organisation=organisation)
        make_history(contract, months=6, balance=Decimal("-100.00"))
        contracts.append(contract)
    return organisation, admin, contracts


def test_a_resident_sees_balance_charges_chart_payments_and_documents(client, resident):
    user, contract = resident
    client.force_login(user)
    response = client.get(reverse("billing:contract", args=[contract.number]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-balance="debt"' in html and "1\xa0620,70" in html and "30.11.2026" in html
    assert html.count("data-amount") == 24
    assert 'id="consumption-data"' in html and "1474.62" in html
    assert html.count("data-document=") == 24
    assert 'data-pay-button' in html


def test_the_contract_page_runs_a_constant_number_of_queries(client, resident, django_assert_max_num_queries):
    user, contract = resident
    client.force_login(user)
    url = reverse("billing:contract", args=[contract.number])
    # Session, user, memberships, contract, five billing reads, the inbox count, the session's save.
    with django_assert_max_num_queries(13):
        assert client.get(url).status_code == 200


def test_a_document_downloads_as_a_private_attachment(client, resident):
    user, contract = resident
    client.force_login(user)
    document = Document.objects.filter(contract=contract).first()
    response = client.get(reverse("billing:document", args=[contract.number, document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    with pytest.raises(NotImplementedError):
        document.file.url  # noqa: B018 - never a public URL


def test_others_get_404_on_every_url(client, resident, organisation):
    user, contract = resident
    organisation_obj, admin, org_contracts = organisation
    document = Document.objects.filter(contract=contract).first()
    org_document = Document.objects.filter(contract=org_contracts[0]).first()
    urls = [
        reverse("billing:contract", args=[contract.number]),
        reverse("billing:pay", args=[contract.number]),
        reverse("billing:document", args=[contract.number, document.pk]),
        reverse("billing:document", args=[org_contracts[0].number, org_document.pk]),
        # The right contract with another's document id.
        reverse("billing:document", args=[contract.number, org_document.pk]),
        reverse("billing:organisation", args=[organisation_obj.pk]),
        reverse("billing:organisation_documents", args=[organisation_obj.pk]),
    ]
    stranger = UserFactory()
    client.force_login(stranger)
    for url in urls:
        assert client.get(url).status_code == 404, url
    # A member of the organisation not allowed to see its finances: contract visible, money not.
    member = UserFactory()
    MembershipFactory(user=member, organisation=organisation_obj, role=Membership.Role.MEMBER)
    client.force_login(member)
    for url in urls[3:]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("contracts:detail", args=[org_contracts[0].number])).status_code == 200
    # The resident does not see the organisation's, the organisation's admin not the resident's.
    client.force_login(user)
    for url in urls[3:]:
        assert client.get(url).status_code == 404, url
    client.force_login(admin)
    for url in urls[:3]:
        assert client.get(url).status_code == 404, url
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_member_allowed_to_see_finances(client, organisation):
    organisation_obj, _admin, contracts = organisation
    member = UserFactory()
    MembershipFactory(user=member, organisation=organisation_obj, may_see_finances=True)
    client.force_login(member)
    assert client.get(reverse("billing:contract", args=[contracts[0].number])).status_code == 200
    assert client.get(reverse("billing:organisation", args=[organisation_obj.pk])).status_code == 200


def test_the_administrator_grants_and_withdraws_the_right(client, organisation):
    organisation_obj, admin, _contracts = organisation
    member = UserFactory()
    membership = MembershipFactory(user=member, organisation=organisation_obj)
    client.force_login(admin)
    url = reverse("accounts:organisation_member_finances", args=[organisation_obj.pk, membership.pk])
    client.post(url, {"allowed": "1"})
    membership.refresh_from_db()
    assert membership.may_see_finances
    client.post(url, {"allowed": "0"})
    membership.refresh_from_db()
    assert not membership.may_see_finances
    # A member cannot grant it to themselves.
    client.force_login(member)
    client.post(url, {"allowed": "1"})
    membership.refresh_from_db()
    assert not membership.may_see_finances


def test_the_organisation_summary_in_constant_queries(client, organisation, django_assert_max_num_queries):
    organisation_obj, admin, _contracts = organisation
    client.force_login(admin)
    url = reverse("billing:organisation", args=[organisation_obj.pk])
    with django_assert_max_num_queries(10) as captured:
        response = client.get(url)
    first = len(captured.captured_queries)
    html = response.content.decode()
    assert html.count('data-balance="advance"') == 3 and "300,00" in html
    for _ in range(5):
        contract = OrganisationContractFactory()
        bind(contract, organisation=organisation_obj)
        make_history(contract, months=2, documents=False)
    with django_assert_max_num_queries(first):
        assert client.get(url).content.decode().count("data-billing-contract") == 8


def test_a_period_of_documents_as_one_archive(client, organisation):
    organisation_obj, admin, _contracts = organisation
    client.force_login(admin)
    url = reverse("billing:organisation_documents", args=[organisation_obj.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'type="month"' in page.content.decode()
    assert "Период — не длиннее 24 месяцев." in page.content.decode()  # the limit is said before it refuses
    response = client.get(url, {"first": "2026-09", "last": "2026-11"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert len(names) == 9  # 3 contracts × 3 months
    assert all(name.endswith(".pdf") and "/" in name for name in names)
    for bad in ({"first": "2026-13", "last": "2026-11"}, {"first": "2026-11", "last": "2026-09"},
                {"first": "2020-01", "last": "2020-02"}):  # fmt: skip
        response = client.get(url, bad)
        assert response.status_code == 200 and "data-error" in response.content.decode(), bad


def test_a_period_with_too_many_documents_is_refused(client, organisation, monkeypatch):
    from billing.services import documents as documents_service

    organisation_obj, admin, _contracts = organisation
    client.force_login(admin)
    monkeypatch.setattr(documents_service, "ARCHIVE_MAX_DOCUMENTS", 8)
    url = reverse("billing:organisation_documents", args=[organisation_obj.pk])
    response = client.get(url, {"first": "2026-09", "last": "2026-11"})  # 9 documents
    assert response.status_code == 200 and "больше 8" in response.content.decode()
    monkeypatch.setattr(documents_service, "ARCHIVE_MAX_DOCUMENTS", 9)
    assert client.get(url, {"first": "2026-09", "last": "2026-11"})["Content-Type"] == "application/zip"


def test_a_period_longer_than_the_cabinets_months_is_refused(client, organisation):
    organisation_obj, admin, _contracts = organisation
    client.force_login(admin)
    url = reverse("billing:organisation_documents", args=[organisation_obj.pk])
    response = client.get(url, {"first": "2024-11", "last": "2026-11"})  # 25 months
    assert response.status_code == 200
    assert "не больше чем за 24 мес." in response.content.decode()
    assert client.get(url, {"first": "2024-12", "last": "2026-11"})["Content-Type"] == "application/zip"


def test_the_cabinet_home_shows_the_balance(client, resident):
    user, contract = resident
    client.force_login(user)
    html = client.get(reverse("cabinet")).content.decode()
    assert "data-cabinet-billing" in html and f'data-billing-contract="{contract.number}"' in html
    overview = client.get(reverse("billing:overview")).content.decode()
    assert f'data-billing-contract="{contract.number}"' in overview


def _rebind(contract, *, at, user=None, organisation=None):
    """The contract's active binding ended at `at` and a new one from `at` (as the binding services do)."""
    from contracts.models import ContractBinding

    ContractBinding.objects.filter(contract=contract, unbound_at__isnull=True).update(unbound_at=at)
    return ContractBinding.objects.create(contract=contract, user=user, organisation=organisation, bound_at=at)


def _at(year, month, day):
    import datetime

    from django.utils import timezone

    return datetime.datetime(year, month, day, 10, tzinfo=timezone.get_current_timezone())


def test_a_new_holder_sees_only_the_months_from_their_binding(client, resident):
    previous, contract = resident
    successor = UserFactory()
    _rebind(contract, at=_at(2026, 9, 15), user=successor)
    client.force_login(successor)
    html = client.get(reverse("billing:contract", args=[contract.number])).content.decode()
    assert html.count("data-document=") == 3  # 09, 10 and 11.2026: the successor's own months
    assert html.count("data-amount") == 3
    assert "К-" + f"{contract.pk}-202608" not in html and f"К-{contract.pk}-202609" in html
    old = Document.objects.get(contract=contract, period="2026-08-01")
    own = Document.objects.get(contract=contract, period="2026-09-01")
    assert client.get(reverse("billing:document", args=[contract.number, old.pk])).status_code == 404
    assert client.get(reverse("billing:document", args=[contract.number, own.pk])).status_code == 200
    # Unbound and bound again by the same person: nothing of their months is lost.
    _rebind(contract, at=_at(2026, 11, 20), user=successor)
    html = client.get(reverse("billing:contract", args=[contract.number])).content.decode()
    assert html.count("data-document=") == 3
    # The previous holder no longer sees the contract at all.
    client.force_login(previous)
    assert client.get(reverse("billing:contract", args=[contract.number])).status_code == 404


def test_a_balance_from_before_the_binding_is_not_the_new_holders(client, resident):
    _previous, contract = resident  # the balance as of 30.11.2026, a debt of 1 620,70
    successor = UserFactory()
    _rebind(contract, at=_at(2026, 12, 1), user=successor)
    client.force_login(successor)
    html = client.get(reverse("billing:contract", args=[contract.number])).content.decode()
    assert "1\xa0620,70" not in html and html.count("data-document=") == 0
    assert "1\xa0620,70" not in client.get(reverse("billing:overview")).content.decode()


def test_an_organisation_gets_only_the_documents_of_its_own_months(client, organisation):
    organisation_obj, admin, contracts = organisation
    person = UserFactory()
    _rebind(contracts[0], at=_at(2026, 1, 1), user=person)  # a holder in between
    _rebind(contracts[0], at=_at(2026, 10, 5), organisation=organisation_obj)
    client.force_login(admin)
    url = reverse("billing:organisation_documents", args=[organisation_obj.pk])
    response = client.get(url, {"first": "2026-09", "last": "2026-11"})
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    # The organisation's first binding of contracts[0] is before its history: all its months are the
    # organisation's (the brief: the earliest binding by the same holder); the others' three months each.
    assert len(names) == 9
    newcomer = OrganisationContractFactory()
    bind(newcomer, organisation=OrganisationFactory())
    make_history(newcomer, months=6)
    _rebind(newcomer, at=_at(2026, 10, 5), organisation=organisation_obj)
    response = client.get(url, {"first": "2026-09", "last": "2026-11"})
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert len(names) == 11 and sum(name.startswith(newcomer.number.replace("/", "-")) for name in names) == 2
