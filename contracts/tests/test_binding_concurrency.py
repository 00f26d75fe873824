"""Two people with the same number and code at the same moment: the row lock lets exactly one bind it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.tests.factories import UserFactory
from appeals.tests.test_concurrency import run_together
from contracts.models import BindingAttempt, ContractBinding
from contracts.services.binding import bind_personal_account
from contracts.tests.factories import CODE, ContractFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_people_binding_one_account_at_once_bind_it_once():
    first, second = UserFactory(), UserFactory()
    contract = ContractFactory(number="1234567890")
    results = run_together(
        lambda: bind_personal_account(first, contract.number, CODE),
        lambda: bind_personal_account(second, contract.number, CODE),
    )
    bound = [r for r in results if isinstance(r, ContractBinding)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(bound) == 1 and len(refused) == 1, results
    assert refused[0].code == "not_matched"
    assert ContractBinding.objects.filter(contract=contract, unbound_at__isnull=True).count() == 1
    assert sorted(BindingAttempt.objects.values_list("reason", flat=True)) == ["", "bound_elsewhere"]
