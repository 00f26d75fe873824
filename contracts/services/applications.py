"""The customer's side of a contract application: the draft, its documents, submitting, withdrawing.

Each function runs in one transaction, locks the application row before it reads the state it
changes, asks `contracts.access` whether the actor may act for it, and records what happened
(`application_common.record_event`). Staff's side is `application_staff`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from contracts import access
from contracts import application_workflow as workflow
from contracts.application_files import MAX_DOCUMENTS_PER_APPLICATION
from contracts.models import Contract
from contracts.models_applications import (
    KINDS_ON_A_CONTRACT,
    ApplicationDocument,
    ApplicationKind,
    ApplicationSupplyPoint,
    ContractApplication,
    RequiredDocument,
    application_file_path,
    application_file_storage,
)
from contracts.services.application_common import Event, S, apply_transition, lock, now_or, record_event, save
from contracts.services.application_common import next_number as _next_number
from core.stored_files import atomic_with_file_cleanup, write_checked
from deadlines import services as deadline_services

RULE_CODE = "contract.application"

# The fields the customer fills in, per kind (the form offers these; the rest stay blank).
DRAFT_FIELDS = ("customer_name", "inn", "address", "tariff", "price_category", "contact_phone", "starts_on",
                "details")

NOT_ADMIN_MESSAGE = _(
    "Подать, изменить или отозвать заявку от имени организации может только её администратор "
    "(роль «администратор» в организации). Попросите администратора подать заявку или назначить вас "
    "администратором."
)


def _refuse_member(actor, application):
    if not access.may_act_on_application(actor, application):
        raise PermissionDenied(NOT_ADMIN_MESSAGE)


def application_create_draft(
    *, actor, kind, organisation=None, contract=None, fields: dict, points=(), now=None
) -> ContractApplication:
    """A new draft for the actor personally, or for `organisation` when they administer it."""
    now = now_or(now)
    if kind not in ApplicationKind.values:
        raise ValidationError(_("Выберите вид заявки."))
    if organisation is not None and not access.organisations_user_may_apply_for(actor).filter(
        pk=organisation.pk
    ).exists():
        raise PermissionDenied(NOT_ADMIN_MESSAGE)
    contract = _contract_for(actor, kind, organisation, contract)
    customer_kind = Contract.CustomerKind.ORGANISATION if organisation else Contract.CustomerKind.PERSON
    with transaction.atomic():
        application = ContractApplication.objects.create(
            kind=kind, customer_kind=customer_kind, author=actor, organisation=organisation, contract=contract,
            created_at=now, **_clean_fields(fields),
        )
        _replace_points(application, points)
        _check_draft(application)
        record_event(application, kind=Event.CREATED, actor=actor, now=now)
    return application


def _contract_for(actor, kind, organisation, contract):
    """The contract a draft of `kind` is about: one the actor may apply on (personally or for the organisation)."""
    if kind not in KINDS_ON_A_CONTRACT:
        return None
    if contract is None or not access.contracts_user_may_apply_on(actor, organisation).filter(pk=contract.pk).exists():
        raise ValidationError({"contract": _("Выберите один из своих договоров.")})
    if contract.status == Contract.Status.TERMINATED:
        raise ValidationError({"contract": _("Этот договор уже расторгнут.")})
    return contract


def application_update_draft(
    application_id, *, actor, fields: dict, points=None, contract=None, now=None
) -> ContractApplication:
    """The draft's fields, its supply points (when given: they replace the old ones) and, for a kind about a
    contract, the contract (when given)."""
    now = now_or(now)
    with transaction.atomic():
        application = lock(application_id)
        _refuse_member(actor, application)
        if not workflow.can_edit(application):
            raise ValidationError(
                _("Заявка уже подана: её поля больше не меняются. Недостающие документы можно загрузить на её "
                  "странице.") if not application.is_final else
                _("Заявка в статусе «%(status)s» закрыта: изменить её нельзя.")
                % {"status": application.get_status_display()},
                code="closed",
            )
        changed = list(_clean_fields(fields))
        if contract is not None:
            application.contract = _contract_for(actor, application.kind, application.organisation, contract)
            changed.append("contract")
        for name, value in _clean_fields(fields).items():
            setattr(application, name, value)
        _replace_points(application, points)
        _check_draft(application)
        save(application, changed)
    return application


# What an amendment may change besides the supply points (the fields the customer fills in for it).
AMENDABLE_FIELDS = ("tariff", "price_category", "contact_phone", "details")


def _check_draft(application):
    """The draft's own rules, whoever saves it: a new contract needs at least one supply point; an amendment
    must change something. Checked on the draft as saved, so a refusal rolls the whole save back."""
    if application.kind == ApplicationKind.CONCLUDE and not application.points.exists():
        raise ValidationError(_("Укажите хотя бы одну точку поставки: адрес и максимальную мощность."), code="points")
    if application.kind == ApplicationKind.AMEND and not (
        any(getattr(application, name) for name in AMENDABLE_FIELDS) or application.points.exists()
    ):
        raise ValidationError(
            _("Укажите, что изменить: тариф, ценовую категорию, мощность точки поставки, контакты или пояснения."),
            code="nothing_to_amend",
        )


def _clean_fields(fields: dict) -> dict:
    return {name: fields[name] for name in DRAFT_FIELDS if name in fields and fields[name] is not None} | {
        name: None for name in ("price_category", "starts_on") if name in fields and fields[name] is None
    }


def _replace_points(application, points):
    """`points` replace the draft's supply points (an empty list removes them all); None leaves them."""
    if points is None:
        return
    points = [p for p in points if p]
    application.points.all().delete()
    ApplicationSupplyPoint.objects.bulk_create([ApplicationSupplyPoint(application=application, **p) for p in points])


# --- documents ---------------------------------------------------------------------------------


def requirements_for(application) -> list[RequiredDocument]:
    return list(
        RequiredDocument.objects.filter(
            kind=application.kind, customer_kind=application.customer_kind, is_active=True
        ).order_by("position", "pk")
    )


def checklist(application, documents=None) -> list[dict]:
    """Each required document with the files given for it and whether it is still missing.

    Missing: no file, or every file refused by staff.
    """
    documents = list(application.documents.all()) if documents is None else documents
    by_requirement = {}
    for document in documents:
        by_requirement.setdefault(document.requirement_id, []).append(document)
    rows = []
    for requirement in requirements_for(application):
        files = by_requirement.get(requirement.pk, [])
        usable = [d for d in files if d.check_status != ApplicationDocument.Check.REFUSED]
        rows.append({"requirement": requirement, "documents": files, "missing": not usable})
    return rows


def missing_documents(application) -> list[RequiredDocument]:
    return [row["requirement"] for row in checklist(application) if row["missing"]]


def application_add_documents(application_id, *, actor, files, requirement_id=None, title="", now=None):
    """Store checked files (core.uploads, `application_files.APPLICATION_DOCUMENTS`) as documents.

    While staff wait for documents, the customer's upload starts the clock again (the due date
    moves by the working days it stood still).
    """
    now = now_or(now)
    if not files:
        raise ValidationError({"files": _("Выберите файл.")})

    def work(written):
        stored = write_checked(files, storage=application_file_storage,
                               name_for=lambda: application_file_path(None, ""), written=written)
        application = lock(application_id)
        _refuse_member(actor, application)
        if not workflow.can_upload(application):
            raise ValidationError(
                _("К заявке в статусе «%(status)s» документы больше не принимаются.")
                % {"status": application.get_status_display()},
                code="closed",
            )
        if application.documents.count() + len(stored) > MAX_DOCUMENTS_PER_APPLICATION:
            raise ValidationError(
                {"files": _("К заявке можно приложить не больше %(n)d файлов.") % {"n": MAX_DOCUMENTS_PER_APPLICATION}}
            )
        requirement = None
        if requirement_id:
            requirement = RequiredDocument.objects.filter(
                pk=requirement_id, kind=application.kind, customer_kind=application.customer_kind
            ).first()
            if requirement is None:
                raise ValidationError({"requirement": _("Выберите документ из списка.")})
        label = requirement.title if requirement else (title.strip() or _("Дополнительный документ"))
        ApplicationDocument.objects.bulk_create([
            ApplicationDocument(
                application=application, requirement=requirement, title=label, file=name,
                original_name=checked.name, content_type=checked.content_type, size=checked.size,
                uploaded_by=actor, uploaded_at=now,
            )
            for checked, name in stored
        ])
        record_event(application, kind=Event.DOCUMENT_UPLOADED, actor=actor, now=now,
                     comment=", ".join(f"{label}: {checked.name}" for checked, _name in stored))
        changed = []
        if application.status == S.WAITING_DOCUMENTS:
            changed = apply_transition(application, to=S.CHECKING, actor=actor, role=workflow.CUSTOMER, now=now,
                                       comment=_("Заявитель загрузил документы."))
        save(application, changed)
        return application

    return atomic_with_file_cleanup(application_file_storage, work)


# --- submitting and withdrawing ------------------------------------------------------------------


def application_submit(application_id, *, actor, now=None) -> ContractApplication:
    """Register a complete draft: a number, the legal due date by the rule `contract.application`.

    Submitting again (a double click, a second tab) registers nothing new: the registered application
    is returned as it is.
    """
    now = now_or(now)
    with transaction.atomic():
        application = lock(application_id)
        _refuse_member(actor, application)
        if application.submitted_at is not None and application.status != S.WITHDRAWN:
            return application
        problems = _incomplete(application)
        if problems:
            raise ValidationError(problems, code="incomplete")
        if workflow.transition_for(application.status, S.SUBMITTED) is None:
            raise ValidationError(_("Эту заявку подать нельзя: она в статусе «%(status)s».")
                                  % {"status": application.get_status_display()}, code="closed")
        # Number and due date first: the registration notice the transition queues names them.
        rule = deadline_services.rule_for(RULE_CODE)
        application.number = _next_number(now.astimezone(deadline_services.company_timezone()).year)
        application.deadline_rule = rule
        application.submitted_at = now
        application.due_at = deadline_services.deadline_for(rule, received_at=now, registered_at=now)
        changed = apply_transition(application, to=S.SUBMITTED, actor=actor, role=workflow.CUSTOMER, now=now)
        save(application, [*changed, "number", "deadline_rule", "submitted_at", "due_at"])
    return application


def _incomplete(application) -> list[str]:
    problems = []
    missing = missing_documents(application)
    if missing:
        problems.append(
            _("Не хватает документов: %(list)s.") % {"list": "; ".join(r.title for r in missing)}
        )
    if application.kind == ApplicationKind.CONCLUDE and not application.points.exists():
        problems.append(_("Укажите хотя бы одну точку поставки (адрес и максимальную мощность)."))
    if application.kind in KINDS_ON_A_CONTRACT and application.contract_id is None:
        problems.append(_("Выберите договор."))
    return problems


def application_withdraw(application_id, *, actor, comment="", now=None) -> ContractApplication:
    now = now_or(now)
    with transaction.atomic():
        application = lock(application_id)
        _refuse_member(actor, application)
        changed = apply_transition(application, to=S.WITHDRAWN, actor=actor, role=workflow.CUSTOMER,
                                   comment=comment.strip(), now=now)
        save(application, changed)
    return application
