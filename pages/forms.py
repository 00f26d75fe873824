from django import forms
from django.utils.translation import gettext_lazy as _

from pages.search import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Что вы ищете"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": _(
                "Запрос слишком длинный: не больше %(limit_value)d символов. Сократите его до главных слов."
            )
        },
    )
