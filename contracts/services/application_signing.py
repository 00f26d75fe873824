"""What a signed application does to the contracts: called by `application_staff.application_sign`
inside its transaction, with the application locked.

- conclude: a new contract (the number staff give — a resident's is the personal account number),
  its supply points and meters, bound to the resident or the organisation;
- re-register: the contract passes to the applicant (new name and ИНН, the old binding ended);
- amend: tariff or price category, supply points' maximum power and voltage, new meters;
- terminate: the contract is terminated from the requested date.

Records made here carry billing ids `PORTAL-APP-…`: the next billing import may upsert them by
those ids once billing knows them.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.validators import personal_account_is_valid
from contracts.models import Contract, ContractBinding, Meter, SupplyPoint
from contracts.models_applications import ApplicationKind
from contracts.services import binding as binding_service

K = ApplicationKind


def apply_to_contract(application, *, contract_number: str, now, actor=None) -> Contract:
    today = timezone.localtime(now).date()
    handler = {
        K.CONCLUDE: _conclude,
        K.REREGISTER: _reregister,
        K.AMEND: _amend,
        K.TERMINATE: _terminate,
    }[application.kind]
    try:
        with transaction.atomic():
            return handler(application, contract_number=contract_number, now=now, today=today, actor=actor)
    except IntegrityError:
        raise ValidationError(
            _("Договор не оформлен: номер договора или заводской номер счётчика уже есть в базе. Проверьте их.")
        ) from None


def _billing_id(application, suffix="") -> str:
    return f"PORTAL-APP-{application.pk}{suffix}"


def _locked_contract(application) -> Contract:
    contract = Contract.objects.select_for_update().filter(pk=application.contract_id).first()
    if contract is None:
        raise ValidationError(_("Договор заявки не найден."))
    return contract


def _conclude(application, *, contract_number, now, today, actor=None):
    if not contract_number:
        raise ValidationError({"contract_number": _("Укажите номер заключённого договора (у гражданина — номер "
                                                    "лицевого счёта).")})
    person = application.organisation_id is None
    if person and not personal_account_is_valid(contract_number):
        raise ValidationError({"contract_number": _("Номер лицевого счёта не соответствует формату номеров счетов.")})
    if Contract.objects.filter(number=contract_number).exists():
        raise ValidationError({"contract_number": _("Договор с таким номером уже есть.")})
    organisation = application.organisation
    contract = Contract.objects.create(
        billing_id=_billing_id(application),
        number=contract_number,
        kind=Contract.Kind.RESIDENTIAL if person else Contract.Kind.SUPPLY,
        customer_kind=application.customer_kind,
        customer_name=application.customer_name or (organisation.name if organisation else str(application.author)),
        inn=application.inn or (organisation.inn if organisation else ""),
        address=application.address,
        signed_on=today,
        effective_from=application.starts_on or today,
        tariff=(application.tariff or "single") if person else "",
        price_category=None if person else (application.price_category or 1),
    )
    _points(application, contract)
    ContractBinding.objects.create(
        contract=contract, user=application.author if person else None, organisation=organisation,
        bound_at=now, bound_by=application.author,
    )
    return contract


def _points(application, contract):
    for point in application.points.all():
        supply_point = SupplyPoint.objects.filter(contract=contract, address=point.address).first()
        if supply_point is None:
            supply_point = SupplyPoint.objects.create(
                billing_id=_billing_id(application, f"-TP-{point.pk}"), contract=contract, address=point.address,
                max_power_kw=point.max_power_kw, voltage=point.voltage,
            )
        else:
            supply_point.max_power_kw, supply_point.voltage = point.max_power_kw, point.voltage
            supply_point.save(update_fields=["max_power_kw", "voltage"])
        if point.meter_serial and not Meter.objects.filter(serial_number=point.meter_serial,
                                                           supply_point=supply_point).exists():
            Meter.objects.create(
                billing_id=_billing_id(application, f"-PU-{point.pk}"), supply_point=supply_point,
                serial_number=point.meter_serial, zones=point.meter_zones,
            )


def _reregister(application, *, contract_number, now, today, actor=None):
    contract = _locked_contract(application)
    organisation = application.organisation
    contract.customer_name = application.customer_name or (
        organisation.name if organisation else str(application.author)
    )
    if application.inn or organisation:
        contract.inn = application.inn or organisation.inn
    contract.save(update_fields=["customer_name", "inn", "updated_at"])
    binding_service.end_binding(contract, now=now, by=actor)
    ContractBinding.objects.create(
        contract=contract, user=None if organisation else application.author, organisation=organisation,
        bound_at=now, bound_by=application.author,
    )
    return contract


def _amend(application, *, contract_number, now, today, actor=None):
    contract = _locked_contract(application)
    if contract.is_residential and application.tariff:
        contract.tariff = application.tariff
    if not contract.is_residential and application.price_category:
        contract.price_category = application.price_category
    contract.save(update_fields=["tariff", "price_category", "updated_at"])
    _points(application, contract)
    return contract


def _terminate(application, *, contract_number, now, today, actor=None):
    contract = _locked_contract(application)
    contract.status = Contract.Status.TERMINATED
    contract.effective_to = application.starts_on or today
    contract.save(update_fields=["status", "effective_to", "updated_at"])
    return contract
