import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts import roles
from accounts.management.commands.seed_demo import DEMO_ORGANISATION, DEMO_PEOPLE
from accounts.models import Consent, Membership, Organisation, User
from accounts.validators import inn_is_valid, kpp_is_valid, ogrn_is_valid
from contracts.models import Contract, ContractBinding, Meter, Reading

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(User.objects.values_list("email", "is_staff", "is_superuser")),
        Organisation.objects.count(),
        sorted(Membership.objects.values_list("user__email", "role")),
        Consent.objects.count(),
        # The domains' demo data (contracts/demo.py) is loaded by the same command.
        Contract.objects.count(),
        ContractBinding.objects.count(),
        Meter.objects.count(),
        Reading.objects.count(),
    )


def test_seed_demo_is_idempotent_and_prints_logins(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    first = snapshot()
    out = capsys.readouterr().out
    for email, password, *_ in DEMO_PEOPLE:
        assert email in out
        assert password in out
    call_command("seed_demo")
    assert snapshot() == first

    assert len(first[0]) == len(DEMO_PEOPLE) == 7
    assert first[1] == 1
    assert {role for _, role in first[2]} == {"admin", "member"}
    assert first[3] == 7
    assert first[4] == 4 and first[5] == 3  # two personal accounts (one unbound), two organisation contracts
    assert "7700000001" in out and "DEMO2345" in out and "TRY23456" in out
    assert all(u.email_confirmed for u in User.objects.all())
    for email, password, *_ in DEMO_PEOPLE:
        assert User.objects.get(email=email).check_password(password)
    assert User.objects.get(email="operator@demo.example").groups.filter(name=roles.OPERATORS).exists()
    assert Group.objects.get(name=roles.SUPERVISORS).user_set.filter(email="supervisor@demo.example").exists()
    assert User.objects.get(email="admin@demo.example").is_superuser
    editor = User.objects.get(email="editor@demo.example")
    assert editor.is_staff and not editor.is_superuser
    assert editor.groups.filter(name=roles.CONTENT_EDITORS).exists()
    assert editor.has_perm("pages.change_page") and editor.has_perm("pages.change_tariffperiod")
    assert not editor.has_perm("appeals.change_appeal")


def test_demo_organisation_identifiers_are_valid():
    assert inn_is_valid(DEMO_ORGANISATION["inn"])
    assert kpp_is_valid(DEMO_ORGANISATION["kpp"])
    assert ogrn_is_valid(DEMO_ORGANISATION["ogrn"])


def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert User.objects.count() == 0
