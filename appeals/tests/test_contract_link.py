"""An appeal about one of the customer's contracts: chosen when filing, seen and filtered by staff."""

import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import MembershipFactory, OrganisationFactory
from appeals.models import Appeal
from appeals.tests.factories import submit
from contracts.models import Contract, ContractBinding

pytestmark = pytest.mark.django_db
NEW = reverse("appeals:new")
QUEUE = reverse("admin:appeals_appeal_changelist")


def contract(number, *, user=None, organisation=None, kind=Contract.Kind.RESIDENTIAL):
    item = Contract.objects.create(
        billing_id=f"b-{number}", number=number, kind=kind,
        customer_kind=Contract.CustomerKind.PERSON if user else Contract.CustomerKind.ORGANISATION,
        customer_name="Потребитель", address=f"ул. Ленина, д. {number[-2:]}",
        tariff="two_zone" if kind == Contract.Kind.RESIDENTIAL else "",
        price_category=None if kind == Contract.Kind.RESIDENTIAL else 3,
    )
    ContractBinding.objects.create(contract=item, user=user, organisation=organisation, bound_at=timezone.now())
    return item


def form_data(**extra):
    return {"kind": "request", "topic": "billing", "subject": "Перерасчёт", "answer_channel": "cabinet",
            "text": "Прошу пересчитать начисления за март.", "idempotency_key": str(uuid.uuid4()), **extra}


def test_a_resident_files_about_their_account_and_staff_see_and_filter_by_it(client, customer_a, customer_b,
                                                                             supervisor):
    mine = contract("1000000001", user=customer_a)
    client.force_login(customer_a)
    page = client.get(NEW + "?contract=1000000001").content.decode()
    assert "№ 1000000001" in page and 'value="1000000001" selected' in page
    response = client.post(NEW, form_data(contract="1000000001"))
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.contract == mine
    other = submit(customer_b, now=None)

    client.force_login(supervisor)
    queue = client.get(QUEUE).content.decode()
    assert "договор № 1000000001" in queue
    numbers = {a.number for a in client.get(QUEUE + "?contract=1000000001").context["cl"].result_list}
    assert numbers == {appeal.number}
    found = {a.number for a in client.get(QUEUE, {"q": "1000000001"}).context["cl"].result_list}
    assert found == {appeal.number} and other.number not in found
    work = client.get(reverse("admin:appeals_appeal_change", args=[appeal.pk])).content.decode()
    assert "все обращения по договору" in work


def test_someone_elses_contract_is_refused_and_nothing_is_filed(client, customer_a, customer_b):
    contract("1000000002", user=customer_a)
    contract("1000000003", user=customer_b)
    client.force_login(customer_a)
    response = client.post(NEW, form_data(contract="1000000003"))
    assert response.status_code == 200
    assert "Выберите договор из списка." in response.content.decode()
    assert not Appeal.objects.exists()
    with pytest.raises(ValidationError) as refused:
        submit(customer_a, now=None, contract="1000000003")
    assert "contract" in refused.value.message_dict
    assert not Appeal.objects.exists()


def test_an_organisations_contract_goes_with_filing_for_the_organisation(client, customer_a):
    organisation = OrganisationFactory()
    MembershipFactory(user=customer_a, organisation=organisation)
    contract("ЭС-000777", organisation=organisation, kind=Contract.Kind.SUPPLY)
    client.force_login(customer_a)
    page = client.get(NEW + "?contract=%D0%AD%D0%A1-000777").content.decode()
    assert re.search(rf'value="{organisation.pk}"\s+id="id_organisation_1" checked', page)
    refused = client.post(NEW, form_data(contract="ЭС-000777", organisation=""))
    assert "Это договор организации" in refused.content.decode() and not Appeal.objects.exists()
    assert client.post(NEW, form_data(contract="ЭС-000777", organisation=str(organisation.pk))).status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.organisation == organisation and appeal.contract.number == "ЭС-000777"


def test_without_contracts_the_form_does_not_ask(client, customer_a):
    client.force_login(customer_a)
    assert "Договор или лицевой счёт" not in client.get(NEW).content.decode()
