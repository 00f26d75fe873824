from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    """One checkbox per (event, channel) the person may switch, and the language of messages."""

    language = forms.ChoiceField(
        label=_("Язык уведомлений"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Выберите язык из списка."), "required": _("Выберите язык.")},
    )

    def __init__(self, *args, rows, language, **kwargs):
        super().__init__(*args, initial={"language": language}, **kwargs)
        self.rows = rows
        for row in rows:
            for cell in row["cells"]:
                if cell and not cell["locked"]:
                    self.fields[cell["name"]] = forms.BooleanField(
                        label=f"{row['event'].label}: {cell['label']}", required=False, initial=cell["enabled"]
                    )

    def choices(self) -> dict[tuple[str, str], bool]:
        result = {}
        for name, value in self.cleaned_data.items():
            if name == "language":
                continue
            event, _sep, channel = name.rpartition(":")
            result[(event, channel)] = bool(value)
        return result
