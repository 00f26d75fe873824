"""Forms of the contracts admin: the records' own checks, and the billing import's upload."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.validators import inn_is_valid, personal_account_is_valid
from contracts.imports import ENTITY_LABELS, MAX_FILE_BYTES
from contracts.imports.tables import MAX_ARCHIVE_BYTES, is_archive
from contracts.models import ZONES_BY_TARIFF, Contract
from contracts.validators import parse_zone_hours
from core.uploads import XLSX, clean_file_name, detect_content_type


class ContractAdminForm(forms.ModelForm):
    """The import's rules for a contract typed by staff (the customer kind follows the contract's kind)."""

    def clean(self):
        data = super().clean()
        kind, number, inn = data.get("kind"), data.get("number"), data.get("inn") or ""
        if kind == Contract.Kind.RESIDENTIAL:
            self.instance.customer_kind = Contract.CustomerKind.PERSON
            if number and not personal_account_is_valid(number):
                self.add_error("number", _("Номер лицевого счёта не соответствует формату, принятому в компании."))
            if not data.get("tariff"):
                self.add_error("tariff", _("У договора гражданина укажите тариф."))
            if data.get("price_category") is not None:
                self.add_error("price_category", _("Ценовая категория указывается только у договора организации."))
            if inn and not (len(inn) == 12 and inn_is_valid(inn)):
                self.add_error("inn", _("Неверный ИНН гражданина: 12 цифр, контрольные цифры должны сходиться."))
        elif kind:
            self.instance.customer_kind = Contract.CustomerKind.ORGANISATION
            if data.get("tariff"):
                self.add_error("tariff", _("У договора организации тариф не указывается — только ценовая категория."))
            if data.get("price_category") is None:
                self.add_error("price_category", _("У договора организации укажите ценовую категорию от 1 до 6."))
            if not inn:
                self.add_error("inn", _("У договора организации ИНН обязателен."))
            elif not inn_is_valid(inn):
                self.add_error(
                    "inn", _("Неверный ИНН: 10 цифр у организации или 12 у ИП, контрольные цифры должны сходиться.")
                )
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("Дата окончания раньше даты начала."))
        return data


class SupplyPointAdminForm(forms.ModelForm):
    def clean_max_power_kw(self):
        power = self.cleaned_data["max_power_kw"]
        if power is not None and power < 0:
            raise ValidationError(_("Мощность не может быть отрицательной."))
        return power


class MeterAdminForm(forms.ModelForm):
    """The import's rules: a resident's meter in service has the tariff's zones; a replaced meter is removed,
    and never replaced by itself."""

    def clean(self):
        data = super().clean()
        point, zones = data.get("supply_point"), data.get("zones")
        if point is not None and zones and not data.get("removed_on"):
            contract = point.contract
            if contract.is_residential and contract.tariff and ZONES_BY_TARIFF[contract.tariff] != zones:
                self.add_error(
                    "zones",
                    _("Тариф договора %(number)s — на %(expected)d зон(ы): у счётчика в работе столько же зон.")
                    % {"number": contract.number, "expected": ZONES_BY_TARIFF[contract.tariff]},
                )
        replaced_by = data.get("replaced_by")
        if replaced_by is not None and self.instance.pk and replaced_by.pk == self.instance.pk:
            self.add_error("replaced_by", _("Счётчик не может быть заменён сам на себя."))
        installed, removed = data.get("installed_on"), data.get("removed_on")
        if installed and removed and removed < installed:
            self.add_error("removed_on", _("Дата снятия раньше даты установки."))
        if replaced_by is not None and not removed:
            self.add_error("removed_on", _("У заменённого счётчика укажите дату снятия."))
        return data


class TariffZoneAdminForm(forms.ModelForm):
    """Zone hours in the one format the rest of the portal reads («07-10,17-21»), normalised."""

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        intervals = parse_zone_hours(hours)
        return ",".join(f"{start:02d}-{end:02d}" for start, end in intervals)


class BillingImportForm(forms.Form):
    AUTO = ""

    file = forms.FileField(
        label=_("Файл из биллинга"),
        help_text=_(
            "CSV в кодировке UTF-8 (разделитель «;» или «,») или книга Excel XLSX, не больше %(limit)s; документы — "
            "архивом ZIP с описью manifest.csv, не больше %(archive)s."
        )
        % {"limit": filesizeformat(MAX_FILE_BYTES), "archive": filesizeformat(MAX_ARCHIVE_BYTES)},
    )
    entity = forms.ChoiceField(
        label=_("Что в файле"),
        required=False,
        # A callable: billing registers its entities when the apps are ready, after this module may be imported.
        choices=lambda: [(BillingImportForm.AUTO, _("определить по заголовку")), *ENTITY_LABELS.items()],
    )
    dry_run = forms.BooleanField(label=_("Только проверить, ничего не сохранять"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = clean_file_name(upload.name)
        if not upload.size:
            raise ValidationError(_("Файл «%(name)s» пустой."), params={"name": name})
        archive = is_archive(upload)
        if upload.size > (MAX_ARCHIVE_BYTES if archive else MAX_FILE_BYTES):
            raise ValidationError(
                _("Файл «%(name)s» больше %(limit)s: разделите его на несколько."),
                params={"name": name, "limit": filesizeformat(MAX_ARCHIVE_BYTES if archive else MAX_FILE_BYTES)},
            )
        extension = name.rsplit(".", 1)[-1].lower()
        if extension == "zip" or archive:
            if not (extension == "zip" and archive):
                raise ValidationError(
                    _("Расширение файла «%(name)s» не соответствует его содержимому."), params={"name": name}
                )
            return upload
        is_xlsx = detect_content_type(upload) == XLSX
        if extension == "xlsx" and not is_xlsx:
            raise ValidationError(_("Файл «%(name)s» не является книгой Excel (XLSX)."), params={"name": name})
        if extension in ("csv", "txt") and is_xlsx:
            raise ValidationError(
                _("Расширение файла «%(name)s» не соответствует его содержимому."), params={"name": name}
            )
        if extension not in ("csv", "txt", "xlsx"):
            raise ValidationError(_("Загрузите файл CSV или XLSX (документы — архивом ZIP с описью)."))
        return upload
