"""The reminder scan: due appeals → unique reminder rows → notifications.

One periodic task (appeals.tasks.scan_appeal_reminders, every few minutes)
calls `appeal_reminders_scan`. It reads only appeals that can be due for a
reminder, through the partial index on open appeals' due dates, and for each
reminder that fell due it records a row in the reminder ledger
(notifications.Reminder, unique per appeal, kind and date) in the same
transaction as the notices. A second scan, a second beat or a retried task
meets the constraint and sends nothing; a worker that dies mid-scan rolls
back the reminder together with its notices, and the next scan sends it.

The ladder (staff can tune it in the admin under «Правила напоминаний»):
- the assignee, at 3 and 1 working days before the due date;
- the supervisors, when an appeal is due today and has no assignee;
- the supervisors, when an appeal is overdue, and again every day until answered;
- the customer, when the appeal has waited 5 days for their information;
- each supervisor, a morning digest with counts and the oldest overdue appeals;
- decisions taken on complaints: the one responsible at 3 and 1 working days before the decision's due
  date, then the supervisors and the responsible when it is late, again every day until done or cancelled
  (ledger subject "appeals.decision").
The key of every rung contains the due date, so when a deadline moves
(extension, reopening) the ladder follows the new date. Nothing is sent on a
day off by the production calendar, nor outside the sending hours in the
company's time zone: the scan waits for the next working morning.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import staff_with_permission
from appeals import notifying
from appeals.models import Appeal, AppealDecision, AppealEvent
from deadlines.arithmetic import end_of_day, working_days_left
from deadlines.services import calendar_for
from notifications.events import ladder_rung
from notifications.rendering import absolute_url
from notifications.scans import ScanResult
from notifications.selectors import reminder_recorded
from notifications.services import notify, reminder_policies, reminder_record, reminders_recorded

logger = logging.getLogger(__name__)

SUBJECT = "appeals.appeal"
DECISION_SUBJECT = "appeals.decision"
DIGEST_SUBJECT = "appeals.digest"
DIGEST_ITEMS = 10
S = Appeal.Status

POLICY_KEYS = [
    notifying.POLICY_ASSIGNEE_DAYS.key,
    notifying.POLICY_UNASSIGNED.key,
    notifying.POLICY_OVERDUE.key,
    notifying.POLICY_CUSTOMER.key,
    notifying.POLICY_DIGEST.key,
    notifying.POLICY_HOURS.key,
    notifying.POLICY_DECISION_DAYS.key,
    notifying.POLICY_DECISION_OVERDUE.key,
]


@dataclass(frozen=True)
class DueReminder:
    """A reminder that fell due and is not in the ledger yet: what the scan is about to send."""

    appeal_id: int
    kind: str
    due_on: date
    write: Callable
    extra: dict


def appeal_reminders_scan(*, now: datetime | None = None, limit: int | None = None) -> ScanResult:
    """Send the reminders that fell due, at most `limit` (settings.APPEALS_REMINDERS_PER_SCAN) per scan.

    A backlog (say, the first run over years of data) drains over the next
    scans instead of making one scan run for an hour.
    """
    now = now or timezone.now()
    limit = settings.APPEALS_REMINDERS_PER_SCAN if limit is None else limit
    tz = timezone.get_default_timezone()
    local = now.astimezone(tz)
    policies = reminder_policies(POLICY_KEYS)
    calendar = calendar_for(local.date() - timedelta(days=62), local.date() + timedelta(days=62))

    start_hour, end_hour = policies[notifying.POLICY_HOURS.key].values
    if not calendar.is_working_day(local.date()):
        return ScanResult(skipped="day off")
    if not start_hour <= local.hour < end_hour:
        result = ScanResult(skipped="outside sending hours")
    else:
        result = ScanResult()
        due = plan_reminders(now=now, calendar=calendar, policies=policies, limit=limit)
        result.planned = len(due)
        supervisors = None
        for item in due[:limit]:
            if item.write in (_remind_unassigned, _remind_overdue):
                supervisors = supervisors if supervisors is not None else list_supervisors()
                item.extra["supervisors"] = supervisors
            if _send(item, now):
                result.count(item.kind)
        decision_reminders_scan(now=now, calendar=calendar, policies=policies, result=result,
                                limit=max(limit - result.total, 0))
    _digests(now, local, calendar, policies, result)
    return result


def plan_reminders(*, now, calendar, policies, limit) -> list[DueReminder]:
    """Every reminder due now and not yet recorded, the coming deadlines first, then escalations."""
    tz = timezone.get_default_timezone()
    today = now.astimezone(tz).date()
    due = _upcoming(now, today, tz, calendar, policies)
    overdue_policy = policies[notifying.POLICY_OVERDUE.key]
    if overdue_policy.enabled and len(due) < limit:
        due += _overdue(now, today, overdue_policy.values[0], limit - len(due))
    customer_policy = policies[notifying.POLICY_CUSTOMER.key]
    if customer_policy.enabled and len(due) < limit:
        due += _customer_waiting(now, tz, customer_policy.values[0])
    return due


# --- deadlines: the assignee, then the supervisors -----------------------------------------


def _upcoming(now, today, tz, calendar, policies) -> list[DueReminder]:
    """The assignee's ladder and the unassigned alarm, for appeals not reminded yet."""
    candidates, wanted_by_day = upcoming_candidates(now, today, tz, calendar, policies)
    due = []
    for appeal in candidates:
        due_on = appeal.due_at.astimezone(tz).date()
        days_left, wanted = wanted_by_day[due_on]
        kind, write = wanted["assigned" if appeal.assignee_id else "unassigned"]
        due.append(DueReminder(appeal.pk, kind, due_on, write, {"days_left": days_left}))
    return due


def upcoming_candidates(now, today, tz, calendar, policies):
    """Open appeals due soon that still need a reminder, and what each due day wants.

    Days left depend only on the due date, so the rung wanted for each due day
    up to the horizon is known in advance: the query asks, day by day, for
    appeals due that day that lack that day's ledger row. It returns only work
    to do, through the due-date index and the ledger's unique index.
    """
    assignee_policy = policies[notifying.POLICY_ASSIGNEE_DAYS.key]
    unassigned_policy = policies[notifying.POLICY_UNASSIGNED.key]
    rungs = sorted(assignee_policy.values, reverse=True) if assignee_policy.enabled else []
    unassigned_days = unassigned_policy.values[0] if unassigned_policy.enabled else None
    reach = max([*rungs, unassigned_days or 0])
    last_day = calendar.add_working_days(today, reach) if reach else today
    wanted_by_day = {}
    due_on_some_day = Q()
    day = today
    while day <= last_day:
        # The same for every moment of the day not yet past (the query starts at now).
        days_left = working_days_left(now, end_of_day(day, tz), calendar, tz)
        rung = ladder_rung(days_left, rungs)
        wanted = {}
        condition = Q()
        if rung is not None:
            wanted["assigned"] = (f"assignee_{rung}d", _remind_assignee)
            condition |= Q(assignee__isnull=False) & ~reminder_recorded(
                subject=SUBJECT, kind=f"assignee_{rung}d", due_on=day
            )
        if unassigned_days is not None and days_left <= unassigned_days:
            wanted["unassigned"] = ("unassigned", _remind_unassigned)
            condition |= Q(assignee__isnull=True) & ~reminder_recorded(subject=SUBJECT, kind="unassigned", due_on=day)
        if wanted:
            wanted_by_day[day] = (days_left, wanted)
            start = max(now, datetime.combine(day, time.min, tzinfo=tz))
            due_on_some_day |= Q(due_at__gte=start, due_at__lte=end_of_day(day, tz)) & condition
        day += timedelta(days=1)
    if not wanted_by_day:
        return Appeal.objects.none(), {}
    candidates = (
        Appeal.objects.filter(status__in=Appeal.OPEN_STATUSES)
        .filter(due_on_some_day)
        .only("pk", "due_at", "assignee_id")
        .order_by("due_at", "pk")
    )
    return candidates, wanted_by_day


def _overdue(now, today, every_days, limit) -> list[DueReminder]:
    # One escalation per appeal every `every_days` days (working days only:
    # the scan does not run on days off), oldest deadline first.
    return [
        DueReminder(appeal.pk, "overdue", today, _remind_overdue, {"due_at": appeal.due_at})
        for appeal in overdue_candidates(now, since=today - timedelta(days=every_days - 1))[:limit]
    ]


def overdue_candidates(now, *, since):
    """Open overdue appeals not escalated since `since`: the due-date index, anti-joined with the ledger."""
    escalated = reminder_recorded(subject=SUBJECT, kind="overdue", since=since)
    return (
        Appeal.objects.filter(status__in=Appeal.OPEN_STATUSES, due_at__lt=now)
        .filter(~escalated)
        .only("pk", "due_at")
        .order_by("due_at", "pk")
    )




def _send(item: DueReminder, now) -> bool:
    """Record the reminder and write its notices in one transaction, under the appeal's row lock.

    The lock and the re-check make a reminder for an appeal answered a moment
    ago impossible; the ledger row makes a second one impossible.
    """
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("assignee", "author", "deadline_rule")
            .filter(pk=item.appeal_id, status__in=Appeal.OPEN_STATUSES)
            .first()
        )
        if appeal is None:
            return False
        if not reminder_record(subject=SUBJECT, object_id=appeal.pk, kind=item.kind, due_on=item.due_on, now=now):
            return False
        item.write(appeal, kind=item.kind, due_on=item.due_on, now=now, **item.extra)
    return True


def _dedup(appeal, kind, due_on, user_key):
    return f"appeals.reminder:{appeal.pk}:{kind}:{due_on.isoformat()}:{user_key}"


def _remind_assignee(appeal, *, kind, due_on, now, days_left):
    notify(
        recipient=appeal.assignee,
        event=notifying.REMINDER_DUE_SOON.key,
        context=notifying.appeal_context(appeal, days_left=days_left),
        dedup_key=_dedup(appeal, kind, due_on, f"user:{appeal.assignee_id}"),
        link=notifying.staff_link(appeal),
        now=now,
    )


def _remind_unassigned(appeal, *, kind, due_on, now, supervisors, days_left):
    for supervisor in supervisors:
        notify(
            recipient=supervisor,
            event=notifying.REMINDER_UNASSIGNED.key,
            context=notifying.appeal_context(appeal, days_left=days_left),
            dedup_key=_dedup(appeal, kind, due_on, f"user:{supervisor.pk}"),
            link=notifying.staff_link(appeal),
            now=now,
        )


def _remind_overdue(appeal, *, kind, due_on, now, supervisors, due_at):
    recipients = list(supervisors)
    if appeal.assignee_id and all(s.pk != appeal.assignee_id for s in recipients):
        recipients.append(appeal.assignee)
    tz = timezone.get_default_timezone()
    overdue_days = (now.astimezone(tz).date() - appeal.due_at.astimezone(tz).date()).days
    context = notifying.appeal_context(
        appeal, days_overdue=max(overdue_days, 1), assignee=str(appeal.assignee) if appeal.assignee_id else "—"
    )
    for user in recipients:
        notify(
            recipient=user,
            event=notifying.REMINDER_OVERDUE.key,
            context=context,
            dedup_key=_dedup(appeal, kind, due_on, f"user:{user.pk}"),
            link=notifying.staff_link(appeal),
            now=now,
        )


def list_supervisors():
    """Active staff granted appeals.view_all_appeals, through a group or directly.

    Superusers are left out unless they hold the permission themselves: the
    permission names the supervisors' duty, the superuser flag only IT access.
    """
    return list(staff_with_permission("appeals.view_all_appeals").order_by("pk"))


# --- decisions taken on complaints -----------------------------------------------------------


def decision_reminders_scan(*, now, calendar, policies, result, limit):
    """Remind the responsible before a planned decision's due date, escalate when it is late.

    Reads planned decisions only, through their partial due-date index; each reminder is a ledger row
    written with its notices under the decision's row lock, re-checked there (done or cancelled a moment
    ago means nothing is sent).
    """
    tz = timezone.get_default_timezone()
    today = now.astimezone(tz).date()
    planned = AppealDecision.objects.filter(status=AppealDecision.Status.PLANNED)
    due = []
    days_policy = policies[notifying.POLICY_DECISION_DAYS.key]
    if days_policy.enabled and days_policy.values:
        rungs = sorted(days_policy.values, reverse=True)
        last_day = calendar.add_working_days(today, max(rungs))
        soon = list(
            planned.filter(due_on__gte=today, due_on__lte=last_day).only("pk", "due_on").order_by("due_on", "pk")
        )
        done = reminders_recorded(subject=DECISION_SUBJECT, object_ids=[d.pk for d in soon])
        for decision in soon:
            days_left = working_days_left(now, end_of_day(decision.due_on, tz), calendar, tz)
            rung = ladder_rung(days_left, rungs)
            kind = f"responsible_{rung}d"
            if rung is not None and (decision.pk, kind, decision.due_on) not in done:
                due.append((decision.pk, kind, decision.due_on, {"days_left": days_left}))
    overdue_policy = policies[notifying.POLICY_DECISION_OVERDUE.key]
    if overdue_policy.enabled:
        since = today - timedelta(days=overdue_policy.values[0] - 1)
        late = (
            planned.filter(due_on__lt=today)
            .filter(~reminder_recorded(subject=DECISION_SUBJECT, kind="overdue", since=since))
            .only("pk").order_by("due_on", "pk")[:limit]
        )
        due += [(decision.pk, "overdue", today, {}) for decision in late]
    supervisors = None
    for decision_id, kind, due_on, extra in due[:limit]:
        if kind == "overdue" and supervisors is None:
            supervisors = list_supervisors()
        if _send_decision_reminder(decision_id, kind, due_on, now, supervisors, **extra):
            result.count(f"decision_{kind}")


def _send_decision_reminder(decision_id, kind, due_on, now, supervisors, days_left=None) -> bool:
    with transaction.atomic():
        decision = (
            AppealDecision.objects.select_for_update(of=("self",))
            .select_related("appeal", "appeal__deadline_rule", "responsible")
            .filter(pk=decision_id, status=AppealDecision.Status.PLANNED)
            .first()
        )
        if decision is None:
            return False
        if not reminder_record(subject=DECISION_SUBJECT, object_id=decision.pk, kind=kind, due_on=due_on, now=now):
            return False
        appeal = decision.appeal
        if kind == "overdue":
            recipients = list(supervisors or [])
            if decision.responsible.is_active and all(s.pk != decision.responsible_id for s in recipients):
                recipients.append(decision.responsible)
            event = notifying.DECISION_OVERDUE.key
            context = notifying.decision_context(appeal, decision)
        else:
            recipients = [decision.responsible] if decision.responsible.is_active else []
            event = notifying.DECISION_DUE_SOON.key
            context = notifying.decision_context(appeal, decision, days_left=days_left)
        for user in recipients:
            notify(
                recipient=user,
                event=event,
                context=context,
                dedup_key=f"appeals.decision_reminder:{decision.pk}:{kind}:{due_on.isoformat()}:user:{user.pk}",
                link=notifying.staff_link(appeal),
                now=now,
            )
    return True


# --- the customer who was asked for information ----------------------------------------------


def _customer_waiting(now, tz, days) -> list[DueReminder]:
    # One reminder per waiting period: the key is the day the waiting began,
    # and a reminder recorded since then means this period is done.
    reminded = reminder_recorded(subject=SUBJECT, kind="customer_waiting", created_after=OuterRef("last_activity_at"))
    waiting = (
        Appeal.objects.filter(status=S.WAITING_FOR_CUSTOMER, last_activity_at__lte=now - timedelta(days=days))
        .filter(~reminded)
        .only("pk", "last_activity_at")
        .order_by("pk")
    )
    return [
        DueReminder(appeal.pk, "customer_waiting", appeal.last_activity_at.astimezone(tz).date(), _remind_customer, {})
        for appeal in waiting
    ]


def _remind_customer(appeal, *, kind, due_on, now):
    request = (
        AppealEvent.objects.filter(appeal=appeal, kind=AppealEvent.Kind.TRANSITION, to_status=S.WAITING_FOR_CUSTOMER)
        .order_by("-created_at", "-pk")
        .values_list("comment", flat=True)
        .first()
    )
    recipient = notifying.customer_of(appeal)
    if recipient is None:
        return
    notify(
        recipient=recipient,
        event=notifying.CUSTOMER_REMINDER.key,
        context=notifying.appeal_context(appeal, comment=request or "", has_account=bool(appeal.author_id)),
        dedup_key=_dedup(appeal, kind, due_on, notifying.recipient_key(recipient)),
        link=notifying.customer_link(appeal),
        now=now,
    )


# --- the supervisors' morning digest ----------------------------------------------------------


def _digests(now, local, calendar, policies, result):
    tz, today = local.tzinfo, local.date()
    policy = policies[notifying.POLICY_DIGEST.key]
    end_hour = policies[notifying.POLICY_HOURS.key].values[1]
    if not policy.enabled or not policy.values[0] <= local.hour < end_hour:
        return
    supervisors = list_supervisors()
    if not supervisors:
        return
    done = {pk for (pk, _kind, _day) in reminders_recorded(
        subject=DIGEST_SUBJECT, object_ids=[s.pk for s in supervisors], kinds=["digest"]
    ) if _day == today}
    waiting = [s for s in supervisors if s.pk not in done]
    if not waiting:
        return
    summary = digest_summary(now=now, today=today, tz=tz, calendar=calendar, policies=policies)
    for supervisor in waiting:
        with transaction.atomic():
            if not reminder_record(subject=DIGEST_SUBJECT, object_id=supervisor.pk, kind="digest", due_on=today,
                                   now=now):
                continue
            notify(
                recipient=supervisor,
                event=notifying.DIGEST.key,
                context=summary,
                dedup_key=f"appeals.digest:{today.isoformat()}:user:{supervisor.pk}",
                link=reverse("admin:appeals_appeal_changelist"),
                now=now,
            )
        result.count("digest")


def digest_summary(*, now, today, tz, calendar, policies) -> dict:
    """Counts in one aggregate over open appeals, and the oldest overdue ones through the due-date index."""
    rungs = policies[notifying.POLICY_ASSIGNEE_DAYS.key].values or (3,)
    soon_days = max(rungs)
    end_today = end_of_day(today, tz)
    soon_end = end_of_day(calendar.add_working_days(today, soon_days), tz)
    counts = Appeal.objects.filter(status__in=Appeal.OPEN_STATUSES).aggregate(
        open_total=Count("pk"),
        overdue=Count("pk", filter=Q(due_at__lt=now)),
        due_today=Count("pk", filter=Q(due_at__gte=now, due_at__lte=end_today)),
        due_soon=Count("pk", filter=Q(due_at__gt=end_today, due_at__lte=soon_end)),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
    )
    oldest = (
        Appeal.objects.filter(status__in=Appeal.OPEN_STATUSES, due_at__lt=now)
        .select_related("assignee")
        .only("pk", "number", "subject", "due_at", "assignee")
        .order_by("due_at", "pk")[:DIGEST_ITEMS]
    )
    return {
        **counts,
        "today": today.strftime("%d.%m.%Y"),
        "soon_days": soon_days,
        "overdue_items": [
            {
                "number": a.number,
                "subject": a.subject,
                "due_date": a.due_at.astimezone(tz).strftime("%d.%m.%Y"),
                "assignee": str(a.assignee) if a.assignee_id else "",
                "url": absolute_url(notifying.staff_link(a)),
            }
            for a in oldest
        ],
        "queue_url": absolute_url(reverse("admin:appeals_appeal_changelist")),
    }
