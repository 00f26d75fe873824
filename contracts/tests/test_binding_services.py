"""Binding accounts and contracts: codes, the per-(login, number) lock, the owner's notice, unbinding."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from contracts import access
from contracts.models import BindingAttempt, ContractBinding
from contracts.services.binding import (
    NOT_MATCHED,
    bind_organisation_contract,
    bind_personal_account,
    locked_until,
    unbind,
)
from contracts.tests.factories import CODE, ContractFactory, OrganisationContractFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


def messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


@pytest.fixture
def resident():
    return UserFactory(email="resident@example.ru")


@pytest.fixture
def stranger():
    return UserFactory(email="stranger@example.ru")


@pytest.fixture
def account():
    return ContractFactory(number="1234567890")


def test_binding_with_the_right_code_binds_and_records(resident, account):
    binding = bind_personal_account(resident, " 12345 67890 ", CODE.lower(), "10.0.0.1", now=T0)
    assert (binding.user, binding.organisation, binding.bound_by, binding.bound_at) == (resident, None, resident, T0)
    assert list(access.contracts_for_customer(resident)) == [account]
    attempt = BindingAttempt.objects.get()
    assert (attempt.succeeded, attempt.number, attempt.ip_address, attempt.contract) == (
        True,
        "1234567890",
        "10.0.0.1",
        account,
    )


def test_several_accounts_per_login(resident):
    first, second = ContractFactory(), ContractFactory()
    bind_personal_account(resident, first.number, CODE, now=T0)
    bind_personal_account(resident, second.number, CODE, now=T0)
    assert set(access.contracts_for_customer(resident)) == {first, second}


def test_wrong_code_and_wrong_number_get_the_same_message(resident, account):
    with pytest.raises(ValidationError) as wrong_code:
        bind_personal_account(resident, account.number, "AAAAAAAA", now=T0)
    with pytest.raises(ValidationError) as wrong_number:
        bind_personal_account(resident, "9999999999", CODE, now=T0)
    assert messages(wrong_code.value) == messages(wrong_number.value) == [str(NOT_MATCHED)]
    assert not ContractBinding.objects.exists()
    reasons = list(BindingAttempt.objects.order_by("pk").values_list("reason", "succeeded"))
    assert reasons == [("wrong_code", False), ("no_such_number", False)]


def test_a_badly_formed_account_number_is_told_beside_the_field(resident):
    with pytest.raises(ValidationError) as error:
        bind_personal_account(resident, "12-34", CODE, now=T0)
    assert "Неверный номер лицевого счёта" in error.value.message_dict["number"][0]


def test_a_contract_bound_to_someone_else_gets_the_neutral_message(resident, stranger, account):
    bind_personal_account(resident, account.number, CODE, now=T0)
    with pytest.raises(ValidationError) as error:
        bind_personal_account(stranger, account.number, CODE, now=T0)
    assert messages(error.value) == [str(NOT_MATCHED)]
    assert list(access.contracts_for_customer(stranger)) == []
    assert ContractBinding.objects.get().user == resident


def test_residents_bind_residential_accounts_only(resident):
    contract = OrganisationContractFactory(number="5555555555")  # an account's format, an organisation's contract
    with pytest.raises(ValidationError) as error:
        bind_personal_account(resident, contract.number, CODE, now=T0)
    assert messages(error.value) == [str(NOT_MATCHED)]


def _fail(user, number, times, *, start=T0, step=datetime.timedelta(minutes=1)):
    for i in range(times):
        with pytest.raises(ValidationError):
            bind_personal_account(user, number, "WRONG123", now=start + i * step)


def test_five_failures_lock_the_pair_for_an_hour_then_it_expires(resident, account, settings):
    settings.CONTRACTS_BINDING_ATTEMPTS = 5
    settings.CONTRACTS_BINDING_LOCK_SECONDS = 3600
    _fail(resident, account.number, 5)
    fifth = T0 + datetime.timedelta(minutes=4)
    assert locked_until(resident, account.number, now=fifth) == fifth + datetime.timedelta(hours=1)

    # Locked: even the right code is refused, with the time the lock ends (Moscow time).
    with pytest.raises(ValidationError) as error:
        bind_personal_account(resident, account.number, CODE, now=fifth + datetime.timedelta(minutes=30))
    assert error.value.code == "locked"
    assert "10.03.2026 13:04" in messages(error.value)[0]
    assert not ContractBinding.objects.exists()

    # Another number is not locked for the same person.
    other = ContractFactory()
    bind_personal_account(resident, other.number, CODE, now=fifth + datetime.timedelta(minutes=31))

    # An hour after the fifth failure the pair may try again.
    bind_personal_account(resident, account.number, CODE, now=fifth + datetime.timedelta(hours=1, seconds=1))
    assert ContractBinding.objects.filter(contract=account, user=resident).exists()


def test_the_fifth_failure_itself_says_when_to_come_back(resident, account):
    _fail(resident, account.number, 4)
    with pytest.raises(ValidationError) as error:
        bind_personal_account(resident, account.number, "WRONG123", now=T0 + datetime.timedelta(minutes=10))
    assert error.value.code == "locked"


def test_failures_spread_over_more_than_an_hour_do_not_lock(resident, account):
    _fail(resident, account.number, 6, step=datetime.timedelta(minutes=20))
    bind_personal_account(resident, account.number, CODE, now=T0 + datetime.timedelta(hours=2, minutes=1))


def test_a_stranger_never_locks_out_the_owner_and_the_owner_is_told_once(resident, stranger, account):
    bind_personal_account(resident, account.number, CODE, now=T0)
    _fail(stranger, account.number, 7)
    assert locked_until(stranger, account.number, now=T0 + datetime.timedelta(minutes=7)) is not None
    assert locked_until(resident, account.number, now=T0 + datetime.timedelta(minutes=7)) is None

    notices = Notification.objects.filter(event="contracts.binding_attempts")
    assert {n.recipient for n in notices} == {resident}
    assert {n.channel for n in notices} == {"email", "inapp"}
    inapp = notices.get(channel="inapp")
    assert account.number in inapp.subject
    assert "stranger@example.ru" not in inapp.body_text

    # The rightful owner's own session is untouched: unbind and bind again.
    unbind(resident, account.number, now=T0 + datetime.timedelta(minutes=8))
    bind_personal_account(resident, account.number, CODE, now=T0 + datetime.timedelta(minutes=9))


def test_a_lock_on_an_unbound_account_tells_nobody(stranger, account):
    _fail(stranger, account.number, 5)
    assert not Notification.objects.exists()


# --- organisations -------------------------------------------------------------------------


@pytest.fixture
def organisation():
    return OrganisationFactory(inn="7707083893")


@pytest.fixture
def org_admin(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user


@pytest.fixture
def org_member(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER).user


def test_an_administrator_binds_the_organisations_contract_for_every_member(organisation, org_admin, org_member):
    contract = OrganisationContractFactory(inn=organisation.inn)
    binding = bind_organisation_contract(org_admin, organisation, contract.number, CODE, now=T0)
    assert (binding.organisation, binding.user, binding.bound_by) == (organisation, None, org_admin)
    assert list(access.contracts_for_customer(org_member)) == [contract]


def test_the_inn_must_be_the_organisations(organisation, org_admin):
    contract = OrganisationContractFactory(inn="500100732259")
    with pytest.raises(ValidationError) as error:
        bind_organisation_contract(org_admin, organisation, contract.number, CODE, now=T0)
    assert "ИНН" in messages(error.value)[0]
    assert not ContractBinding.objects.exists()
    assert BindingAttempt.objects.get().reason == "inn_mismatch"


def test_the_inn_is_told_only_to_whoever_has_the_code(organisation, org_admin):
    contract = OrganisationContractFactory(inn="500100732259")
    with pytest.raises(ValidationError) as error:
        bind_organisation_contract(org_admin, organisation, contract.number, "WRONG123", now=T0)
    assert messages(error.value) == [str(NOT_MATCHED)]


def test_a_member_who_is_not_the_administrator_cannot_bind(organisation, org_member):
    contract = OrganisationContractFactory(inn=organisation.inn)
    with pytest.raises(ValidationError) as error:
        bind_organisation_contract(org_member, organisation, contract.number, CODE, now=T0)
    assert "organisation" in error.value.message_dict
    assert not ContractBinding.objects.exists()


# --- unbinding -----------------------------------------------------------------------------


def test_the_owner_unbinds_and_the_account_disappears(resident, account):
    bind_personal_account(resident, account.number, CODE, now=T0)
    unbind(resident, account.number, now=T0 + datetime.timedelta(days=1))
    assert list(access.contracts_for_customer(resident)) == []
    assert ContractBinding.objects.get().unbound_at == T0 + datetime.timedelta(days=1)


def test_unbinding_is_in_the_audit_trail_with_who_did_it(resident, account):
    binding = bind_personal_account(resident, account.number, CODE, now=T0)
    unbind(resident, account.number, now=T0 + datetime.timedelta(days=1))
    last = binding.history.order_by("-history_id").first()
    assert last.history_type == "~" and last.unbound_at == T0 + datetime.timedelta(days=1)
    assert last.history_user == resident


def test_a_stranger_cannot_unbind(resident, stranger, account):
    bind_personal_account(resident, account.number, CODE, now=T0)
    with pytest.raises(Http404):
        unbind(stranger, account.number)


def test_only_the_organisations_administrator_unbinds(organisation, org_admin, org_member):
    contract = OrganisationContractFactory(inn=organisation.inn)
    bind_organisation_contract(org_admin, organisation, contract.number, CODE, now=T0)
    with pytest.raises(PermissionDenied):
        unbind(org_member, contract.number)
    unbind(org_admin, contract.number)
    assert list(access.contracts_for_customer(org_member)) == []


def test_an_empty_or_overlong_number_is_told_beside_the_field(resident):
    for raw, text in (("   ", "Укажите номер"), ("1" * 41, "длинного номера")):
        with pytest.raises(ValidationError) as error:
            bind_personal_account(resident, raw, CODE, now=T0)
        assert text in error.value.message_dict["number"][0]


def test_one_login_guessing_at_many_numbers_is_stopped_and_only_that_login(resident, stranger, settings):
    settings.CONTRACTS_BINDING_ATTEMPTS = 5
    settings.CONTRACTS_BINDING_USER_ATTEMPTS = 6
    targets = [ContractFactory() for _ in range(7)]
    for minute, contract in enumerate(targets[:6]):  # one wrong code each: no pair reaches its own limit
        with pytest.raises(ValidationError):
            bind_personal_account(stranger, contract.number, "WRONG234", now=T0 + datetime.timedelta(minutes=minute))
    with pytest.raises(ValidationError) as error:
        bind_personal_account(stranger, targets[6].number, CODE, now=T0 + datetime.timedelta(minutes=10))
    assert error.value.code == "locked" and "за последний час" in messages(error.value)[0]
    assert not ContractBinding.objects.exists()
    # Anyone else binds as usual, the last target included.
    bind_personal_account(resident, targets[6].number, CODE, now=T0 + datetime.timedelta(minutes=11))
    # An hour after the stranger's last failure they may try again.
    bind_personal_account(stranger, targets[5].number, CODE, now=T0 + datetime.timedelta(hours=1, minutes=6))


def test_an_anonymous_visitor_may_apply_on_no_contract(resident, account):
    from django.contrib.auth.models import AnonymousUser

    bind_personal_account(resident, account.number, CODE, now=T0)
    assert list(access.contracts_user_may_apply_on(AnonymousUser())) == []
    assert list(access.contracts_user_may_apply_on(None)) == []
    assert list(access.contracts_user_may_apply_on(resident)) == [account]
