"""The answer's forms on the admin's work page: the draft, and sending the previewed draft.

Beside `appeals.forms` (the cabinet's forms and the other staff actions) so that the answer's
two steps read together.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from appeals.forms import TEXT_MAX_LENGTH, VersionedForm


class AnswerDraftForm(VersionedForm):
    text = forms.CharField(
        label=_("Текст ответа"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Черновик видите только вы и коллеги; заявитель получит ответ после отправки."),
    )


class AnswerSendForm(VersionedForm):
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
    letter = forms.FileField(label=_("Подписанное письмо (PDF)"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}))
