"""The cabinet's contract forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

ME = "me"


class BindForm(forms.Form):
    """A personal account for oneself, or (for an organisation's administrator) a contract for the organisation."""

    owner = forms.ChoiceField(
        label=_("Кому привязать"),
        help_text=_("Лицевой счёт жителя привязывается к вам; договор организации — ко всем её сотрудникам."),
    )
    number = forms.CharField(
        label=_("Номер лицевого счёта или договора"),
        max_length=60,
        help_text=_(
            "Номер лицевого счёта напечатан в верхней части квитанции; номер договора — на первой странице договора."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=_("Код привязки"),
        max_length=40,
        help_text=_(
            "8 букв и цифр. Жители найдут код в квитанции, рядом с номером лицевого счёта; организации — в письме "
            "о подключении к личному кабинету или у своего менеджера. Регистр букв и пробелы не важны."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        if self.organisations:
            choices = [(ME, _("Себе — лицевой счёт жителя"))] + [
                (pk, _("Организации «%(name)s»") % {"name": o.name}) for pk, o in self.organisations.items()
            ]
            self.fields["owner"].choices = choices
            self.fields["owner"].widget = forms.RadioSelect(choices=choices)
            self.fields["owner"].initial = ME
        else:
            # A resident without organisations to administer binds only their own account.
            del self.fields["owner"]
            self.fields["number"].label = _("Номер лицевого счёта")
            self.fields["number"].help_text = _("Номер лицевого счёта напечатан в верхней части квитанции.")
            self.fields["code"].help_text = _(
                "8 букв и цифр в квитанции, рядом с номером лицевого счёта. Регистр букв и пробелы не важны."
            )

    def organisation(self):
        """The organisation chosen, or None for the person's own account."""
        return self.organisations.get(self.cleaned_data.get("owner") or ME)
