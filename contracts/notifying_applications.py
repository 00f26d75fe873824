"""What people are told about contract applications, through the notifications outbox.

`application_event_recorded` is called by `contracts.services.application_common.record_event`
— the one place every change to an application is recorded — inside the same transaction, so
each notice is written exactly when its change commits. The staff reminders' events and
ladder are declared here too (the scan is `contracts.reminders_applications`).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from contracts.models_applications import ApplicationEvent, ContractApplication
from deadlines.display import due_display
from notifications.events import STAFF, EventType, ReminderPolicySpec, register, register_reminder_policy
from notifications.services import notify

S = ContractApplication.Status
Kind = ApplicationEvent.Kind

REGISTERED = register(EventType(
    key="contracts.application_registered",
    label=_("Заявка на договор зарегистрирована: номер и срок"),
    template="contracts/notifications/application_registered",
    legally_required=True,
))
DOCUMENTS_REQUESTED = register(EventType(
    key="contracts.application_documents_requested",
    label=_("По заявке на договор нужны документы"),
    template="contracts/notifications/application_documents_requested",
    legally_required=True,
))
STATUS_CHANGED = register(EventType(
    key="contracts.application_status",
    label=_("Изменился статус заявки на договор"),
    template="contracts/notifications/application_status",
))
DUE_SOON = register(EventType(
    key="contracts.application_due_soon",
    label=_("Напоминание: срок по заявке на договор скоро"),
    template="contracts/notifications/application_due_soon",
    audience=STAFF,
))
OVERDUE = register(EventType(
    key="contracts.application_overdue",
    label=_("Срок по заявке на договор нарушен"),
    template="contracts/notifications/application_overdue",
    audience=STAFF,
))

POLICY_DUE_SOON = register_reminder_policy(ReminderPolicySpec(
    key="contracts.application_due_soon",
    label=_("Заявки на договор: напоминать исполнителю (за сколько рабочих дней)"),
    help_text=_("Исполнителю, а если его нет — всем, кто рассматривает заявки. Пока срок приостановлен, "
                "напоминаний нет."),
    default_values=(3, 1),
    min_value=0,
    max_value=15,
))
POLICY_OVERDUE = register_reminder_policy(ReminderPolicySpec(
    key="contracts.application_overdue",
    label=_("Заявки на договор: сигнал о просрочке (раз в сколько дней)"),
    help_text=_("Руководителям и исполнителю, повторяется, пока заявка открыта."),
    default_values=(1,),
    value_count=1,
    min_value=1,
    max_value=30,
))

# Statuses the customer hears about by the general status notice (the others have their own or none).
_ANNOUNCED = (S.CHECKING, S.DRAFT_SENT, S.SIGNED, S.REJECTED)


def customer_link(application) -> str:
    return reverse("contracts:application", args=[application.pk])


def staff_link(application) -> str:
    return reverse("admin:contracts_contractapplication_change", args=[application.pk])


def customers_of(application) -> list:
    """The resident author; for an organisation, the author and its administrators (they act on it)."""
    people = {application.author_id: application.author}
    if application.organisation_id:
        for membership in Membership.objects.filter(
            organisation_id=application.organisation_id, role=Membership.Role.ADMIN, user__is_active=True
        ).select_related("user"):
            people[membership.user_id] = membership.user
    return [person for person in people.values() if person.is_active]


def application_context(application, **extra) -> dict:
    return {
        "number": application.number or "",
        "kind": application.get_kind_display(),
        "status": application.get_status_display(),
        "customer": application.customer_name or str(application.organisation or application.author),
        "due_date": due_display(application.due_at, "working_days") if application.due_at else "",
        **extra,
    }


def application_event_recorded(event: ApplicationEvent) -> None:
    application = event.application
    if event.kind == Kind.TRANSITION and event.to_status == S.SUBMITTED:
        rule = application.deadline_rule
        _to_customers(event, REGISTERED.key, application_context(
            application,
            registered_date=due_display(application.submitted_at, "working_days"),
            basis=rule.legal_basis.split("\n", 1)[0] if rule else "",
        ))
    elif event.kind == Kind.PAUSED:
        _to_customers(event, DOCUMENTS_REQUESTED.key, application_context(
            application,
            comment=event.comment,
            paused_date=due_display(event.created_at, "working_days"),
            basis=_("ПП 442, п. 39"),
        ))
    elif event.kind == Kind.TRANSITION and event.to_status in _ANNOUNCED:
        if event.to_status == S.CHECKING and event.from_status == S.WAITING_DOCUMENTS:
            return  # the customer's own upload resumed it: they know
        _to_customers(event, STATUS_CHANGED.key, application_context(application, comment=event.comment))


def _to_customers(event, event_type, context):
    for person in customers_of(event.application):
        notify(
            recipient=person,
            event=event_type,
            context=context,
            dedup_key=f"contracts.application_event:{event.pk}:user:{person.pk}",
            link=customer_link(event.application),
            now=event.created_at,
        )
