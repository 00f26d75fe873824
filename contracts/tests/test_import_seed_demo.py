"""seed_demo's contracts: what the demo shows at once, and binding codes that work as printed."""

from itertools import pairwise

import pytest
from django.core.management import call_command

from accounts.models import Organisation, User
from contracts import codes
from contracts.access import contracts_for_customer, meters_for_customer
from contracts.demo import ORGANISATION_CONTRACTS, RESIDENT_ACCOUNT, RESIDENT_MONTHS, UNBOUND_ACCOUNT
from contracts.models import Contract, Meter, Reading

pytestmark = pytest.mark.django_db


def test_the_demo_resident_and_organisation_have_contracts_meters_and_readings(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    resident = User.objects.get(email="resident@demo.example")
    account = contracts_for_customer(resident).get()
    assert account.number == RESIDENT_ACCOUNT["number"] and account.tariff == "two_zone"
    meter = meters_for_customer(resident).get()
    assert meter.zones == 2
    readings = list(meter.readings.order_by("period"))
    assert len(readings) == RESIDENT_MONTHS
    for before, after in pairwise(readings):
        day, night = after.t1 - before.t1, after.t2 - before.t2
        assert 0 < night < day  # plausible monthly growth, more by day than at night
    member = User.objects.get(email="org.member@demo.example")
    contracts = contracts_for_customer(member)
    assert {c.kind for c in contracts} == {"supply", "purchase"}
    meters = meters_for_customer(member)
    assert meters.filter(zones=3).exists() and meters.filter(remote=True).exists()
    assert Reading.objects.filter(meter__in=meters).count() >= 3 * meters.count()
    unbound = Contract.objects.get(number=UNBOUND_ACCOUNT["number"])
    assert not unbound.bindings.exists()
    for number, code in [(RESIDENT_ACCOUNT["number"], RESIDENT_ACCOUNT["code"]),
                         (UNBOUND_ACCOUNT["number"], UNBOUND_ACCOUNT["code"]),
                         *((s["number"], s["code"]) for s in ORGANISATION_CONTRACTS)]:  # fmt: skip
        assert code in out
        assert codes.binding_code_matches(Contract.objects.get(number=number), code)
    assert Organisation.objects.get().contract_bindings.count() == 2
    # Idempotent: the second run changes no count and keeps the codes working.
    counts = (Contract.objects.count(), Meter.objects.count(), Reading.objects.count())
    call_command("seed_demo")
    assert (Contract.objects.count(), Meter.objects.count(), Reading.objects.count()) == counts
    assert codes.binding_code_matches(Contract.objects.get(number=RESIDENT_ACCOUNT["number"]), "demo2345")
