"""What people are told when something happens to an appeal.

`appeal_event_recorded` is called by appeals.services.common.record_event — the one
place every change to an appeal is recorded — with the role the actor acted in (as
`appeals.access` checked it), inside the same transaction, so
each notice is written exactly when its event commits (the outbox in
notifications delivers it). The event kinds below are also declared to the
notifications app, which lists them on each person's preferences page.
"""

import copy

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from appeals import access
from appeals.models import Appeal, AppealEvent
from core.prepared import prepared
from deadlines.arithmetic import is_day_term
from deadlines.display import due_display
from notifications.events import STAFF, EventType, ReminderPolicySpec, register, register_reminder_policy
from notifications.models import Channel
from notifications.services import Address, notify, render_for

S = Appeal.Status
Kind = AppealEvent.Kind

# --- the events ----------------------------------------------------------------------------

REGISTERED = register(EventType(
    key="appeals.registered",
    label=_("Обращение зарегистрировано: номер и срок ответа"),
    template="appeals/notifications/registered",
    legally_required=True,
))
INFO_REQUESTED = register(EventType(
    key="appeals.info_requested",
    label=_("Нужны сведения от вас по обращению"),
    template="appeals/notifications/info_requested",
))
STATUS_CHANGED = register(EventType(
    key="appeals.status_changed",
    label=_("Изменился статус обращения"),
    template="appeals/notifications/status_changed",
    default_channels=(Channel.INAPP,),
    optional_channels=(Channel.EMAIL, Channel.SMS),
))
MESSAGE = register(EventType(
    key="appeals.message",
    label=_("Сообщение сотрудника по обращению"),
    template="appeals/notifications/message",
))
ANSWERED = register(EventType(
    key="appeals.answered",
    label=_("Ответ на обращение"),
    template="appeals/notifications/answered",
    legally_required=True,
))
EXTENDED = register(EventType(
    key="appeals.extended",
    label=_("Срок ответа продлён"),
    template="appeals/notifications/extended",
    legally_required=True,
))
REDIRECTED = register(EventType(
    key="appeals.redirected",
    label=_("Обращение направлено в другую организацию"),
    template="appeals/notifications/redirected",
    legally_required=True,
))
CUSTOMER_REMINDER = register(EventType(
    key="appeals.reminder_customer",
    label=_("Напоминание: обращение ждёт ваших сведений"),
    template="appeals/notifications/reminder_customer",
))

# Staff events: the operator's own work and the supervisors' watch over deadlines.
NEW_APPEAL = register(EventType(
    key="appeals.new_appeal",
    label=_("Поступило новое обращение (тем, кто распределяет работу)"),
    template="appeals/notifications/new_appeal",
    audience=STAFF,
))
ASSIGNED = register(EventType(
    key="appeals.assigned",
    label=_("Вам назначено обращение"),
    template="appeals/notifications/assigned",
    audience=STAFF,
))
CUSTOMER_ACTIVITY = register(EventType(
    key="appeals.customer_activity",
    label=_("Заявитель ответил на запрос, написал, отозвал или возобновил обращение"),
    template="appeals/notifications/customer_activity",
    audience=STAFF,
))
REMINDER_DUE_SOON = register(EventType(
    key="appeals.reminder_due_soon",
    label=_("Напоминание исполнителю: срок ответа скоро"),
    template="appeals/notifications/reminder_due_soon",
    audience=STAFF,
))
REMINDER_UNASSIGNED = register(EventType(
    key="appeals.reminder_unassigned",
    label=_("Руководителю: срок сегодня, исполнитель не назначен"),
    template="appeals/notifications/reminder_unassigned",
    audience=STAFF,
))
REMINDER_OVERDUE = register(EventType(
    key="appeals.reminder_overdue",
    label=_("Руководителю: срок ответа нарушен"),
    template="appeals/notifications/reminder_overdue",
    audience=STAFF,
))
DIGEST = register(EventType(
    key="appeals.digest",
    label=_("Утренняя сводка по срокам обращений"),
    template="appeals/notifications/digest",
    audience=STAFF,
    default_channels=(Channel.EMAIL,),
    optional_channels=(Channel.INAPP,),
))

# Satisfaction and decisions taken on complaints (appeals/services/rating.py, decisions.py).
LOW_RATING = register(EventType(
    key="appeals.low_rating",
    label=_("Руководителю: низкая оценка ответа (1–2)"),
    template="appeals/notifications/low_rating",
    audience=STAFF,
))
DECISION_DONE = register(EventType(
    key="appeals.decision_done",
    label=_("Выполнено решение, принятое по обращению"),
    template="appeals/notifications/decision_done",
))
DECISION_DUE_SOON = register(EventType(
    key="appeals.decision_due_soon",
    label=_("Ответственному: срок решения по жалобе скоро"),
    template="appeals/notifications/decision_due_soon",
    audience=STAFF,
))
DECISION_OVERDUE = register(EventType(
    key="appeals.decision_overdue",
    label=_("Руководителю и ответственному: решение по жалобе просрочено"),
    template="appeals/notifications/decision_overdue",
    audience=STAFF,
))

# --- the reminder ladder staff can tune in the admin ---------------------------------------

POLICY_ASSIGNEE_DAYS = register_reminder_policy(ReminderPolicySpec(
    key="appeals.assignee_before_due",
    label=_("Исполнителю — за N рабочих дней до срока"),
    help_text=_("Рабочие дни до срока ответа, в которые исполнитель получает напоминание, например: 3,1."),
    default_values=(3, 1), min_value=1, max_value=30,
))
POLICY_UNASSIGNED = register_reminder_policy(ReminderPolicySpec(
    key="appeals.unassigned_due_today",
    label=_("Руководителям — срок сегодня, исполнителя нет"),
    help_text=_("Число — рабочих дней до срока (0 — в день срока)."),
    default_values=(0,), min_value=0, max_value=10, value_count=1,
))
POLICY_OVERDUE = register_reminder_policy(ReminderPolicySpec(
    key="appeals.overdue_escalation",
    label=_("Руководителям — срок нарушен, затем ежедневно"),
    help_text=_("Через сколько календарных дней повторять, пока нет ответа (1 — ежедневно)."),
    default_values=(1,), min_value=1, max_value=30, value_count=1,
))
POLICY_CUSTOMER = register_reminder_policy(ReminderPolicySpec(
    key="appeals.customer_waiting",
    label=_("Заявителю — обращение ждёт его сведений"),
    help_text=_("Через сколько календарных дней ожидания напомнить заявителю."),
    default_values=(5,), min_value=1, max_value=60, value_count=1,
))
POLICY_DIGEST = register_reminder_policy(ReminderPolicySpec(
    key="appeals.supervisor_digest",
    label=_("Руководителям — утренняя сводка"),
    help_text=_("Час (по времени компании), с которого отправляется сводка в рабочий день."),
    default_values=(8,), min_value=0, max_value=23, value_count=1,
))
POLICY_DECISION_DAYS = register_reminder_policy(ReminderPolicySpec(
    key="appeals.decision_before_due",
    label=_("Ответственному за решение по жалобе — за N рабочих дней до срока"),
    help_text=_("Рабочие дни до срока исполнения решения, например: 3,1."),
    default_values=(3, 1), min_value=1, max_value=30,
))
POLICY_DECISION_OVERDUE = register_reminder_policy(ReminderPolicySpec(
    key="appeals.decision_overdue",
    label=_("Руководителям и ответственному — решение просрочено, затем повторно"),
    help_text=_("Через сколько календарных дней повторять, пока решение не выполнено или не отменено."),
    default_values=(1,), min_value=1, max_value=30, value_count=1,
))
POLICY_HOURS = register_reminder_policy(ReminderPolicySpec(
    key="appeals.reminder_hours",
    label=_("Часы отправки напоминаний"),
    help_text=_("С какого и до какого часа (по времени компании) отправлять напоминания в рабочие дни, "
                "например: 9,20. Ночью и в выходные напоминания ждут утра рабочего дня."),
    default_values=(9, 20), min_value=0, max_value=24, value_count=2,
))


# --- from an event to notices ----------------------------------------------------------------


def appeal_event_recorded(event: AppealEvent, *, role: str) -> None:
    """Write the notices one appeal event causes (called inside the event's transaction).

    `role` is `access.CUSTOMER` or `access.STAFF`: a staff member replying on their own
    appeal from the cabinet is the customer here, and their assignee hears of it.
    """
    appeal = event.appeal
    by_customer = role == access.CUSTOMER
    if event.kind == Kind.TRANSITION:
        _transition(event, appeal, by_customer)
    elif event.kind == Kind.MESSAGE:
        if by_customer:
            # Recorded before the reply returns the appeal to work: the status still says what was asked.
            activity = ACTIVITY_INFO_REPLY if appeal.status == S.WAITING_FOR_CUSTOMER else ACTIVITY_MESSAGE
            _to_assignee(event, appeal, CUSTOMER_ACTIVITY, activity=activity)
        else:
            _to_customer(event, appeal, MESSAGE)
    elif event.kind == Kind.ANSWER:
        _to_customer(event, appeal, ANSWERED)
    elif event.kind == Kind.EXTENSION:
        _to_customer(event, appeal, EXTENDED)
    elif event.kind == Kind.REDIRECT:
        _to_customer(event, appeal, REDIRECTED)
    elif event.kind == Kind.ASSIGNMENT and appeal.assignee_id and appeal.assignee_id != event.actor_id:
        # Someone else gave the appeal to this operator (taking it oneself needs no notice).
        _to_assignee(event, appeal, ASSIGNED)


# What the customer did, as the assignee's notice names it (customer_activity's templates).
ACTIVITY_INFO_REPLY = "info_reply"
ACTIVITY_MESSAGE = "message"
ACTIVITY_WITHDRAWN = "withdrawn"
ACTIVITY_REOPENED = "reopened"
_CUSTOMER_TRANSITION_ACTIVITY = {S.WITHDRAWN: ACTIVITY_WITHDRAWN, S.REOPENED: ACTIVITY_REOPENED}


def _transition(event, appeal, by_customer):
    if not event.from_status and event.to_status == S.REGISTERED:
        _to_customer(event, appeal, REGISTERED)
        _to_distributors(event, appeal)
    elif event.to_status in (S.ANSWERED, S.REDIRECTED):
        return  # the answer and the redirect have notices of their own
    elif by_customer:
        # A reply returns the appeal to work; its message already told the assignee.
        activity = _CUSTOMER_TRANSITION_ACTIVITY.get(event.to_status)
        if activity:
            _to_assignee(event, appeal, CUSTOMER_ACTIVITY, activity=activity)
        if event.to_status == S.REOPENED:
            # The reopened appeal has a new term: the customer is told the new due date.
            _to_customer(event, appeal, STATUS_CHANGED, comment=_(
                "Обращение будет рассмотрено повторно. Новый срок ответа — %(due)s."
            ) % {"due": due_display(appeal.due_at, appeal.deadline_rule.unit)})
    elif event.to_status == S.WAITING_FOR_CUSTOMER:
        _to_customer(event, appeal, INFO_REQUESTED)
    else:
        _to_customer(event, appeal, STATUS_CHANGED)


def customer_of(appeal):
    """Who hears about an appeal: its author's account, or the contact details a visitor left.

    An organisation's appeal stays the organisation's: once its author has left or been
    removed, the notices (the answer included) go to the organisation's longest-standing
    administrator instead, never to the former member. None when nobody may receive them.
    """
    if not appeal.author_id:
        return Address(email=appeal.contact_email, phone=appeal.contact_phone, name=appeal.contact_name)
    if not appeal.organisation_id:
        return appeal.author
    members = Membership.objects.filter(organisation_id=appeal.organisation_id, user__is_active=True)
    if members.filter(user_id=appeal.author_id).exists():
        return appeal.author
    admin = members.filter(role=Membership.Role.ADMIN).select_related("user").order_by("created_at", "pk").first()
    return admin.user if admin else None


def customer_link(appeal) -> str:
    return reverse("appeals:detail", args=[appeal.number]) if appeal.author_id else ""


def staff_link(appeal) -> str:
    return reverse("admin:appeals_appeal_change", args=[appeal.pk])


def recipient_key(recipient) -> str:
    if isinstance(recipient, Address):
        return f"email:{recipient.email.lower()}|phone:{recipient.phone}"
    return f"user:{recipient.pk}"


def _choice_label(choices, value):
    return dict(choices.choices).get(value, value)


def appeal_context(appeal, **extra) -> dict:
    due = timezone.localtime(appeal.due_at, timezone.get_default_timezone())
    day_term = is_day_term(appeal.deadline_rule.unit)
    return {
        "number": appeal.number,
        "subject": appeal.subject,
        # Lazy labels: they are rendered in the recipient's language, not in whatever language
        # happens to be active where the event occurred (get_FOO_display() would fix that one).
        "kind": _choice_label(Appeal.Kind, appeal.kind),
        "topic": _choice_label(Appeal.Topic, appeal.topic),
        "status": _choice_label(S, appeal.status),
        "due_date": due.strftime("%d.%m.%Y"),
        # Hour terms (a power-quality report) end at a time of day, day terms at its end.
        "due_time": "" if day_term else due.strftime("%H:%M"),
        # The date, and the time only for hour terms: "02.12.2026" or "02.12.2026 14:30".
        "due": due.strftime("%d.%m.%Y") if day_term else due.strftime("%d.%m.%Y %H:%M"),
        "registered_date": timezone.localtime(appeal.registered_at).strftime("%d.%m.%Y"),
        "deadline_basis": appeal.deadline_basis,
        "contact_name": appeal.contact_name,
        "support_phone": settings.PORTAL_SUPPORT_PHONE,
        **extra,
    }


def _customer_context(appeal, *, comment, from_status=""):
    return appeal_context(
        appeal,
        comment=comment,
        answer_text=appeal.answer_text,
        redirected_to=appeal.redirected_to,
        extension_reason=appeal.extension_reason,
        from_status=S(from_status).label if from_status else "",
        has_account=bool(appeal.author_id),
    )


def answer_preview(appeal):
    """The answer notice the customer will get for the saved draft, rendered by the templates that send it."""
    would_be = copy.copy(appeal)
    would_be.answer_text = appeal.answer_draft.strip()
    return render_for(
        customer_of(appeal), event=ANSWERED.key, context=_customer_context(would_be, comment=would_be.answer_text),
        link=customer_link(appeal),
    )


def _to_customer(event, appeal, event_type, *, comment=None):
    recipient = customer_of(appeal)
    if recipient is None:
        return
    notify(
        recipient=recipient,
        event=event_type.key,
        context=_customer_context(
            appeal, comment=event.comment if comment is None else comment, from_status=event.from_status
        ),
        dedup_key=f"appeals.event:{event.pk}:{recipient_key(recipient)}",
        link=customer_link(appeal),
        now=event.created_at,
    )


def _to_assignee(event, appeal, event_type, *, activity=""):
    """A notice to the assignee naming what happened (`activity`), never the status at writing time:
    by the time it is read, the appeal may have moved on; the link opens its admin page."""
    if not appeal.assignee_id:
        return
    notify(
        recipient=appeal.assignee,
        event=event_type.key,
        context=appeal_context(appeal, comment=event.comment, actor=str(event.actor or appeal.contact_name),
                               activity=activity),
        dedup_key=f"appeals.event:{event.pk}:user:{appeal.assignee_id}",
        link=staff_link(appeal),
        now=event.created_at,
    )


def distributors(*, exclude_user_id=None) -> list:
    """Who hands out new appeals: active staff in APPEALS_NEW_APPEAL_NOTIFY_GROUP, and/or a shared address.

    Either setting may be empty; both empty means nobody is told (the reminder scan still
    warns the supervisors when an unassigned appeal falls due).
    """
    recipients: list = []
    group = settings.APPEALS_NEW_APPEAL_NOTIFY_GROUP
    if group:
        recipients.extend(_active_staff_in(group=group, exclude_user_id=exclude_user_id or None))
    address = settings.APPEALS_NEW_APPEAL_NOTIFY_EMAIL
    if address and not any(user.email.lower() == address.lower() for user in recipients):
        recipients.append(Address(email=address, language=settings.LANGUAGE_CODE))
    return recipients


@prepared  # every filing asks it: compiled once per process (`core.prepared`)
def _active_staff_in(*, group, exclude_user_id):
    users = get_user_model().objects.filter(groups__name=group, is_active=True, is_staff=True)
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    return users.order_by("pk")


def _to_distributors(event, appeal):
    """A new appeal with nobody on it yet: tell those who distribute work, linking to its admin page."""
    if appeal.assignee_id:
        return  # registered by staff straight into someone's hands
    for recipient in distributors(exclude_user_id=event.actor_id):
        notify(
            recipient=recipient,
            event=NEW_APPEAL.key,
            context=appeal_context(appeal, actor=str(event.actor or appeal.contact_name)),
            dedup_key=f"appeals.event:{event.pk}:new:{recipient_key(recipient)}",
            link=staff_link(appeal),
            now=event.created_at,
        )


# --- satisfaction and decisions ----------------------------------------------------------------


def low_rating(appeal, survey, *, event) -> None:
    """A rating of 1–2: every supervisor hears of it, with the comment, linking to the appeal's admin page."""
    from appeals.reminders import list_supervisors

    unknown = _("не указано")
    context = appeal_context(
        appeal,
        service_rating=survey.service_rating,
        supply_rating=_("%(n)s из 5") % {"n": survey.supply_rating} if survey.supply_rating else unknown,
        solved={True: _("да"), False: _("нет")}.get(survey.solved, unknown),
        rating_comment=survey.comment,
        assignee=str(appeal.assignee) if appeal.assignee_id else "—",
    )
    for supervisor in list_supervisors():
        notify(
            recipient=supervisor,
            event=LOW_RATING.key,
            context=context,
            dedup_key=f"appeals.event:{event.pk}:low_rating:user:{supervisor.pk}",
            link=staff_link(appeal),
            now=event.created_at,
        )


def decision_context(appeal, decision, **extra) -> dict:
    return appeal_context(
        appeal,
        decision=f"{_choice_label(decision.Action, decision.action)} — {decision.description}",
        decision_due=decision.due_on.strftime("%d.%m.%Y"),
        responsible=str(decision.responsible),
        **extra,
    )


def decision_done(appeal, decision, *, event) -> None:
    """The customer hears that what the answer promised has been done."""
    recipient = customer_of(appeal)
    if recipient is None:
        return
    notify(
        recipient=recipient,
        event=DECISION_DONE.key,
        context=decision_context(
            appeal, decision, done_on=decision.done_on.strftime("%d.%m.%Y"), result_note=decision.result_note,
            has_account=bool(appeal.author_id),
        ),
        dedup_key=f"appeals.event:{event.pk}:{recipient_key(recipient)}",
        link=customer_link(appeal),
        now=event.created_at,
    )
