"""The answer's forms on the admin's work page: the draft, and sending the previewed draft.

Beside `appeals.forms` (the cabinet's forms and the other staff actions) so that the answer's
two steps read together.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from appeals.forms import TEXT_MAX_LENGTH, VersionedForm
from appeals.models import AppealDecision
from appeals.services.decisions import DESCRIPTION_MAX_LENGTH


class AnswerDraftForm(VersionedForm):
    text = forms.CharField(
        label=_("Текст ответа"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Черновик видите только вы и коллеги; заявитель получит ответ после отправки."),
    )


class AnswerSendForm(VersionedForm):
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
    letter = forms.FileField(label=_("Подписанное письмо (PDF)"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}))


# --- decisions taken on complaints ---------------------------------------------------------------

class DecisionForm(VersionedForm):
    decision_action = forms.ChoiceField(label=_("Что сделать"), choices=AppealDecision.Action.choices)
    description = forms.CharField(
        label=_("Описание решения (видно заявителю)"), max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    responsible = forms.ModelChoiceField(label=_("Ответственный"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Срок исполнения"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, responsible=None, **kwargs):
        super().__init__(*args, **kwargs)
        if responsible is not None:
            self.fields["responsible"].queryset = responsible


class DecisionDoneForm(forms.Form):
    decision = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Что сделано (видно заявителю)"), max_length=DESCRIPTION_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}))
    done_on = forms.DateField(label=_("Дата выполнения"), widget=forms.DateInput(attrs={"type": "date"}))


class DecisionCancelForm(forms.Form):
    decision = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Причина отмены (видна заявителю)"), max_length=DESCRIPTION_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}))
