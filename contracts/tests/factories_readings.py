"""Factories for the readings' tests: contracts with supply points and meters, bound to a person or an
organisation. (The lead unifies the parts' factories after the merge.)"""

from datetime import date

import factory
from django.utils import timezone

from contracts.models import Contract, ContractBinding, Meter, Reading, SupplyPoint, Tariff


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    billing_id = factory.Sequence(lambda n: f"C-{n}")
    number = factory.Sequence(lambda n: f"{7700000000 + n}")
    kind = Contract.Kind.RESIDENTIAL
    customer_kind = Contract.CustomerKind.PERSON
    customer_name = "Иванова Анна Сергеевна"
    tariff = Tariff.TWO_ZONE


class OrganisationContractFactory(ContractFactory):
    number = factory.Sequence(lambda n: f"ЭС-{n:05d}")
    kind = Contract.Kind.SUPPLY
    customer_kind = Contract.CustomerKind.ORGANISATION
    customer_name = "ООО «Ромашка»"
    tariff = ""
    price_category = 1


class SupplyPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplyPoint

    billing_id = factory.Sequence(lambda n: f"SP-{n}")
    contract = factory.SubFactory(ContractFactory)
    address = factory.Sequence(lambda n: f"г. Москва, ул. Ленина, д. {n}")
    max_power_kw = 15


class MeterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meter

    billing_id = factory.Sequence(lambda n: f"M-{n}")
    supply_point = factory.SubFactory(SupplyPointFactory)
    serial_number = factory.Sequence(lambda n: f"{10000000 + n}")
    model = "Меркурий 200"
    zones = 2


class ReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reading

    meter = factory.SubFactory(MeterFactory)
    period = date(2026, 11, 1)
    t1 = 1000
    t2 = factory.LazyAttribute(lambda o: 500 if o.meter.zones >= 2 else None)
    t3 = factory.LazyAttribute(lambda o: 300 if o.meter.zones >= 3 else None)
    source = Reading.Source.CABINET
    submitted_at = factory.LazyFunction(timezone.now)


def bind(contract, *, user=None, organisation=None):
    return ContractBinding.objects.create(
        contract=contract, user=user, organisation=organisation, bound_at=timezone.now()
    )


def meter_of(user=None, *, organisation=None, **meter_kwargs):
    """A meter on a fresh contract bound to `user` (a resident) or to `organisation`."""
    contract = (OrganisationContractFactory if organisation is not None else ContractFactory)()
    bind(contract, user=user if organisation is None else None, organisation=organisation)
    return MeterFactory(supply_point=SupplyPointFactory(contract=contract), **meter_kwargs)
