from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import PeriodForm


class DashboardForm(PeriodForm):
    operator = forms.ModelChoiceField(
        label=_("Исполнитель"), queryset=User.objects.none(), required=False, empty_label=_("— все —"),
        error_messages={"invalid_choice": _("Такого исполнителя нет в списке: выберите из списка.")},
    )

    def __init__(self, *args, operators=None, personal=False, **kwargs):
        super().__init__(*args, **kwargs)
        if operators is not None:
            self.fields["operator"].queryset = operators
        if personal:
            del self.fields["operator"]  # a personal view shows one's own figures only
