"""Decisions taken on complaints: what an answer promised, who does it, by when, and that it was done.

planned → done (with what was done and the date) | cancelled (with the reason). Each change locks the
appeal and then the decision (always in that order), writes an event on the appeal the customer sees in
its history, and the completion tells the customer. The reminder scan (appeals/reminders.py) follows the
planned ones to their due date and escalates them when late.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from appeals import access, notifying
from appeals.models import AppealDecision
from appeals.services import common
from appeals.services.common import Event, company_tz, now_or

D = AppealDecision.Status
DESCRIPTION_MAX_LENGTH = 2000


def _check_responsible(user):
    if user is None or not (user.is_active and user.is_staff and user.has_perm("appeals.change_appeal")):
        raise ValidationError(
            {"responsible": _("Ответственным может быть только сотрудник, работающий с обращениями.")}
        )


def _summary(decision) -> str:
    return f"{decision.get_action_display()}: {decision.description}"


def decision_record(appeal_id: int, *, actor, action: str, description: str, responsible, due_on: date,
                    now=None, expected_version=None) -> AppealDecision:
    """Record what the company decided to do on an appeal, who answers for it and by when."""
    now = now_or(now)
    description = (description or "").strip()
    errors = {}
    if action not in AppealDecision.Action.values:
        errors["action"] = _("Выберите, что нужно сделать.")
    if not description:
        errors["description"] = _("Опишите решение: что именно будет сделано.")
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = _("Описание — не длиннее %(n)d знаков.") % {"n": DESCRIPTION_MAX_LENGTH}
    if due_on is None:
        errors["due_on"] = _("Укажите срок исполнения.")
    elif due_on < now.astimezone(company_tz()).date():
        errors["due_on"] = _("Срок исполнения не может быть в прошлом.")
    if errors:
        raise ValidationError(errors)
    _check_responsible(responsible)
    with transaction.atomic():
        appeal, role = common.lock_as(appeal_id, actor, access.STAFF)
        common.check_version(appeal, expected_version)
        decision = AppealDecision.objects.create(
            appeal=appeal, action=action, description=description, responsible=responsible, due_on=due_on,
            created_by=actor, created_at=now,
        )
        common.record_event(
            appeal, kind=Event.DECISION, actor=actor, role=role, now=now,
            comment=_("%(what)s. Срок — %(due)s.") % {"what": _summary(decision), "due": due_on.strftime("%d.%m.%Y")},
        )
        common.save(appeal, [])
    return decision


def _lock(appeal_id, decision_id, actor):
    """The appeal, then its decision, locked; the actor is staff on the appeal or the one responsible."""
    appeal = common.lock(appeal_id)
    decision = AppealDecision.objects.select_for_update().filter(pk=decision_id, appeal=appeal).first()
    if decision is None:
        raise ValidationError(_("Решение не найдено."))
    if actor.pk == decision.responsible_id and actor.is_active and actor.is_staff:
        role = access.STAFF
    else:
        role = access.acting_role(appeal, actor, access.STAFF)
    if not decision.is_planned:
        raise ValidationError(
            _("Решение уже %(status)s: обновите страницу.") % {"status": decision.get_status_display()},
            code="conflict",
        )
    return appeal, decision, role


def decision_complete(appeal_id: int, decision_id: int, *, actor, note: str, done_on: date, now=None) -> AppealDecision:
    """The decision was carried out: what was done and when; the customer is told."""
    now = now_or(now)
    note = (note or "").strip()
    errors = {}
    if not note:
        errors["note"] = _("Опишите, что сделано: заявитель увидит этот текст.")
    today = now.astimezone(company_tz()).date()
    if done_on is None:
        errors["done_on"] = _("Укажите дату выполнения.")
    elif done_on > today:
        errors["done_on"] = _("Дата выполнения не может быть в будущем.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        appeal, decision, role = _lock(appeal_id, decision_id, actor)
        if done_on < decision.created_at.astimezone(company_tz()).date():
            raise ValidationError({"done_on": _("Дата выполнения раньше, чем решение было принято.")})
        decision.status, decision.done_on, decision.result_note, decision.closed_at = D.DONE, done_on, note, now
        decision.save(update_fields=["status", "done_on", "result_note", "closed_at"])
        event = common.record_event(
            appeal, kind=Event.DECISION_DONE, actor=actor, role=role, now=now,
            comment=_("%(what)s. Выполнено %(when)s: %(note)s")
            % {"what": _summary(decision), "when": done_on.strftime("%d.%m.%Y"), "note": note},
        )
        common.save(appeal, [])
        notifying.decision_done(appeal, decision, event=event)
    return decision


def decision_cancel(appeal_id: int, decision_id: int, *, actor, reason: str, now=None) -> AppealDecision:
    """The decision will not be carried out, and why (the customer sees the reason)."""
    now = now_or(now)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Укажите причину отмены: заявитель увидит её.")})
    with transaction.atomic():
        appeal, decision, role = _lock(appeal_id, decision_id, actor)
        if role == access.STAFF and not access.staff_may_access(appeal, actor):
            raise PermissionDenied(_("Отменить решение может исполнитель обращения или руководитель."))
        decision.status, decision.cancel_reason, decision.closed_at = D.CANCELLED, reason, now
        decision.save(update_fields=["status", "cancel_reason", "closed_at"])
        common.record_event(
            appeal, kind=Event.DECISION_CANCELLED, actor=actor, role=role, now=now,
            comment=_("%(what)s. Отменено: %(reason)s") % {"what": _summary(decision), "reason": reason},
        )
        common.save(appeal, [])
    return decision

