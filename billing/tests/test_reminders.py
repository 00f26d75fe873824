"""The billing notices: a new bill reaches its customer once; a debt warning gives 20 days, once."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from billing.models import Balance, Document
from billing.reminders import billing_notices_scan, debt_pay_by
from contracts.imports import import_billing_file
from contracts.tests.factories import ContractFactory, OrganisationContractFactory, bind
from notifications.models import Notification

from .builders import csv_file, pdf_bytes, zip_file

pytestmark = pytest.mark.django_db


def test_a_new_bill_is_notified_once_to_the_resident(django_capture_on_commit_callbacks):
    user = UserFactory()
    contract = ContractFactory()
    bind(contract, user=user)
    archive = zip_file([{"billing_id": "D-1", "contract_billing_id": contract.billing_id, "kind": "bill",
                         "period": "11.2026", "number": "К-1", "amount": "1620,70", "file": "a.pdf"}],
                       {"a.pdf": pdf_bytes()})  # fmt: skip
    assert import_billing_file(archive).saved
    result = billing_notices_scan()
    assert result.sent["new_document"] == 1
    email = Notification.objects.get(event="billing.new_document", channel="email")
    assert email.recipient == user and "11.2026" in email.subject and "1\xa0620,70" in email.body_text
    assert billing_notices_scan().total == 0
    assert Document.objects.get().notified_at is not None


def test_an_organisations_document_goes_to_those_who_see_finances():
    organisation = OrganisationFactory()
    admin, allowed, member = UserFactory(), UserFactory(), UserFactory()
    MembershipFactory(user=admin, organisation=organisation, role=Membership.Role.ADMIN)
    MembershipFactory(user=allowed, organisation=organisation, may_see_finances=True)
    MembershipFactory(user=member, organisation=organisation)
    contract = OrganisationContractFactory()
    bind(contract, organisation=organisation)
    archive = zip_file([{"billing_id": "D-1", "contract_billing_id": contract.billing_id, "kind": "upd",
                         "period": "11.2026", "file": "a.pdf"}], {"a.pdf": pdf_bytes()})  # fmt: skip
    assert import_billing_file(archive).saved
    billing_notices_scan()
    told = set(Notification.objects.filter(event="billing.new_document").values_list("recipient_id", flat=True))
    assert told == {admin.pk, allowed.pk}


def test_a_debt_warning_gives_20_days_and_is_sent_once():
    user = UserFactory()
    contract = ContractFactory()
    bind(contract, user=user)
    header = ["billing_id", "contract_billing_id", "as_of", "amount", "debt_warning"]
    rows = [{"billing_id": "S-1", "contract_billing_id": contract.billing_id, "as_of": "01.12.2026",
             "amount": "5 000,00", "debt_warning": "да"}]  # fmt: skip
    assert import_billing_file(csv_file(header, rows)).saved
    assert billing_notices_scan().sent["debt_warning"] == 1
    email = Notification.objects.get(event="billing.debt_warning", channel="email")
    assert email.legally_required
    text = email.body_text.replace("\xa0", " ")
    assert "в течение 20 дней" in text and "до 21.12.2026" in text and "п. 119" in text and "5 000,00" in text
    assert billing_notices_scan().total == 0
    # The same file again changes nothing and sends nothing.
    assert import_billing_file(csv_file(header, rows)).saved
    assert billing_notices_scan().total == 0
    assert Balance.objects.get().warned_at is not None


def test_the_20_days_end_on_a_working_day():
    # 20 days after 15.12.2026 is 04.01.2027, a holiday: the term ends on the next working day.
    assert debt_pay_by(datetime.date(2026, 12, 15)) > datetime.date(2027, 1, 4)
    assert debt_pay_by(datetime.date(2026, 12, 1)) == datetime.date(2026, 12, 21)


def test_an_organisations_balance_warning_is_not_a_household_one():
    organisation = OrganisationFactory()
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=organisation, role=Membership.Role.ADMIN)
    contract = OrganisationContractFactory()
    bind(contract, organisation=organisation)
    Balance.objects.create(billing_id="S-1", contract=contract, as_of=datetime.date(2026, 12, 1),
                           amount=Decimal("10.00"), debt_warning=True)  # fmt: skip
    assert billing_notices_scan().total == 0
    assert Balance.objects.get().warned_at is not None
