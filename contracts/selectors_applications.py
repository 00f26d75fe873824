"""Reads for contract applications, always scoped by `contracts.access`."""

from django.utils import timezone
from django.utils.translation import gettext as _

from contracts import access
from contracts.models import Contract
from contracts.models_applications import ApplicationEvent, ContractApplication
from contracts.services.applications import checklist
from deadlines import services as deadline_services
from deadlines.display import explanation_lines


def applications_for_list(user):
    return (
        access.applications_for_customer(user)
        .select_related("organisation", "contract", "deadline_rule")
        .order_by("-created_at", "-pk")
    )


def contracts_to_apply_on(user) -> list[tuple[Contract, object]]:
    """(contract, organisation or None) the user may re-register, amend or terminate (`contracts.access`'s scope),
    in force or suspended, in one query."""
    bindings = (
        access.bindings_user_may_apply_on(user)
        .filter(contract__status__in=[Contract.Status.ACTIVE, Contract.Status.SUSPENDED])
        .select_related("contract", "organisation")
        .order_by("contract__number")
    )
    return [(b.contract, b.organisation) for b in bindings]


def application_page(application, *, staff=False) -> dict:
    documents = list(application.documents.select_related("requirement").order_by("pk"))
    events = ApplicationEvent.objects.filter(application=application)
    if not staff:
        events = events.filter(kind__in=ApplicationEvent.PUBLIC_KINDS)
    events = list(events.select_related("actor").order_by("created_at", "pk") if staff else events.order_by(
        "created_at", "pk"))
    pauses = list(application.pauses.order_by("started_at"))
    request = next(
        (e for e in reversed(events) if e.kind == ApplicationEvent.Kind.PAUSED), None
    ) if application.status == ContractApplication.Status.WAITING_DOCUMENTS else None
    rows = checklist(application, documents)
    listed = {d.pk for row in rows for d in row["documents"]}
    return {
        "checklist": rows,
        "extra_documents": [d for d in documents if d.pk not in listed],
        "events": events,
        "pauses": pauses,
        "request": request,
        "missing": [row["requirement"] for row in rows if row["missing"]],
    }


def signed_applications_for_contract(user, contract):
    """The user's own signed applications for this contract (a previous owner's stay theirs)."""
    return list(
        access.applications_for_customer(user).filter(contract=contract, status=ContractApplication.Status.SIGNED)
        .exclude(signed_file="")
        .only("pk", "number", "kind", "closed_at", "signed_file")
        .order_by("-closed_at")
    )


def due_explanation(application, pauses) -> list[str] | None:
    """Why the due date is what it is (the appeals' sentences), while no pause has moved it; None otherwise."""
    rule = application.deadline_rule
    if rule is None or application.submitted_at is None or pauses:
        return None
    try:
        explanation = deadline_services.explain_deadline(rule, event_at=application.submitted_at)
    except ValueError:
        return None
    if explanation.last_day != timezone.localtime(application.due_at, deadline_services.company_timezone()).date():
        return None
    return explanation_lines(explanation, counted_from=_("со дня получения заявки"))
