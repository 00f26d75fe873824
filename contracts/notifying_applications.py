"""What people are told about contract applications, through the notifications outbox.

`application_event_recorded` is called by `contracts.services.application_common.record_event`
— the one place every change to an application is recorded — inside the same transaction, so
each notice is written exactly when its change commits. The staff reminders' events and
ladder are declared here too (the scan is `contracts.reminders_applications`).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from accounts.selectors import staff_with_permission
from contracts import access
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
CUSTOMER_ACTIVITY = register(EventType(
    key="contracts.application_customer_activity",
    label=_("Заявитель прислал запрошенные документы или отозвал заявку на договор"),
    template="contracts/notifications/application_customer_activity",
    audience=STAFF,
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
    """The resident author; for an organisation, its administrators and the author while still a member.

    An organisation's application stays the organisation's: a member who has left or been removed hears
    nothing more of it (as appeals.notifying.customer_of).
    """
    if not application.organisation_id:
        return [application.author] if application.author.is_active else []
    people = {}
    for membership in Membership.objects.filter(
        organisation_id=application.organisation_id, user__is_active=True
    ).select_related("user"):
        if membership.role == access.APPLY_ROLE or membership.user_id == application.author_id:
            people[membership.user_id] = membership.user
    return list(people.values())


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
    elif event.kind == Kind.TRANSITION and _by_customer(event) and (
        (event.from_status == S.WAITING_DOCUMENTS and event.to_status == S.CHECKING)
        or (event.to_status == S.WITHDRAWN and event.from_status != S.DRAFT)
    ):
        # The customer's upload restarted the clock, or they withdrew: whoever works it should know.
        activity = "withdrawn" if event.to_status == S.WITHDRAWN else "documents"
        _to_staff(event, CUSTOMER_ACTIVITY.key, application_context(application, activity=activity))
    elif event.kind == Kind.TRANSITION and event.to_status in _ANNOUNCED:
        # Staff's steps, going on without the awaited documents included (the clock runs again).
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


def _by_customer(event) -> bool:
    return event.actor_id is not None and any(person.pk == event.actor_id for person in customers_of(event.application))


def _to_staff(event, event_type, context):
    """The assignee; with none, everyone who reviews applications."""
    application = event.application
    if application.assignee_id and application.assignee.is_active:
        people = [application.assignee]
    else:
        people = list(staff_with_permission("contracts.review_contractapplication").order_by("pk"))
    for person in people:
        notify(
            recipient=person,
            event=event_type,
            context=context,
            dedup_key=f"contracts.application_event:{event.pk}:staff:{person.pk}",
            link=staff_link(application),
            now=event.created_at,
        )
