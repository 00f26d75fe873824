from django import forms
from django.utils.translation import gettext_lazy as _

ONE_TIME_CODE = {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Код из приложения"),
        help_text=_("Шесть цифр, которые показывает приложение после добавления ключа."),
        max_length=32,
        error_messages={"required": _("Введите код из приложения."), "max_length": _("Код слишком длинный.")},
        widget=forms.TextInput(attrs={**ONE_TIME_CODE, "autofocus": True}),
    )


class VerifyForm(forms.Form):
    """A code from the authenticator, or (when the phone is lost) one recovery code."""

    code = forms.CharField(
        label=_("Код из приложения"),
        help_text=_("Шесть цифр из приложения-аутентификатора."),
        max_length=32,
        required=False,
        error_messages={"max_length": _("Код слишком длинный.")},
        widget=forms.TextInput(attrs={**ONE_TIME_CODE, "autofocus": True}),
    )
    recovery_code = forms.CharField(
        label=_("Код восстановления"),
        help_text=_("Если телефона нет под рукой: один из кодов, выданных при подключении. Каждый действует один раз."),
        max_length=32,
        required=False,
        error_messages={"max_length": _("Код слишком длинный.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("code") or cleaned.get("recovery_code")) and not self.errors:
            raise forms.ValidationError(_("Введите код из приложения или код восстановления."))
        return cleaned

    @property
    def typed_code(self) -> str:
        return self.cleaned_data.get("code") or self.cleaned_data.get("recovery_code") or ""
