"""What every contract application service shares: the row lock, the one status writer, the stopped
clock, the audit row (which queues the customer's notices) and numbering."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts import application_workflow as workflow
from contracts import notifying_applications as notifying
from contracts.models_applications import (
    ApplicationEvent,
    ApplicationNumberCounter,
    ApplicationPause,
    ContractApplication,
)
from core.numbering import next_in_year
from deadlines import services as deadline_services

S = ContractApplication.Status
Event = ApplicationEvent.Kind

PAUSE_BASIS = "ПП 442, п. 39: срок не течёт, пока заявитель не представил полный комплект документов"


def now_or(now):
    return now or timezone.now()


def lock(application_id) -> ContractApplication:
    try:
        return ContractApplication.objects.select_for_update().get(pk=application_id)
    except (ContractApplication.DoesNotExist, ValueError, TypeError):
        raise ValidationError(_("Заявка не найдена.")) from None


def save(application, fields):
    application.version += 1
    application.save(update_fields=[*fields, "version", "updated_at"])


def record_event(application, *, kind, actor, now, from_status="", to_status="", comment=""):
    event = ApplicationEvent.objects.create(
        application=application, kind=kind, actor=actor, created_at=now, from_status=from_status,
        to_status=to_status, comment=comment,
    )
    notifying.application_event_recorded(event)
    return event


def refuse_closed(application):
    if application.is_final:
        raise ValidationError(
            _("Заявка в статусе «%(status)s» закрыта: изменить её нельзя.")
            % {"status": application.get_status_display()},
            code="closed",
        )


def apply_transition(application, *, to, actor, role, comment="", now) -> list[str]:
    """Move a locked application to `to`; the table decides. Callers save the application."""
    try:
        workflow.check_transition(application, to, role, comment=comment)
    except workflow.TransitionNotAllowed as refused:
        raise ValidationError(str(refused.message), code="transition") from None
    source = application.status
    changed = ["status"]
    if source == S.WAITING_DOCUMENTS:
        changed += _resume(application, actor=actor, now=now)
    application.status = to
    if to in (S.SIGNED, S.REJECTED, S.WITHDRAWN):
        application.closed_at = now
        changed.append("closed_at")
    if to == S.REJECTED:
        application.rejection_reason = comment
        changed.append("rejection_reason")
    record_event(application, kind=Event.TRANSITION, actor=actor, now=now, from_status=source, to_status=to,
                 comment=comment)
    if to == S.WAITING_DOCUMENTS:
        changed += _pause(application, actor=actor, reason=comment, now=now)
    return changed


def _pause(application, *, actor, reason, now) -> list[str]:
    ApplicationPause.objects.create(
        application=application, started_at=now, reason=reason, legal_basis=PAUSE_BASIS, started_by=actor
    )
    application.paused_since = now
    record_event(application, kind=Event.PAUSED, actor=actor, now=now, comment=reason)
    return ["paused_since"]


def _resume(application, *, actor, now) -> list[str]:
    """Start the clock again: the due date moves by the working days it stood still (ПП 442 п. 39)."""
    pause = ApplicationPause.objects.select_for_update().filter(application=application, ended_at__isnull=True).first()
    application.paused_since = None
    if pause is None:
        return ["paused_since"]
    application.due_at, lost = deadline_services.due_after_pause(
        application.due_at, paused_at=pause.started_at, resumed_at=now
    )
    pause.ended_at, pause.ended_by, pause.working_days = now, actor, lost
    pause.save(update_fields=["ended_at", "ended_by", "working_days"])
    record_event(
        application, kind=Event.RESUMED, actor=actor, now=now,
        comment=_("Срок возобновлён; рабочих дней без хода срока: %(n)d. Новый срок — %(due)s. Основание: %(basis)s.")
        % {"n": lost, "due": timezone.localtime(application.due_at).strftime("%d.%m.%Y"), "basis": PAUSE_BASIS},
    )
    return ["paused_since", "due_at"]


def next_number(year: int) -> str:
    return f"Д-{year:04d}-{next_in_year(ApplicationNumberCounter, year):06d}"
