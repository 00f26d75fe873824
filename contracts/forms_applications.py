"""The customer's forms for contract applications: the application itself (fields by kind and customer
type), a document upload, withdrawing. Services decide; these parse and say what is wrong beside the field."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_inn_organisation, validate_inn_person
from contracts.application_files import APPLICATION_DOCUMENTS
from contracts.models import SupplyPoint, Tariff
from contracts.models_applications import KINDS_ON_A_CONTRACT, ApplicationKind
from core.forms import CheckedFilesField
from core.phones import PhoneField

PERSONALLY = "me"
K = ApplicationKind


class ApplicationForm(forms.Form):
    """One form for every kind; `fields_for` keeps those that fit the kind and the applicant."""

    applicant = forms.ChoiceField(label=_("От чьего имени"), required=False)
    contract = forms.ChoiceField(label=_("Договор"), required=False)
    customer_name = forms.CharField(label=_("Потребитель: ФИО или наименование"), max_length=300, required=False)
    inn = forms.CharField(label=_("ИНН"), max_length=12, required=False)
    address = forms.CharField(label=_("Адрес помещения"), max_length=500, required=False)
    tariff = forms.ChoiceField(label=_("Тариф"), choices=[("", "—"), *Tariff.choices], required=False)
    price_category = forms.TypedChoiceField(
        label=_("Ценовая категория"), choices=[("", "—")] + [(str(n), str(n)) for n in range(1, 7)], coerce=int,
        empty_value=None, required=False,
    )
    contact_phone = PhoneField(label=_("Контактный телефон"), required=False)
    starts_on = forms.DateField(label=_("С какой даты"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    details = forms.CharField(label=_("Пояснения"), max_length=3000, required=False, widget=forms.Textarea(
        attrs={"rows": 3}))

    def __init__(self, *args, kind, organisations, contracts, fixed_applicant=None, **kwargs):
        """`organisations`: those the user may apply for (their administrator); `contracts`: [(contract,
        organisation or None)] they may apply on; `fixed_applicant`: editing a draft, who it is for."""
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.organisations = {str(o.pk): o for o in organisations}
        self.contracts = {c.number: (c, org) for c, org in contracts}
        self.fields["applicant"].choices = [(PERSONALLY, _("от себя лично"))] + [
            (pk, org.name) for pk, org in self.organisations.items()
        ]
        self.fields["contract"].choices = [("", "—")] + [
            (number, f"№ {number}" + (f" ({org.name})" if org else "")) for number, (c, org) in self.contracts.items()
        ]
        on_contract = kind in KINDS_ON_A_CONTRACT
        if on_contract or fixed_applicant is not None or not self.organisations:
            del self.fields["applicant"]
        if not on_contract:
            del self.fields["contract"]
        self.fixed_applicant = fixed_applicant
        keep = set(self._fields_for_kind(kind))
        if kind == K.CONCLUDE:
            # A resident sees a tariff, an organisation a price category and ИНН; someone who may apply
            # both ways sees both, each marked for whom.
            if fixed_applicant is False or (fixed_applicant is None and not self.organisations):
                keep -= {"price_category", "inn"}
            elif fixed_applicant:
                keep -= {"tariff", "address"}
            else:
                self.fields["tariff"].help_text = _("Для гражданина.")
                self.fields["address"].help_text = _("Для гражданина: адрес квартиры или дома.")
                self.fields["price_category"].help_text = _("Для организации (ПП 442).")
                self.fields["inn"].help_text = _("Для организации или ИП.")
        for name in list(self.fields):
            if name not in keep and name not in ("applicant", "contract"):
                del self.fields[name]
        labels = {
            K.REREGISTER: {"customer_name": _("Новый владелец или арендатор: ФИО или наименование"),
                           "inn": _("ИНН нового владельца (для организации или ИП)"),
                           "starts_on": _("С какой даты переоформить")},
            K.TERMINATE: {"starts_on": _("Дата расторжения"), "details": _("Причина (по желанию)")},
            K.AMEND: {"details": _("Что изменить"), "tariff": _("Новый тариф"),
                      "price_category": _("Новая ценовая категория")},
        }.get(kind, {})
        for name, label in labels.items():
            if name in self.fields:
                self.fields[name].label = label

    @staticmethod
    def _fields_for_kind(kind):
        return {
            K.CONCLUDE: ("customer_name", "inn", "address", "tariff", "price_category", "contact_phone",
                         "starts_on", "details"),
            K.REREGISTER: ("customer_name", "inn", "contact_phone", "starts_on", "details"),
            K.AMEND: ("tariff", "price_category", "contact_phone", "details"),
            K.TERMINATE: ("starts_on", "contact_phone", "details"),
        }[kind]

    # --- who the application is for -----------------------------------------------------

    def chosen(self):
        """(organisation or None, contract or None) from the cleaned data."""
        data = self.cleaned_data
        if self.kind in KINDS_ON_A_CONTRACT:
            contract, organisation = self.contracts.get(data.get("contract") or "", (None, None))
            return organisation, contract
        if self.fixed_applicant is not None:
            return self.fixed_applicant or None, None
        return self.organisations.get(data.get("applicant") or PERSONALLY), None

    def clean(self):
        data = super().clean()
        if "applicant" not in self.fields and self.data.get("applicant") not in (None, "", PERSONALLY):
            # Asked to apply for an organisation the user does not administer.
            raise ValidationError(_(
                "Подать заявку от имени организации может только её администратор (роль «администратор» в "
                "организации)."
            ))
        if self.kind in KINDS_ON_A_CONTRACT and not data.get("contract"):
            self.add_error("contract", _("Выберите договор."))
            return data
        organisation, contract = self.chosen()
        person = organisation is None if contract is None else contract.is_residential
        required = {
            K.CONCLUDE: ["customer_name"] + (["address", "tariff"] if person else ["inn", "price_category"]),
            # (fields the form does not show for this applicant are skipped below)
            K.REREGISTER: ["customer_name"],
            K.TERMINATE: ["starts_on"],
            K.AMEND: [],
        }[self.kind]
        for name in required:
            if name in self.fields and data.get(name) in (None, ""):
                self.add_error(name, _("Заполните это поле."))
        inn = (data.get("inn") or "").strip()
        if inn:
            try:
                (validate_inn_person if len(inn) == 12 else validate_inn_organisation)(inn)
            except ValidationError as error:
                self.add_error("inn", error)
        starts_on = data.get("starts_on")
        if starts_on and starts_on < timezone.localdate():
            self.add_error("starts_on", _("Дата не может быть в прошлом."))
        if data.get("price_category") and person:
            data["price_category"] = None
        if data.get("tariff") and not person:
            data["tariff"] = ""
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in (
            "customer_name", "inn", "address", "tariff", "price_category", "contact_phone", "starts_on", "details"
        ) if name in data}


class PointForm(forms.Form):
    """One supply point: a new one (concluding) or one whose maximum power or voltage changes (amending)."""

    address = forms.CharField(label=_("Адрес точки поставки"), max_length=500, required=False)
    max_power_kw = forms.DecimalField(
        label=_("Максимальная мощность, кВт"), max_digits=10, decimal_places=2, min_value=Decimal("0.01"),
        required=False,
    )
    voltage = forms.ChoiceField(label=_("Уровень напряжения"), choices=SupplyPoint.Voltage.choices,
                                initial=SupplyPoint.Voltage.LV, required=False)
    meter_serial = forms.CharField(label=_("Заводской номер счётчика (если установлен)"), max_length=40,
                                   required=False)
    meter_zones = forms.TypedChoiceField(label=_("Число зон счётчика"), choices=[("1", "1"), ("2", "2"), ("3", "3")],
                                         coerce=int, initial=1, required=False)

    def clean(self):
        data = super().clean()
        if data.get("address") and not data.get("max_power_kw"):
            self.add_error("max_power_kw", _("Укажите максимальную мощность точки поставки."))
        if not data.get("address") and (data.get("max_power_kw") or data.get("meter_serial")):
            self.add_error("address", _("Укажите адрес точки поставки."))
        return data

    def point(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("address"):
            return None
        return {
            "address": data["address"], "max_power_kw": data["max_power_kw"],
            "voltage": data.get("voltage") or SupplyPoint.Voltage.LV,
            "meter_serial": (data.get("meter_serial") or "").strip(), "meter_zones": data.get("meter_zones") or 1,
        }


MAX_POINTS = 10


def point_formset(kind, *, organisation: bool, data=None, initial=()):
    """The supply points' rows: none for re-registering or terminating; one blank row for a resident, three for
    someone who may apply for an organisation; the rows already in a draft are kept."""
    if kind not in (K.CONCLUDE, K.AMEND):
        return None
    blank = 3 if organisation else 1
    formset_class = forms.formset_factory(PointForm, extra=max(blank - len(initial), 1 if not initial else 0),
                                          max_num=MAX_POINTS, validate_max=True)
    return formset_class(data, prefix="points", initial=list(initial))


def points_of(formset) -> list[dict]:
    if formset is None:
        return []
    return [p for p in (form.point() for form in formset.forms) if p]


class DocumentUploadForm(forms.Form):
    requirement = forms.TypedChoiceField(label=_("Какой документ"), coerce=int, empty_value=None, required=False)
    title = forms.CharField(label=_("Название другого документа"), max_length=200, required=False)
    files = CheckedFilesField(policy=APPLICATION_DOCUMENTS, label=_("Файлы"), required=True,
                              help_text=_("PDF, JPEG или PNG, до 10 МБ каждый, не больше 5 за раз."))

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [(r.pk, r.title) for r in requirements] + [
            ("", _("Другой документ"))
        ]


class WithdrawForm(forms.Form):
    comment = forms.CharField(label=_("Причина (по желанию)"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
