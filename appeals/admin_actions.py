"""The actions on the admin's work page for one appeal: a table of (form, service call).

Each action builds its form and, when the form is valid, calls exactly one service acting
as staff and returns the message shown on success. Adding an action is one entry here and
its form in the template.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import access, selectors, services
from appeals.admin_forms import (
    AnswerDraftForm,
    AnswerSendForm,
    DecisionCancelForm,
    DecisionDoneForm,
    DecisionForm,
)
from appeals.forms import AssignForm, ExtendForm, RedirectForm, StaffMessageForm, TransitionForm


@dataclass(frozen=True)
class WorkAction:
    form: Callable[..., forms.Form]  # (appeal, request, data, files) -> the action's form
    perform: Callable[..., str]  # (appeal, user, cleaned_data) -> the success message; calls one service
    # (appeal, request) -> where to go on success, when not back to the work page
    then: Callable[..., str | None] | None = None


def _initial(appeal, **extra):
    return {"version": appeal.version, **extra}


def _assign(appeal, user, data):
    services.appeal_assign(appeal.pk, assignee=data["assignee"], actor=user, expected_version=data["version"])
    return _("Исполнитель назначен.")


def _transition(appeal, user, data):
    services.appeal_transition(appeal.pk, to=data["to"], actor=user, as_role=access.STAFF, comment=data["comment"],
                               expected_version=data["version"])
    return _("Статус изменён.")


def _message(appeal, user, data):
    # The form checks each file; the service re-checks the count under the row lock.
    services.appeal_add_message(appeal.pk, actor=user, as_role=access.STAFF, text=data["text"],
                                internal=data["internal"], files=data["files"])
    return _("Заметка сохранена.") if data["internal"] else _("Сообщение отправлено.")


def _extend(appeal, user, data):
    services.appeal_extend(appeal.pk, actor=user, amount=data["amount"], reason=data["reason"],
                           expected_version=data["version"])
    return _("Срок продлён.")


def _redirect(appeal, user, data):
    services.appeal_redirect(appeal.pk, actor=user, organisation_name=data["organisation_name"],
                             sent_on=data["sent_on"], comment=data["comment"], expected_version=data["version"])
    return _("Обращение отмечено как перенаправленное.")


def _draft(appeal, user, data):
    services.appeal_save_answer_draft(appeal.pk, actor=user, text=data["text"], expected_version=data["version"])
    return _("Черновик ответа сохранён. Заявитель его не видит, пока ответ не отправлен.")


def _after_draft(appeal, request):
    # «Посмотреть, как увидит заявитель» saves first, then shows the preview.
    if "preview" in request.POST:
        return reverse("admin:appeals_appeal_answer_preview", args=[appeal.pk])
    return None


def _answer(appeal, user, data):
    services.appeal_send_answer_draft(appeal.pk, actor=user, expected_version=data["version"],
                                      expected_digest=data["digest"], letter=data["letter"])
    return _("Ответ отправлен заявителю.")


def _decision(appeal, user, data):
    services.decision_record(appeal.pk, actor=user, action=data["decision_action"], description=data["description"],
                             responsible=data["responsible"], due_on=data["due_on"], expected_version=data["version"])
    return _("Решение записано. Заявитель видит его на странице обращения.")


def _decision_done(appeal, user, data):
    services.decision_complete(appeal.pk, data["decision"], actor=user, note=data["note"], done_on=data["done_on"])
    return _("Решение отмечено выполненным; заявитель уведомлён.")


def _decision_cancel(appeal, user, data):
    services.decision_cancel(appeal.pk, data["decision"], actor=user, reason=data["reason"])
    return _("Решение отменено.")


# In the order the forms appear on the page.
WORK_ACTIONS = {
    "assign": WorkAction(
        lambda appeal, request, data, files: AssignForm(
            data, initial=_initial(appeal, assignee=appeal.assignee_id),
            assignees=selectors.assignees_for(request.user), prefix="assign",
        ),
        _assign,
    ),
    "transition": WorkAction(
        lambda appeal, request, data, files: TransitionForm(data, initial=_initial(appeal), prefix="transition"),
        _transition,
    ),
    "message": WorkAction(
        lambda appeal, request, data, files: StaffMessageForm(data, files, initial=_initial(appeal),
                                                              prefix="message"),
        _message,
    ),
    "extend": WorkAction(
        lambda appeal, request, data, files: ExtendForm(
            data, initial=_initial(appeal, amount=appeal.deadline_rule.extension_amount or None), prefix="extend",
        ),
        _extend,
    ),
    "redirect": WorkAction(
        lambda appeal, request, data, files: RedirectForm(
            data, initial=_initial(appeal, sent_on=timezone.localdate()), prefix="redirect", appeal=appeal,
        ),
        _redirect,
    ),
    "draft": WorkAction(
        lambda appeal, request, data, files: AnswerDraftForm(
            data, initial=_initial(appeal, text=appeal.answer_draft), prefix="draft",
        ),
        _draft,
        _after_draft,
    ),
    "decision": WorkAction(
        lambda appeal, request, data, files: DecisionForm(
            data, initial=_initial(appeal, responsible=appeal.assignee_id or request.user.pk), prefix="decision",
            responsible=selectors.assignees_for(request.user),
        ),
        _decision,
    ),
    "decision_done": WorkAction(
        lambda appeal, request, data, files: DecisionDoneForm(
            data, initial={"done_on": timezone.localdate()}, prefix="decision_done",
        ),
        _decision_done,
    ),
    "decision_cancel": WorkAction(
        lambda appeal, request, data, files: DecisionCancelForm(data, prefix="decision_cancel"),
        _decision_cancel,
    ),
    # Sent from the preview page: the draft exactly as previewed (its digest), with the letter.
    "answer": WorkAction(
        lambda appeal, request, data, files: AnswerSendForm(
            data, files, initial=_initial(appeal, digest=services.draft_digest(appeal.answer_draft)), prefix="answer",
        ),
        _answer,
    ),
}
