"""Staff's work on a contract application: take it, check documents, ask for more (the clock stops),
attach the draft contract, mark it signed (the contract, supply points and meters in the same
transaction) or reject it. Every function locks the row and records an event."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from contracts import application_workflow as workflow
from contracts.application_files import CONTRACT_PDF
from contracts.models_applications import ApplicationDocument, application_file_path, application_file_storage
from contracts.services import application_signing
from contracts.services.application_common import (
    Event,
    S,
    apply_transition,
    lock,
    now_or,
    record_event,
    refuse_closed,
    save,
)
from core.stored_files import atomic_with_file_cleanup, write_checked

STAFF = workflow.STAFF


def _check_status(application, expected_status):
    if expected_status and expected_status != application.status:
        raise ValidationError(
            _("Пока была открыта страница, статус заявки изменился: сейчас «%(now)s». Ничего не сохранено: "
              "обновите страницу.") % {"now": application.get_status_display()},
            code="conflict",
        )


def application_transition(application_id, *, to, actor, comment="", now=None, expected_status=None):
    """One staff move by the table (take for checking, ask for documents, resume, reject)."""
    now = now_or(now)
    with transaction.atomic():
        application = lock(application_id)
        _check_status(application, expected_status)
        changed = apply_transition(application, to=to, actor=actor, role=STAFF, comment=comment.strip(), now=now)
        if to == S.CHECKING and application.assignee_id is None:
            changed += _assign(application, actor, actor=actor, now=now)
        save(application, changed)
    return application


def application_take(application_id, *, actor, now=None, expected_status=None):
    return application_transition(application_id, to=S.CHECKING, actor=actor, now=now,
                                  expected_status=expected_status)


def application_request_documents(application_id, *, actor, comment, now=None, expected_status=None):
    """Ask the customer for missing documents: the clock stops from now (ПП 442 п. 39) and they are told."""
    return application_transition(application_id, to=S.WAITING_DOCUMENTS, actor=actor, comment=comment, now=now,
                                  expected_status=expected_status)


def application_reject(application_id, *, actor, reason, now=None, expected_status=None):
    return application_transition(application_id, to=S.REJECTED, actor=actor, comment=reason, now=now,
                                  expected_status=expected_status)


def _assign(application, assignee, *, actor, now):
    application.assignee = assignee
    record_event(application, kind=Event.ASSIGNMENT, actor=actor, now=now,
                 comment=_("Исполнитель: %(name)s") % {"name": assignee} if assignee else _("Исполнитель снят"))
    return ["assignee"]


def application_assign(application_id, *, actor, assignee, now=None):
    now = now_or(now)
    with transaction.atomic():
        application = lock(application_id)
        refuse_closed(application)
        if assignee is not None and not (assignee.is_staff and assignee.is_active):
            raise ValidationError({"assignee": _("Исполнителем может быть только действующий сотрудник.")})
        save(application, _assign(application, assignee, actor=actor, now=now))
    return application


def application_check_document(application_id, document_id, *, actor, accepted: bool, reason="", now=None):
    now = now_or(now)
    reason = reason.strip()
    if not accepted and not reason:
        raise ValidationError({"reason": _("Напишите, почему документ не принят: заявитель увидит это.")})
    with transaction.atomic():
        application = lock(application_id)
        if not workflow.can_check_documents(application):
            raise ValidationError(
                _("Документы заявки в статусе «%(status)s» не проверяются.")
                % {"status": application.get_status_display()}
            )
        document = ApplicationDocument.objects.select_for_update().filter(
            application=application, pk=document_id
        ).first()
        if document is None:
            raise ValidationError(_("Документ не найден."))
        document.check_status = ApplicationDocument.Check.ACCEPTED if accepted else ApplicationDocument.Check.REFUSED
        document.refusal_reason = "" if accepted else reason
        document.checked_by, document.checked_at = actor, now
        document.save(update_fields=["check_status", "refusal_reason", "checked_by", "checked_at"])
        verdict = _("принят") if accepted else _("не принят: %(reason)s") % {"reason": reason}
        record_event(application, kind=Event.DOCUMENT_CHECKED, actor=actor, now=now,
                     comment=f"{document.title} ({document.original_name}) — {verdict}")
        save(application, [])
    return document


def _store_pdf(upload, written):
    checked = CONTRACT_PDF.check(upload)
    return write_checked([checked], storage=application_file_storage,
                         name_for=lambda: application_file_path(None, ""), written=written)[0][1]


def application_send_draft(application_id, *, actor, draft, now=None, expected_status=None):
    """Attach the draft contract (PDF, checked by content) and send it: the customer downloads it."""
    now = now_or(now)

    def work(written):
        name = _store_pdf(draft, written)
        application = lock(application_id)
        _check_status(application, expected_status)
        refuse_closed(application)
        application.draft_file = name
        record_event(application, kind=Event.DRAFT_ATTACHED, actor=actor, now=now)
        changed = ["draft_file"]
        steps = workflow.draft_steps(application.status)
        # Steps by the table; where it allows none, the transition to DRAFT_SENT says why.
        for step in (S.DRAFT_SENT,) if steps is None else steps:
            comment = _("Проект договора можно скачать на странице заявки.") if step == S.DRAFT_SENT else ""
            changed += apply_transition(application, to=step, actor=actor, role=STAFF, now=now, comment=comment)
        save(application, changed)
        return application

    return atomic_with_file_cleanup(application_file_storage, work)


def application_sign(application_id, *, actor, signed, contract_number="", now=None, expected_status=None):
    """Mark the contract signed: store the signed PDF and make the contract what the application asked for
    — created, re-registered, amended or terminated, with its supply points and meters — all in one
    transaction, so the customer finds it among their contracts the moment the status says signed."""
    now = now_or(now)

    def work(written):
        name = _store_pdf(signed, written)
        application = lock(application_id)
        _check_status(application, expected_status)
        application.signed_file = name
        changed = ["signed_file"]
        changed += apply_transition(application, to=S.SIGNED, actor=actor, role=STAFF, now=now,
                                    comment=_("Подписанный договор размещён в личном кабинете."))
        contract = application_signing.apply_to_contract(application, contract_number=contract_number.strip(),
                                                         now=now, actor=actor)
        application.contract = contract
        save(application, [*changed, "contract"])
        return application

    return atomic_with_file_cleanup(application_file_storage, work)
