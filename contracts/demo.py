"""Demo contracts for `manage.py seed_demo` (development only): safe to run again.

The demo resident gets a bound personal account on a two-zone tariff with a two-zone meter and 18 months of
readings; the demo organisation two contracts (energy supply, purchase–sale) with several supply points and
meters, one of them three-zone and one remotely read, and a few months of readings; one more personal
account stays unbound, so a new user can try binding it. The contract applications' document checklist is
restored if lines are missing. Binding codes are fixed and reset on every run,
so the printed ones always work.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from contracts import codes
from contracts.checklist import ensure_default_checklist
from contracts.models import Contract, ContractBinding, Meter, Reading, RequiredDocument, SupplyPoint, Tariff

RESIDENT_ACCOUNT = {"billing_id": "DEMO-LS-1", "number": "7700000001", "code": "DEMO2345"}
UNBOUND_ACCOUNT = {"billing_id": "DEMO-LS-2", "number": "7700000002", "code": "TRY23456"}
ORGANISATION_CONTRACTS = [
    {"billing_id": "DEMO-DG-1", "number": "ЭС-2024/001", "kind": Contract.Kind.SUPPLY, "price_category": 3,
     "code": "ORG23456"},
    {"billing_id": "DEMO-DG-2", "number": "КП-2024/002", "kind": Contract.Kind.PURCHASE, "price_category": 1,
     "code": "ORG34567"},
]  # fmt: skip
# (contract billing id, point billing id, address, kW, voltage, [(meter billing id, serial, model, zones, remote)])
ORGANISATION_POINTS = [
    ("DEMO-DG-1", "DEMO-TP-1", "г. Москва, ул. Демонстрационная, д. 1, цех № 1", "450.00", SupplyPoint.Voltage.MV2,
     [("DEMO-PU-1", "DEMO-30000001", "Меркурий 234 ARTM", 3, False)]),
    ("DEMO-DG-1", "DEMO-TP-2", "г. Москва, ул. Демонстрационная, д. 1, склад", "60.00", SupplyPoint.Voltage.LV,
     [("DEMO-PU-2", "DEMO-30000002", "Меркурий 234 ARTM-03 (АСКУЭ)", 1, True),
      ("DEMO-PU-3", "DEMO-30000003", "Нева МТ 314", 2, False)]),
    ("DEMO-DG-2", "DEMO-TP-3", "г. Москва, ул. Демонстрационная, д. 3, офис", "25.00", SupplyPoint.Voltage.LV,
     [("DEMO-PU-4", "DEMO-30000004", "СЭТ-4ТМ.03М", 1, False)]),
]  # fmt: skip
RESIDENT_MONTHS = 18
ORGANISATION_MONTHS = 6


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    """The first days of the `count` months before this one, oldest first (this month is left to submit)."""
    periods, year, month = [], today.year, today.month
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        periods.append(datetime.date(year, month, 1))
    return list(reversed(periods))


def _contract(billing_id, **fields):
    contract, _created = Contract.objects.update_or_create(billing_id=billing_id, defaults=fields)
    return contract


def _bind(contract, *, user=None, organisation=None, now):
    active = ContractBinding.objects.filter(contract=contract, unbound_at__isnull=True).first()
    if active is None:
        # Bound long ago: the demo's bills and readings of past months are the holder's own to see.
        bound_at = now - datetime.timedelta(days=5 * 365)
        ContractBinding.objects.create(contract=contract, user=user, organisation=organisation, bound_at=bound_at)


def _meter(billing_id, point, serial, model, zones, remote, installed):
    meter, _created = Meter.objects.update_or_create(
        billing_id=billing_id,
        defaults={
            "supply_point": point, "serial_number": serial, "model": model, "zones": zones, "remote": remote,
            "installed_on": installed, "next_verification_on": installed.replace(year=installed.year + 16),
        },
    )  # fmt: skip
    return meter


def _readings(meter, periods, monthly, *, start, source, now):
    """Cumulative readings: `monthly(i, period)` gives each zone's consumption in month i."""
    totals = list(start)
    for i, period in enumerate(periods):
        totals = [t + c for t, c in zip(totals, monthly(i, period), strict=True)]
        values = {"t1": totals[0], "t2": totals[1] if len(totals) > 1 else None,
                  "t3": totals[2] if len(totals) > 2 else None}  # fmt: skip
        submitted = timezone.make_aware(datetime.datetime.combine(period.replace(day=20), datetime.time(12)))
        Reading.objects.update_or_create(
            meter=meter, period=period, defaults={**values, "source": source, "submitted_at": min(submitted, now)}
        )


def _seasonal(period: datetime.date) -> Decimal:
    # More light and heating in winter: December–February about 40 % above June–August.
    return Decimal({12: 140, 1: 140, 2: 130, 3: 115, 4: 100, 5: 90, 6: 85, 7: 85, 8: 90, 9: 100, 10: 115,
                    11: 130}[period.month]) / 100  # fmt: skip


def seed(*, people: dict, organisation, now) -> list[str]:
    """Create or refresh the demo contracts; the lines to print (numbers and binding codes)."""
    today = timezone.localdate(now)
    resident = people["resident"]
    account = _contract(
        RESIDENT_ACCOUNT["billing_id"], number=RESIDENT_ACCOUNT["number"], kind=Contract.Kind.RESIDENTIAL,
        customer_kind=Contract.CustomerKind.PERSON, customer_name=resident.get_full_name() or "Иванова Мария Сергеевна",
        address="г. Москва, ул. Демонстрационная, д. 5, кв. 12", signed_on=datetime.date(2019, 3, 1),
        effective_from=datetime.date(2019, 3, 1), tariff=Tariff.TWO_ZONE, price_category=None,
    )  # fmt: skip
    point, _created = SupplyPoint.objects.update_or_create(
        billing_id="DEMO-TP-R1",
        defaults={"contract": account, "address": account.address, "max_power_kw": Decimal("15.00"),
                  "grid_company": "ПАО «Россети Московский регион»"},
    )  # fmt: skip
    meter = _meter("DEMO-PU-R1", point, "DEMO-10000001", "Меркурий 201.8TLO", 2, False, datetime.date(2019, 3, 1))
    _readings(
        meter, _months_back(today, RESIDENT_MONTHS),
        lambda i, p: [int(180 * _seasonal(p)) + i % 3 * 4, int(75 * _seasonal(p)) + i % 2 * 3],
        start=(12_480, 5_210), source=Reading.Source.CABINET, now=now,
    )  # fmt: skip
    _bind(account, user=resident, now=now)

    spare = _contract(
        UNBOUND_ACCOUNT["billing_id"], number=UNBOUND_ACCOUNT["number"], kind=Contract.Kind.RESIDENTIAL,
        customer_kind=Contract.CustomerKind.PERSON, customer_name="Новиков Андрей Павлович",
        address="г. Москва, ул. Демонстрационная, д. 7, кв. 3", signed_on=datetime.date(2022, 9, 1),
        effective_from=datetime.date(2022, 9, 1), tariff=Tariff.SINGLE, price_category=None,
    )  # fmt: skip
    spare_point, _created = SupplyPoint.objects.update_or_create(
        billing_id="DEMO-TP-R2", defaults={"contract": spare, "address": spare.address, "max_power_kw": Decimal("10")}
    )
    _meter("DEMO-PU-R2", spare_point, "DEMO-10000002", "Нева 101", 1, False, datetime.date(2022, 9, 1))

    contracts = {}
    for spec in ORGANISATION_CONTRACTS:
        contracts[spec["billing_id"]] = _contract(
            spec["billing_id"], number=spec["number"], kind=spec["kind"],
            customer_kind=Contract.CustomerKind.ORGANISATION, customer_name=organisation.name, inn=organisation.inn,
            address=organisation.legal_address, signed_on=datetime.date(2024, 1, 15),
            effective_from=datetime.date(2024, 2, 1), tariff="", price_category=spec["price_category"],
        )  # fmt: skip
        _bind(contracts[spec["billing_id"]], organisation=organisation, now=now)
    periods = _months_back(today, ORGANISATION_MONTHS)
    for contract_id, point_id, address, power, voltage, meters in ORGANISATION_POINTS:
        point, _created = SupplyPoint.objects.update_or_create(
            billing_id=point_id,
            defaults={"contract": contracts[contract_id], "address": address, "max_power_kw": Decimal(power),
                      "voltage": voltage, "grid_company": "ПАО «Россети Московский регион»"},
        )  # fmt: skip
        for billing_id, serial, model, zones, remote in meters:
            meter = _meter(billing_id, point, serial, model, zones, remote, datetime.date(2024, 1, 20))
            shares = {1: [1], 2: [70, 30], 3: [30, 25, 45]}[zones]  # T1; T2 night; T3 semi-peak
            base = 9_000 if zones == 3 else 2_400

            def monthly(i, p, shares=shares, base=base):
                return [int(base * _seasonal(p) * s / sum(shares)) + i * 7 for s in shares]

            _readings(meter, periods, monthly, start=[1_000 * (z + 1) for z in range(zones)],
                      source=Reading.Source.REMOTE if remote else Reading.Source.UPLOAD, now=now)  # fmt: skip

    for contract, spec in [(account, RESIDENT_ACCOUNT), (spare, UNBOUND_ACCOUNT)]:
        codes.set_binding_code(contract, spec["code"])
        contract.save(update_fields=["binding_code"])
    for spec in ORGANISATION_CONTRACTS:
        codes.set_binding_code(contracts[spec["billing_id"]], spec["code"])
        contracts[spec["billing_id"]].save(update_fields=["binding_code"])
    # The application checklist comes with the migrations; lines staff deleted in a dev database come back.
    ensure_default_checklist(RequiredDocument)
    return [
        "Лицевые счета и договоры (код привязки — второй фактор с квитанции):",
        f"  {account.number}  код {RESIDENT_ACCOUNT['code']}  привязан к resident@demo.example "
        "(двухзонный счётчик, показания за 18 месяцев)",
        f"  {spare.number}  код {UNBOUND_ACCOUNT['code']}  НЕ привязан: попробуйте привязать его новым пользователем",
        *(
            f"  {spec['number']}  код {spec['code']}  привязан к организации «{organisation.name}»"
            for spec in ORGANISATION_CONTRACTS
        ),
        "Заявки на договор: /contracts/apply/ (от организации подаёт её администратор, org.admin@demo.example).",
    ]
