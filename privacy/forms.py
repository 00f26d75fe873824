from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SubjectRequest


class SubjectRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Что вы просите"), choices=[c for c in SubjectRequest.Kind.choices if c[0] != "withdrawal"],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Пояснение"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Для исправления напишите, какие данные неверны и какими они должны быть."),
    )
