"""The contract applications' reminder scan: due applications → unique reminder rows → notices to staff.

One periodic task (contracts.tasks.scan_application_reminders) calls `application_reminders_scan`.
Like the appeals' scan it reads only open applications through the partial index on their due
dates, and writes a row in the reminder ledger (notifications.Reminder, unique per subject, object,
kind and date) in the same transaction as the notices, under the application's row lock, re-checked:
a second scan, a second beat or a retried task meets the constraint and sends nothing.

The ladder (tunable in the admin under «Правила напоминаний»), the same as the appeals':
- the assignee (no assignee: everyone who reviews applications), 3 and 1 working days before the
  due date (`contracts.application_due_soon`);
- once overdue, the supervisors (`contracts.supervise_contractapplication`) and the assignee, every
  working day while the application stays open (`contracts.application_overdue`).
While the clock is stopped (waiting for the customer's documents) nothing is due; the key of every
rung holds the due date, so a due date moved by a pause gets its own ladder. Nothing is sent on a
day off by the production calendar, nor outside the sending hours.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.selectors import staff_with_permission
from contracts import notifying_applications as notifying
from contracts.models_applications import ContractApplication
from deadlines.arithmetic import working_days_left
from deadlines.display import due_display
from deadlines.services import calendar_for, working_days_cutoff
from notifications.events import ladder_rung
from notifications.scans import SENDING_HOURS, ScanResult
from notifications.selectors import reminder_recorded
from notifications.services import notify, reminder_policies, reminder_record

SUBJECT = "contracts.application"
S = ContractApplication.Status


def application_reminders_scan(*, now: datetime | None = None, limit: int | None = None) -> ScanResult:
    now = now or timezone.now()
    limit = settings.CONTRACT_APPLICATIONS_REMINDERS_PER_SCAN if limit is None else limit
    tz = timezone.get_default_timezone()
    local = now.astimezone(tz)
    today = local.date()
    calendar = calendar_for(today - timedelta(days=62), today + timedelta(days=62))
    if not calendar.is_working_day(today):
        return ScanResult(skipped="day off")
    if not SENDING_HOURS[0] <= local.hour < SENDING_HOURS[1]:
        return ScanResult(skipped="outside sending hours")
    policies = reminder_policies([notifying.POLICY_DUE_SOON.key, notifying.POLICY_OVERDUE.key])
    result = ScanResult()
    soon = policies[notifying.POLICY_DUE_SOON.key]
    if soon.enabled and soon.values:
        _due_soon(now, tz, calendar, sorted(soon.values), limit, result)
    overdue = policies[notifying.POLICY_OVERDUE.key]
    if overdue.enabled and result.total < limit:
        every = overdue.values[0] if overdue.values else 1
        _overdue(now, today, every, limit - result.total, result)
    return result




def _running():
    return ContractApplication.objects.filter(status__in=ContractApplication.RUNNING_STATUSES)


def _due_soon(now, tz, calendar, rungs, limit, result):
    cutoff = working_days_cutoff(now=now, days=max(rungs))
    # Applications due within the ladder's reach: a few days' intake, whatever the table's size.
    candidates = list(
        _running().filter(due_at__gte=now, due_at__lte=cutoff).only("pk", "due_at").order_by("due_at", "pk")
    )
    if not candidates:
        return
    reviewers = list(staff_with_permission("contracts.review_contractapplication").order_by("pk"))
    for application in candidates:
        if result.total >= limit:
            return
        due_on = application.due_at.astimezone(tz).date()
        days_left = working_days_left(now, application.due_at, calendar, tz)
        rung = ladder_rung(days_left, rungs)
        if rung is None:
            continue
        if _send(application.pk, kind=f"due_{rung}d", due_on=due_on, now=now,
                 write=lambda app, due_on, days_left=days_left, rung=rung: _remind_due_soon(
                     app, due_on, now, days_left, reviewers, kind=f"due_{rung}d")):
            result.count("due_soon")


def _overdue(now, today, every_days, limit, result):
    escalated = reminder_recorded(subject=SUBJECT, kind="overdue", since=today - timedelta(days=every_days - 1))
    rows = list(
        _running().filter(due_at__lt=now).filter(~escalated).only("pk", "due_at").order_by("due_at", "pk")[:limit]
    )
    if not rows:
        return
    supervisors = list(staff_with_permission("contracts.supervise_contractapplication").order_by("pk"))
    for application in rows:
        if _send(application.pk, kind="overdue", due_on=today, now=now,
                 write=lambda app, due_on: _remind_overdue(app, due_on, now, supervisors)):
            result.count("overdue")


def _send(application_id, *, kind, due_on, now, write) -> bool:
    with transaction.atomic():
        application = (
            _running().select_for_update(of=("self",)).select_related("assignee").filter(pk=application_id).first()
        )
        if application is None:
            return False
        if not reminder_record(subject=SUBJECT, object_id=application.pk, kind=kind, due_on=due_on, now=now):
            return False
        write(application, due_on)
    return True


def _dedup(application, kind, due_on, user):
    return f"contracts.application_reminder:{application.pk}:{kind}:{due_on.isoformat()}:user:{user.pk}"


def _remind_due_soon(application, due_on, now, days_left, reviewers, *, kind):
    recipients = [application.assignee] if application.assignee_id else reviewers
    context = notifying.application_context(application, days_left=days_left)
    for user in recipients:
        notify(recipient=user, event=notifying.DUE_SOON.key, context=context,
               dedup_key=_dedup(application, kind, due_on, user), link=notifying.staff_link(application),
               now=now)


def _remind_overdue(application, due_on, now, supervisors):
    recipients = list(supervisors)
    if application.assignee_id and all(s.pk != application.assignee_id for s in recipients):
        recipients.append(application.assignee)
    context = notifying.application_context(
        application, assignee=str(application.assignee) if application.assignee_id else "—",
        due_date=due_display(application.due_at, "working_days"),
    )
    for user in recipients:
        notify(recipient=user, event=notifying.OVERDUE.key, context=context,
               dedup_key=_dedup(application, "overdue", due_on, user), link=notifying.staff_link(application),
               now=now)
