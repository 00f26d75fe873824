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
- each supervisor, a morning digest with counts and the oldest overdue appeals.
The key of every rung contains the due date, so when a deadline moves
(extension, reopening) the ladder follows the new date. Nothing is sent on a
day off by the production calendar, nor outside the sending hours in the
company's time zone: the scan waits for the next working morning.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from appeals import notifying
from appeals.models import Appeal, AppealEvent
from deadlines.arithmetic import end_of_day, working_days_left
from deadlines.services import calendar_for
from notifications.rendering import absolute_url
from notifications.services import notify, reminder_policies, reminder_record, reminders_recorded

logger = logging.getLogger(__name__)

SUBJECT = "appeals.appeal"
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
]


@dataclass
class ScanResult:
    skipped: str = ""  # why nothing was looked at: a day off, or outside the sending hours
    candidates: int = 0
    sent: dict = field(default_factory=dict)

    def count(self, kind):
        self.sent[kind] = self.sent.get(kind, 0) + 1

    @property
    def total(self):
        return sum(self.sent.values())


def appeal_reminders_scan(*, now: datetime | None = None) -> ScanResult:
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    local = now.astimezone(tz)
    today = local.date()
    policies = reminder_policies(POLICY_KEYS)
    calendar = calendar_for(today - timedelta(days=62), today + timedelta(days=62))

    start_hour, end_hour = policies[notifying.POLICY_HOURS.key].values
    if not calendar.is_working_day(today):
        return ScanResult(skipped="day off")
    if not start_hour <= local.hour < end_hour:
        result = ScanResult(skipped="outside sending hours")
    else:
        result = ScanResult()
        _deadline_reminders(now, today, tz, calendar, policies, result)
        _customer_reminders(now, today, tz, policies, result)
    _digests(now, today, tz, local, calendar, policies, result)
    return result


# --- deadlines: the assignee, then the supervisors -----------------------------------------


def _deadline_reminders(now, today, tz, calendar, policies, result):
    assignee_policy = policies[notifying.POLICY_ASSIGNEE_DAYS.key]
    unassigned_policy = policies[notifying.POLICY_UNASSIGNED.key]
    overdue_policy = policies[notifying.POLICY_OVERDUE.key]
    rungs = sorted(assignee_policy.values, reverse=True) if assignee_policy.enabled else []
    unassigned_days = unassigned_policy.values[0] if unassigned_policy.enabled else None
    reach = max([*rungs, unassigned_days or 0])
    horizon = end_of_day(calendar.add_working_days(today, reach) if reach else today, tz)

    due = list(due_candidates(horizon))
    result.candidates = len(due)
    if not due:
        return
    recorded = reminders_recorded(subject=SUBJECT, object_ids=[a.pk for a in due])
    supervisors = None
    for appeal in due:
        days_left = working_days_left(now, appeal.due_at, calendar, tz)
        due_on = appeal.due_at.astimezone(tz).date()
        if days_left >= 0 and appeal.assignee_id and rungs:
            rung = _rung_for(days_left, rungs)
            if rung is not None and (appeal.pk, f"assignee_{rung}d", due_on) not in recorded:
                _send(appeal.pk, f"assignee_{rung}d", due_on, now, result, _remind_assignee, days_left=days_left)
        if (
            unassigned_days is not None
            and 0 <= days_left <= unassigned_days
            and not appeal.assignee_id
            and (appeal.pk, "unassigned", due_on) not in recorded
        ):
            supervisors = supervisors if supervisors is not None else list_supervisors()
            _send(appeal.pk, "unassigned", due_on, now, result, _remind_unassigned, supervisors=supervisors,
                  days_left=days_left)
        if days_left < 0 and overdue_policy.enabled:
            # One escalation per repeat interval; the kind carries the due date
            # so an extension starts the count again.
            kind = f"overdue_{due_on.isoformat()}"
            sent_days = [d for (pk, k, d) in recorded if pk == appeal.pk and k == kind]
            if not sent_days or (today - max(sent_days)).days >= overdue_policy.values[0]:
                supervisors = supervisors if supervisors is not None else list_supervisors()
                _send(appeal.pk, kind, today, now, result, _remind_overdue, supervisors=supervisors,
                      days_left=days_left)


def due_candidates(horizon):
    """Open appeals due up to the horizon, overdue ones included: the partial index appeal_open_due serves this."""
    return (
        Appeal.objects.filter(status__in=Appeal.OPEN_STATUSES, due_at__lte=horizon)
        .only("pk", "due_at", "assignee_id", "status")
        .order_by("due_at", "pk")
    )


def _rung_for(days_left, rungs):
    """The ladder rung for today: the smallest rung at or above days_left.

    With rungs 3 and 1: 3 or 2 days left → rung 3, 1 or 0 → rung 1. An appeal
    first seen with 1 day left skips rung 3 instead of getting two reminders.
    """
    candidates = [r for r in rungs if days_left <= r]
    return min(candidates) if candidates else None


def _send(appeal_id, kind, due_on, now, result, write_notices, **extra):
    """Record the reminder and write its notices in one transaction, under the appeal's row lock.

    The lock and the re-check make a reminder for an appeal answered a moment
    ago impossible; the ledger row makes a second one impossible.
    """
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("assignee", "author")
            .filter(pk=appeal_id, status__in=Appeal.OPEN_STATUSES)
            .first()
        )
        if appeal is None:
            return
        if not reminder_record(subject=SUBJECT, object_id=appeal.pk, kind=kind, due_on=due_on, now=now):
            return
        write_notices(appeal, kind=kind, due_on=due_on, now=now, **extra)
    result.count(kind.split("_", 1)[0] if kind.startswith("overdue") else kind)


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


def _remind_overdue(appeal, *, kind, due_on, now, supervisors, days_left):
    recipients = list(supervisors)
    if appeal.assignee_id and all(s.pk != appeal.assignee_id for s in recipients):
        recipients.append(appeal.assignee)
    context = notifying.appeal_context(
        appeal, days_overdue=-days_left, assignee=str(appeal.assignee) if appeal.assignee_id else "—"
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
    """Active staff who may see every appeal (the appeals.view_all_appeals permission), without DISTINCT."""
    User = get_user_model()
    permission = Permission.objects.filter(content_type__app_label="appeals", codename="view_all_appeals")
    holders = User.objects.filter(
        Q(user_permissions__in=permission) | Q(groups__permissions__in=permission)
    ).values("pk")
    return list(
        User.objects.filter(Q(pk__in=holders) | Q(is_superuser=True), is_active=True, is_staff=True).order_by("pk")
    )


# --- the customer who was asked for information ----------------------------------------------


def _customer_reminders(now, today, tz, policies, result):
    policy = policies[notifying.POLICY_CUSTOMER.key]
    if not policy.enabled:
        return
    waited_since = now - timedelta(days=policy.values[0])
    waiting = list(
        Appeal.objects.filter(status=S.WAITING_FOR_CUSTOMER, last_activity_at__lte=waited_since)
        .only("pk", "last_activity_at")
        .order_by("pk")
    )
    if not waiting:
        return
    recorded = reminders_recorded(subject=SUBJECT, object_ids=[a.pk for a in waiting], kinds=["customer_waiting"])
    for appeal in waiting:
        # One reminder per waiting period: the key is the day the waiting began.
        since = appeal.last_activity_at.astimezone(tz).date()
        if (appeal.pk, "customer_waiting", since) not in recorded:
            _send(appeal.pk, "customer_waiting", since, now, result, _remind_customer)


def _remind_customer(appeal, *, kind, due_on, now):
    request = (
        AppealEvent.objects.filter(appeal=appeal, kind=AppealEvent.Kind.TRANSITION, to_status=S.WAITING_FOR_CUSTOMER)
        .order_by("-created_at", "-pk")
        .values_list("comment", flat=True)
        .first()
    )
    recipient = notifying.customer_of(appeal)
    notify(
        recipient=recipient,
        event=notifying.CUSTOMER_REMINDER.key,
        context=notifying.appeal_context(appeal, comment=request or "", has_account=bool(appeal.author_id)),
        dedup_key=_dedup(appeal, kind, due_on, notifying.recipient_key(recipient)),
        link=notifying.customer_link(appeal),
        now=now,
    )


# --- the supervisors' morning digest ----------------------------------------------------------


def _digests(now, today, tz, local, calendar, policies, result):
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
