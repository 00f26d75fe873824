from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from monitoring import periods


class DashboardForm(forms.Form):
    period = forms.ChoiceField(label=_("Период"), choices=periods.CHOICES, initial=periods.THIS_MONTH, required=False,
                               widget=forms.RadioSelect)
    start = forms.DateField(label=_("С"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("По"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
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

    def clean(self):
        data = super().clean()
        if data.get("period") == periods.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", _("Укажите первый день периода."))
            if not end:
                self.add_error("end", _("Укажите последний день периода."))
            if start and end:
                if end < start:
                    self.add_error("end", _("Последний день периода раньше первого."))
                elif (end - start).days + 1 > periods.MAX_DAYS:
                    self.add_error("end", _("Период — не длиннее года (%(n)d дней).") % {"n": periods.MAX_DAYS})
        return data

    def period_for(self, today):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return periods.period_for(data.get("period") or periods.THIS_MONTH, today,
                                  start=data.get("start"), end=data.get("end"))
