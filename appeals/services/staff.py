"""What only staff do to an appeal: assign it, extend its term, redirect it, answer it."""

import hashlib
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import access, workflow
from appeals.files import PDF, check_file
from appeals.models import Appeal, Attachment
from appeals.services import attachments, common
from appeals.services.common import Event, S, company_tz, now_or
from appeals.services.transitions import apply_transition
from deadlines import services as deadline_services


def appeal_assign(appeal_id: int, *, assignee, actor, now=None, expected_version=None) -> Appeal:
    """Give an appeal to an operator; operators may only take unassigned ones for themselves."""
    now = now_or(now)
    with transaction.atomic():
        appeal, role = common.lock_as(appeal_id, actor, access.STAFF)
        common.check_version(appeal, expected_version)
        if assignee is not None and not (assignee.is_staff and assignee.is_active
                                         and assignee.has_perm("appeals.change_appeal")):
            raise ValidationError(
                {"assignee": _("Исполнителем может быть только сотрудник, работающий с обращениями.")}
            )
        if not actor.has_perm("appeals.view_all_appeals") and assignee != actor:
            raise ValidationError({"assignee": _("Назначать обращения другим сотрудникам может руководитель.")})
        if not workflow.can_assign(appeal):
            raise ValidationError(_("Обращение уже не в работе."))
        if appeal.assignee_id == (assignee.pk if assignee else None):
            return appeal
        appeal.assignee = assignee
        common.record_event(
            appeal, kind=Event.ASSIGNMENT, actor=actor, role=role, now=now,
            comment=_("Исполнитель: %(name)s") % {"name": assignee} if assignee else _("Исполнитель снят"),
        )
        common.save(appeal, ["assignee"])
    return appeal


def appeal_extend(appeal_id: int, *, actor, amount: int, reason: str, now=None, expected_version=None) -> Appeal:
    """Extend the answer deadline once, within the rule's limit, with a reason the customer is told."""
    now = now_or(now)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Укажите причину продления: она будет сообщена заявителю.")})
    with transaction.atomic():
        appeal, role = common.lock_as(appeal_id, actor, access.STAFF)
        common.check_version(appeal, expected_version)
        if not appeal.is_open:
            raise ValidationError(_("Продлить срок можно только по обращению в работе."))
        if appeal.extended_at is not None:
            raise ValidationError(_("Срок по этому обращению уже продлевался; продлить его можно только один раз."))
        new_due = deadline_services.extension_for(appeal.deadline_rule, current_due_at=appeal.due_at, amount=amount)
        appeal.due_at_before_extension = appeal.due_at
        appeal.due_at = new_due
        appeal.extended_at = now
        appeal.extended_by = actor
        appeal.extension_reason = reason
        common.record_event(
            appeal, kind=Event.EXTENSION, actor=actor, role=role, now=now,
            comment=_("Срок ответа продлён до %(due)s. Причина: %(reason)s")
            % {"due": timezone.localtime(new_due, company_tz()).strftime("%d.%m.%Y"), "reason": reason},
        )
        common.save(appeal, ["due_at_before_extension", "due_at", "extended_at", "extended_by", "extension_reason"])
    return appeal


def redirect_due_at(appeal) -> datetime | None:
    """The last moment to send an appeal to the competent organisation (59-ФЗ ст. 8 ч. 3)."""
    try:
        rule = deadline_services.rule_for("appeal.redirect")
    except deadline_services.DeadlineRule.DoesNotExist:
        return None
    return deadline_services.deadline_for(rule, received_at=appeal.received_at, registered_at=appeal.registered_at)


def check_redirect_date(sent_on: date, *, now: datetime, received_at: datetime | None = None) -> None:
    """A sending date is a real day between the appeal's arrival and today (company time)."""
    tz = company_tz()
    if sent_on > timezone.localtime(now, tz).date():
        raise ValidationError({"sent_on": _("Дата направления не может быть в будущем.")})
    if received_at is not None and sent_on < timezone.localtime(received_at, tz).date():
        raise ValidationError({"sent_on": _(
            "Дата направления не может быть раньше поступления обращения (%(received)s)."
        ) % {"received": timezone.localtime(received_at, tz).strftime("%d.%m.%Y")}})


def appeal_redirect(
    appeal_id: int, *, actor, organisation_name: str, sent_on: date, comment: str = "", now=None,
    expected_version=None,
) -> Appeal:
    """Record that the appeal was sent to the competent organisation; it closes for the portal."""
    now = now_or(now)
    organisation_name = organisation_name.strip()
    if not organisation_name:
        raise ValidationError({"organisation_name": _("Укажите, в какую организацию направлено обращение.")})
    check_redirect_date(sent_on, now=now)
    with transaction.atomic():
        appeal, role = common.lock_as(appeal_id, actor, access.STAFF)
        common.check_version(appeal, expected_version)
        check_redirect_date(sent_on, received_at=appeal.received_at, now=now)
        appeal.redirected_to = organisation_name
        appeal.redirected_on = sent_on
        notice = _("Обращение направлено в %(org)s %(date)s по компетенции.") % {
            "org": organisation_name, "date": sent_on.strftime("%d.%m.%Y"),
        }
        if comment.strip():
            notice = f"{notice} {comment.strip()}"
        changed = apply_transition(appeal, to=S.REDIRECTED, actor=actor, role=role, comment=notice, now=now)
        common.record_event(appeal, kind=Event.REDIRECT, actor=actor, role=role, now=now, comment=notice)
        common.save(appeal, [*changed, "redirected_to", "redirected_on"])
    return appeal


def draft_digest(text: str) -> str:
    """Names one version of a draft: the send form carries it, so what is sent is what was previewed."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def appeal_save_answer_draft(
    appeal_id: int, *, actor, text: str, expected_version: int | None = None, now: datetime | None = None,
) -> Appeal:
    """Keep the operator's answer as a draft: nothing is published, notified or moved.

    The draft changes no state a colleague's open form relies on, so the version stays.
    """
    now = now_or(now)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Введите текст ответа.")})
    with transaction.atomic():
        appeal, _role = common.lock_as(appeal_id, actor, access.STAFF)
        common.check_version(appeal, expected_version)
        if not workflow.can_answer(appeal):
            raise ValidationError(_("На это обращение сейчас нельзя дать ответ."))
        appeal.answer_draft = text
        appeal.answer_draft_saved_at = now
        appeal.answer_draft_by = actor
        appeal.save(update_fields=["answer_draft", "answer_draft_saved_at", "answer_draft_by", "updated_at"])
    return appeal


def appeal_send_answer_draft(
    appeal_id: int, *, actor, expected_version: int | None, expected_digest: str, letter=None,
    now: datetime | None = None,
) -> Appeal:
    """Send the saved draft as the answer, exactly as the operator previewed it."""
    return appeal_answer(appeal_id, actor=actor, text=None, expected_version=expected_version, letter=letter,
                         now=now, expected_digest=expected_digest)


def appeal_answer(
    appeal_id: int,
    *,
    actor,
    text: str | None,
    expected_version: int | None,
    letter=None,
    now: datetime | None = None,
    expected_digest: str | None = None,
) -> Appeal:
    """Give the final answer (text and an optional signed PDF letter).

    `expected_version` is the version the operator's form was rendered with: if
    someone changed the appeal meanwhile, nothing is saved and they are told so.
    With `text=None` the saved draft is sent, if it is still the one named by
    `expected_digest` (the one the operator previewed).
    """
    now = now_or(now)
    if text is not None:
        text = text.strip()
        if not text:
            raise ValidationError({"text": _("Введите текст ответа.")})
    checked = None
    if letter:
        checked = check_file(letter)
        if checked.content_type != PDF:
            raise ValidationError({"letter": _("Письмо с ответом прикладывается в формате PDF.")})

    def work(written):
        stored = attachments.write_files([checked] if checked else [], now=now, written=written)
        appeal = common.lock(appeal_id)
        # The version first: a colleague who answered a moment earlier also became
        # the assignee, and the operator must learn of the conflict, not of the assignment.
        common.check_version(appeal, expected_version)
        role = access.acting_role(appeal, actor, access.STAFF)
        answer = text
        if answer is None:
            answer = appeal.answer_draft.strip()
            if not answer:
                raise ValidationError(_("Черновика ответа нет: сначала сохраните текст ответа."))
            if expected_digest != draft_digest(appeal.answer_draft):
                raise ValidationError(
                    _("Черновик изменили после предпросмотра. Посмотрите его ещё раз перед отправкой."),
                    code="conflict",
                )
        changed = []
        if appeal.status == S.REGISTERED:
            changed += apply_transition(appeal, to=S.IN_PROGRESS, actor=actor, role=role, comment="", now=now)
        appeal.answer_text = answer
        appeal.answered_at = now
        appeal.answered_by = actor
        appeal.answer_draft = ""
        appeal.answer_draft_saved_at = None
        appeal.answer_draft_by = None
        changed += apply_transition(appeal, to=S.ANSWERED, actor=actor, role=role, comment="", now=now)
        common.record_event(appeal, kind=Event.ANSWER, actor=actor, role=role, now=now, comment=answer)
        attachments.attach(appeal, stored, purpose=Attachment.Purpose.ANSWER_LETTER, uploaded_by=actor, now=now)
        common.save(appeal, [*changed, "answer_text", "answered_at", "answered_by", "answer_draft",
                             "answer_draft_saved_at", "answer_draft_by"])
        return appeal

    return attachments.with_file_cleanup(work)
