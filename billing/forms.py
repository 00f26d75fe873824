from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from billing.services.payments import parse_amount


class PayForm(forms.Form):
    amount = forms.CharField(
        label=_("Сумма, руб."),
        max_length=20,
        help_text=_("Можно оплатить долг целиком, часть или внести аванс. Копейки — через запятую."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def clean_amount(self):
        try:
            return parse_amount(self.cleaned_data["amount"])
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from None
