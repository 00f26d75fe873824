"""Factories for the contracts tests: contracts with supply points, meters and readings, bound to a person or an
organisation. A contract gets the binding code `CODE` (pass `code=` to choose another)."""

import datetime

import factory
from django.utils import timezone

from contracts.codes import set_binding_code
from contracts.models import Contract, ContractBinding, Meter, Reading, SupplyPoint, Tariff

CODE = "K7M2P9QX"


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    billing_id = factory.Sequence(lambda n: f"C-{n:07d}")
    number = factory.Sequence(lambda n: f"{1000000000 + n}")
    kind = Contract.Kind.RESIDENTIAL
    customer_kind = Contract.CustomerKind.PERSON
    customer_name = factory.Faker("name", locale="ru_RU")
    address = "г. Москва, ул. Ленина, д. 1, кв. 5"
    signed_on = datetime.date(2020, 3, 1)
    effective_from = datetime.date(2020, 3, 1)
    tariff = Tariff.TWO_ZONE

    @factory.post_generation
    def code(self, create, extracted, **kwargs):
        set_binding_code(self, extracted or CODE)
        if create:
            self.save(update_fields=["binding_code"])


class OrganisationContractFactory(ContractFactory):
    number = factory.Sequence(lambda n: f"ЭС-{n:05d}")
    kind = Contract.Kind.SUPPLY
    customer_kind = Contract.CustomerKind.ORGANISATION
    customer_name = "ООО «Ромашка»"
    tariff = ""
    price_category = 3
    inn = "7707083893"


class SupplyPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplyPoint

    billing_id = factory.Sequence(lambda n: f"SP-{n:07d}")
    contract = factory.SubFactory(ContractFactory)
    address = factory.Sequence(lambda n: f"г. Москва, ул. Ленина, д. {n}")
    max_power_kw = "15.00"
    voltage = SupplyPoint.Voltage.LV
    grid_company = "ПАО «Россети Московский регион»"


class MeterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meter

    billing_id = factory.Sequence(lambda n: f"M-{n:07d}")
    supply_point = factory.SubFactory(SupplyPointFactory)
    serial_number = factory.Sequence(lambda n: f"{10000000 + n}")
    model = "Меркурий 201.8"
    zones = 2
    installed_on = datetime.date(2020, 3, 1)
    next_verification_on = datetime.date(2034, 3, 1)


class ReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reading

    meter = factory.SubFactory(MeterFactory)
    period = datetime.date(2026, 11, 1)
    t1 = 1000
    t2 = factory.LazyAttribute(lambda o: 500 if o.meter.zones >= 2 else None)
    t3 = factory.LazyAttribute(lambda o: 300 if o.meter.zones >= 3 else None)
    source = Reading.Source.CABINET
    submitted_at = factory.LazyFunction(timezone.now)


def bind(contract, *, user=None, organisation=None):
    """A binding made directly (the binding service and its checks have their own tests)."""
    return ContractBinding.objects.create(
        contract=contract, user=user, organisation=organisation, bound_at=timezone.now()
    )


def meter_of(user=None, *, organisation=None, **meter_kwargs):
    """A meter on a fresh contract bound to `user` (a resident) or to `organisation`."""
    contract = (OrganisationContractFactory if organisation is not None else ContractFactory)()
    bind(contract, user=user if organisation is None else None, organisation=organisation)
    return MeterFactory(supply_point=SupplyPointFactory(contract=contract), **meter_kwargs)


def add_readings(meter, months: int, *, start=datetime.date(2025, 1, 1), t1=1000, t2=500, step1=150, step2=70):
    """`months` monthly readings from `start`, growing by `step1`/`step2` kWh a month (bulk, one query)."""
    rows = []
    for i in range(months):
        year, month = divmod(start.month - 1 + i, 12)
        period = datetime.date(start.year + year, month + 1, 1)
        rows.append(Reading(
            meter=meter, period=period, t1=t1 + step1 * i, t2=(t2 + step2 * i) if meter.zones >= 2 else None,
            t3=(100 + 10 * i) if meter.zones == 3 else None, source=Reading.Source.BILLING,
            submitted_at=timezone.now(),
        ))  # fmt: skip
    return Reading.objects.bulk_create(rows)


def contract_with_meter(*, factory_class=ContractFactory, meters=1, **kwargs):
    contract = factory_class(**kwargs)
    point = SupplyPointFactory(contract=contract)
    for _ in range(meters):
        MeterFactory(supply_point=point, zones=2 if contract.is_residential else 3)
    return contract
