"""The one status writer: every change of an appeal's status goes through `apply_transition`.

`appeals.workflow` says which move is allowed to which role; this module makes the move
(closing, reopening with a new term, taking into work) and records it.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from appeals import access, workflow
from appeals.models import Appeal
from appeals.services import common
from appeals.services.common import Event, S, now_or
from deadlines import services as deadline_services


def apply_transition(appeal, *, to, actor, role, comment, now):
    """Move a locked appeal to `to`; the table decides. Callers save the appeal."""
    try:
        workflow.check_transition(appeal, to, role, now)
    except workflow.TransitionNotAllowed as refused:
        raise ValidationError(str(refused.message), code="transition") from None
    source = appeal.status
    changed = ["status"]
    appeal.status = to
    if to in (S.CLOSED, S.WITHDRAWN, S.REDIRECTED):
        appeal.closed_at = now
        changed.append("closed_at")
    if to == S.REOPENED:
        # A new term for the new answer, by the same rule, from today.
        appeal.reopened_count += 1
        appeal.due_at = deadline_services.deadline_for(appeal.deadline_rule, received_at=now, registered_at=now)
        appeal.answer_text = ""
        appeal.answered_at = None
        appeal.answered_by = None
        appeal.closed_at = None
        changed += ["reopened_count", "due_at", "answer_text", "answered_at", "answered_by", "closed_at"]
    common.record_event(appeal, kind=Event.TRANSITION, actor=actor, role=role, now=now, from_status=source,
                        to_status=to, comment=comment)
    if (
        to == S.IN_PROGRESS
        and role == access.STAFF
        and appeal.assignee_id is None
        and source in (S.REGISTERED, S.REOPENED)
    ):
        # Whoever takes an unassigned appeal into work becomes its assignee.
        appeal.assignee = actor
        changed.append("assignee")
        common.record_event(appeal, kind=Event.ASSIGNMENT, actor=actor, role=role, now=now,
                            comment=_("Исполнитель: %(name)s") % {"name": actor})
    return changed


def appeal_transition(
    appeal_id: int,
    *,
    to: str,
    actor,
    as_role: str | None = None,
    comment: str = "",
    now: datetime | None = None,
    expected_status: str | None = None,
    expected_version: int | None = None,
) -> Appeal:
    """Perform one workflow transition; the only way an appeal's status changes.

    `as_role` is the role the interface acts in (`access.CUSTOMER` in the cabinet,
    `access.STAFF` in the admin); see `access.acting_role`.
    """
    now = now_or(now)
    with transaction.atomic():
        appeal = common.lock(appeal_id)
        common.check_version(appeal, expected_version)
        role = access.acting_role(appeal, actor, as_role)
        common.check_status(appeal, expected_status)
        if to == S.WAITING_FOR_CUSTOMER and not comment.strip():
            raise ValidationError({"comment": _("Напишите, какие сведения нужны от заявителя.")})
        changed = apply_transition(appeal, to=to, actor=actor, role=role, comment=comment.strip(), now=now)
        common.save(appeal, changed)
    return appeal


def appeal_withdraw(appeal_id, *, actor, as_role=None, comment="", now=None, expected_status=None):
    return appeal_transition(appeal_id, to=S.WITHDRAWN, actor=actor, as_role=as_role, comment=comment, now=now,
                             expected_status=expected_status)


def appeal_reopen(appeal_id, *, actor, comment, as_role=None, now=None, expected_status=None):
    if not comment.strip():
        raise ValidationError({"comment": _("Напишите, что осталось нерешённым.")})
    return appeal_transition(appeal_id, to=S.REOPENED, actor=actor, as_role=as_role, comment=comment, now=now,
                             expected_status=expected_status)
