"""Phone numbers: one normaliser for every form that takes one (design §2.3).

Russian numbers only, stored in E.164: «+7» and 10 digits. A leading 8 (or a
bare 7) of an 11-digit number becomes +7. Spaces, brackets, dots and dashes are
ignored; digits must be ASCII 0-9 (str.isdigit() accepts other scripts' digits,
which no phone exchange dials).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Spaces (no-break ones too, as pasted from a page), brackets, dots and dashes; never a line break.
_SEPARATORS = re.compile("[ \u00a0\u202f\t().-]")
_ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)
INVALID_MESSAGE = _("Введите российский номер телефона: +7 и 10 цифр, например +7 916 123-45-67.")


def normalise_phone(value) -> str:
    """«8 (916) 123-45-67» → «+79161234567»; ValidationError (code "phone") for anything else."""
    if not isinstance(value, str):
        raise ValidationError(INVALID_MESSAGE, code="phone")
    compact = _SEPARATORS.sub("", value)
    if compact.startswith("+7"):
        national = compact[2:]
    elif len(compact) == 11 and compact[0] in "78":
        national = compact[1:]
    else:
        national = ""
    if len(national) != 10 or not _ASCII_DIGITS.fullmatch(national):
        raise ValidationError(INVALID_MESSAGE, code="phone")
    return "+7" + national


class PhoneField(forms.CharField):
    """A Russian phone number; cleans to E.164 («+79161234567») or "" when left empty."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("label", _("Телефон"))
        kwargs.setdefault("help_text", _("Например, +7 916 123-45-67 или 8 916 123-45-67."))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "autocomplete": "tel", "inputmode": "tel"}

    def clean(self, value):
        value = super().clean(value)
        return normalise_phone(value) if value else ""
