"""Every change to a data-subject request: filing, extension, answer, erasure. One function each,
under a row lock, with notices queued through the outbox in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines import services as deadline_services
from deadlines.display import due_display
from notifications.services import notify

from . import notifying
from .act import destruction_act_pdf
from .erasure import erase_person
from .models import SubjectRequest

RULES = {
    SubjectRequest.Kind.ACCESS: "pd.subject_request",
    SubjectRequest.Kind.CORRECTION: "pd.subject_request",
    SubjectRequest.Kind.DELETION: "pd.subject_request",
    SubjectRequest.Kind.WITHDRAWAL: "pd.consent_withdrawal",
}


def subject_request_file(*, user, kind: str, text: str = "", channel=SubjectRequest.Channel.CABINET,
                         received_at=None, actor=None, now=None) -> SubjectRequest:
    """A request from the cabinet, or one received on paper and registered by staff (`received_at`)."""
    now = now or timezone.now()
    received_at = received_at or now
    if kind not in SubjectRequest.Kind.values:
        raise ValidationError(_("Выберите, что вы просите."), code="kind")
    if received_at > now:
        raise ValidationError(_("Дата поступления не может быть в будущем."), code="received_at")
    if kind == SubjectRequest.Kind.CORRECTION and not text.strip():
        raise ValidationError(_("Напишите, какие данные неверны и как их исправить."), code="text")
    rule = deadline_services.rule_for(RULES[kind])
    due = deadline_services.deadline_for(rule, received_at=received_at, registered_at=now)
    return SubjectRequest.objects.create(
        user=user, kind=kind, text=text.strip(), channel=channel, received_at=received_at, due_at=due,
        deadline_rule=rule, handled_by=actor,
    )


def _lock_open(request_id: int) -> SubjectRequest:
    rows = SubjectRequest.objects.select_for_update(of=("self",)).select_related("deadline_rule", "user")
    request = rows.get(pk=request_id)
    if request.status != SubjectRequest.Status.OPEN:
        raise ValidationError(_("По этому запросу ответ уже дан."), code="closed")
    return request


def subject_request_extend(*, request_id: int, actor, reason: str, now=None) -> SubjectRequest:
    """Once, by the rule's extension (5 working days), with a reasoned notice to the person."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError(_("Укажите причину продления: она уйдёт заявителю в уведомлении."), code="reason")
    with transaction.atomic():
        request = _lock_open(request_id)
        if request.extended_at is not None:
            raise ValidationError(_("Срок по этому запросу уже продлевали; второй раз нельзя."), code="twice")
        rule = request.deadline_rule
        request.due_at = deadline_services.extension_for(rule, current_due_at=request.due_at,
                                                         amount=rule.extension_amount)
        request.extended_at, request.extension_reason, request.handled_by = now, reason.strip(), actor
        request._history_user = actor
        request.save(update_fields=["due_at", "extended_at", "extension_reason", "handled_by"])
        notify(recipient=request.user, event=notifying.EXTENDED.key, legally_required=True,
               context={"request_pk": request.pk, "due": due_display(request.due_at, rule.unit),
                        "reason": request.extension_reason},
               dedup_key=f"privacy:{request.pk}:extended", link=reverse("privacy:detail", args=[request.pk]), now=now)
    return request


def subject_request_answer(*, request_id: int, actor, answer: str, now=None) -> SubjectRequest:
    now = now or timezone.now()
    if not answer.strip():
        raise ValidationError(_("Напишите ответ заявителю."), code="answer")
    with transaction.atomic():
        request = _lock_open(request_id)
        if request.erases:
            raise ValidationError(_("Запрос на удаление выполняется кнопкой «Удалить данные и составить акт»."),
                                  code="erase_instead")
        request.status, request.answer, request.answered_at, request.handled_by = (
            SubjectRequest.Status.ANSWERED, answer.strip(), now, actor)
        request._history_user = actor
        request.save(update_fields=["status", "answer", "answered_at", "handled_by"])
        notify(recipient=request.user, event=notifying.ANSWERED.key, legally_required=True,
               context={"request_pk": request.pk}, dedup_key=f"privacy:{request.pk}:answered",
               link=reverse("privacy:detail", args=[request.pk]), now=now)
    return request


def subject_request_erase(*, request_id: int, actor, now=None) -> SubjectRequest:
    """Destroy the person's data (anonymise what must be kept) and keep the act of destruction."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock_open(request_id)
        if not request.erases:
            raise ValidationError(_("Удалить данные можно только по запросу на удаление или отзыву согласия."),
                                  code="not_erasure")
        subject_id = request.user_id
        lines = erase_person(subject_id)
        request.refresh_from_db()
        request.status, request.answered_at, request.handled_by = SubjectRequest.Status.ERASED, now, actor
        request.answer = _("Данные уничтожены или обезличены; составлен акт об уничтожении.")
        request._history_user = actor
        request.save(update_fields=["status", "answer", "answered_at", "handled_by"])
        # Not a save: the act is no change to record in the history it quotes.
        SubjectRequest.objects.filter(pk=request.pk).update(
            act_pdf=destruction_act_pdf(request, lines, actor=actor, now=now))
    return request
