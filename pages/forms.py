from django import forms
from django.utils.translation import gettext_lazy as _

from appeals.models import NUMBER_PATTERN, Appeal
from core.forms import IdempotencyKeyMixin
from core.phones import PhoneField
from pages.search import MAX_QUERY_LENGTH

QUESTION_MAX_LENGTH = 5000


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


class VisitorQuestionForm(IdempotencyKeyMixin, forms.Form):
    """A question from someone without an account; it becomes an appeal answered by email."""

    name = forms.CharField(label=_("Как к вам обращаться"), max_length=300)
    email = forms.EmailField(
        label=_("Электронная почта"), max_length=254, help_text=_("На этот адрес придёт ответ.")
    )
    phone = PhoneField(
        required=False, help_text=_("Необязательно: если удобнее, чтобы мы уточнили детали по телефону."),
    )
    topic = forms.ChoiceField(label=_("Тема"), choices=Appeal.Topic.choices, initial=Appeal.Topic.OTHER)
    subject = forms.CharField(label=_("Кратко, о чём вопрос"), max_length=200)
    text = forms.CharField(
        label=_("Ваш вопрос"), max_length=QUESTION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Если вопрос о конкретном доме или договоре, укажите адрес и номер лицевого счёта."),
    )  # fmt: skip
    consent = forms.BooleanField(
        label=_("Я согласен(на) на обработку моих персональных данных для ответа на этот вопрос"),
        error_messages={"required": _("Без согласия на обработку данных мы не сможем ответить на вопрос.")},
    )


class StatusCheckForm(forms.Form):
    number = forms.RegexField(
        label=_("Номер обращения"), regex=rf"^\s*{NUMBER_PATTERN}\s*$", max_length=20,
        error_messages={"invalid": _("Номер выглядит так: 2026-000123.")},
        help_text=_("Его сообщили при регистрации и указали в письме."),
    )  # fmt: skip
    email = forms.EmailField(label=_("Электронная почта, указанная в обращении"), max_length=254)
