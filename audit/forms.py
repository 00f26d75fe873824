from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from core.forms import PeriodForm


def _ascii_digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


class CustomerChangesForm(PeriodForm):
    """Whose records and over which period; the customer by e-mail, an organisation's ИНН, or a card's link."""

    customer = forms.CharField(
        label=_("Клиент"), required=False, max_length=254,
        help_text=_("Электронная почта клиента или ИНН организации."),
    )
    user = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    organisation = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        text = (data.get("customer") or "").strip()
        data["subject"] = None
        if data.get("user") and not text:
            data["subject"] = User.objects.filter(pk=data["user"], is_staff=False).first()
        elif data.get("organisation") and not text:
            data["subject"] = Organisation.objects.filter(pk=data["organisation"]).first()
        elif "@" in text:
            data["subject"] = User.objects.filter(email__iexact=text, is_staff=False).first()
        elif _ascii_digits(text) and len(text) in (10, 12):
            found = list(Organisation.objects.filter(inn=text).order_by("kpp")[:2])
            if len(found) > 1:
                self.add_error("customer", _(
                    "С этим ИНН несколько организаций (филиалы с разными КПП): откройте журнал из карточки "
                    "нужной организации."))
                return data
            data["subject"] = found[0] if found else None
        elif text:
            self.add_error("customer", _(
                "Укажите электронную почту клиента или ИНН организации: 10 или 12 цифр."))
            return data
        else:
            self.add_error("customer", _("Укажите клиента: электронную почту или ИНН организации."))
            return data
        if data["subject"] is None:
            self.add_error("customer", _("Такого клиента нет: проверьте почту или ИНН."))
        return data
