"""Forms for readings: they carry what a person typed; the service decides (contracts.services.readings)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.services.readings_upload import ACCEPT


class ReadingForm(forms.Form):
    """One text field per zone of the meter: the service parses and checks the values, so that a
    value typed with a decimal comma or in other digits gets its own message, not a generic one."""

    def __init__(self, *args, zones, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.zones = zones
        for zone in zones:
            label = f"{zone.code} — {zone.name}" if zone.name and len(zones) > 1 else zone.code
            help_parts = []
            if zone.hours and len(zones) > 1:
                help_parts.append(_("часы зоны: %(hours)s") % {"hours": zone.hours})
            if previous is not None and getattr(previous, zone.field) is not None:
                help_parts.append(
                    _("прошлое показание: %(value)s кВт·ч за %(month)s")
                    % {"value": getattr(previous, zone.field), "month": previous.period.strftime("%m.%Y")}
                )
            self.fields[zone.field] = forms.CharField(
                label=_("%(zone)s, кВт·ч") % {"zone": label},
                required=False,  # the service says which zone is missing, in its own words
                max_length=30,
                help_text=_capitalized("; ".join(str(p) for p in help_parts)),
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )

        self.fields["comment"] = forms.CharField(
            label=_("Комментарий"),
            required=False,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_(
                "Нужен, только если расход намного больше обычного: напишите, почему он вырос, — мы примем "
                "показания и проверим их."
            ),
        )

    def values(self) -> list:
        return [self.cleaned_data.get(zone.field, "") for zone in self.zones]


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


class ReadingsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Файл с показаниями"),
        help_text=_("CSV или XLSX: заводской номер, T1, T2, T3 — по строке на счётчик."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
