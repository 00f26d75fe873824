"""The data-subject requests' reminder scan: due requests → unique reminder rows → notices to staff.

One periodic task (privacy.tasks.scan_subject_request_reminders) calls `request_reminders_scan`. The same
shape as the contract applications' scan (contracts/reminders_applications.py): only open requests near or
past their due date are read (the status-and-due index), each reminder is a row in notifications.Reminder
(unique per request, kind and date) written with its notices under the request's row lock, re-checked, so
a second scan, a second beat or a retried task sends nothing.

The ladder, to everyone holding `privacy.change_subjectrequest`:
- `privacy.request_due_soon`: 3 and 1 working days before the due date (tunable in the admin under
  «Правила напоминаний»); a request already past its due date is the overdue rung's, never "due soon";
- `privacy.request_overdue`: every working day while the request stays open past its due date.
Nothing is sent on a day off by the production calendar, nor outside the sending hours; at most
PRIVACY_REMINDERS_PER_SCAN reminders a scan (the coming due dates first, then the escalations), a backlog
drains over the next scans.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import staff_with_permission
from deadlines.arithmetic import working_days_left
from deadlines.display import due_display
from deadlines.services import calendar_for, working_days_cutoff
from notifications.events import ladder_rung
from notifications.models import Reminder
from notifications.scans import SENDING_HOURS, ScanResult
from notifications.selectors import reminder_recorded
from notifications.services import notify, reminder_policies, reminder_record

from . import notifying
from .models import SubjectRequest

SUBJECT = "privacy.request"


def request_reminders_scan(*, now: datetime | None = None, limit: int | None = None) -> ScanResult:
    now = now or timezone.now()
    limit = settings.PRIVACY_REMINDERS_PER_SCAN if limit is None else limit
    tz = timezone.get_default_timezone()
    local = now.astimezone(tz)
    today = local.date()
    calendar = calendar_for(today - timedelta(days=62), today + timedelta(days=62))
    if not calendar.is_working_day(today):
        return ScanResult(skipped="day off")
    if not SENDING_HOURS[0] <= local.hour < SENDING_HOURS[1]:
        return ScanResult(skipped="outside sending hours")
    policy = reminder_policies([notifying.POLICY_DUE_SOON.key])[notifying.POLICY_DUE_SOON.key]
    result = ScanResult()
    staff = []
    if policy.enabled and policy.values:
        _due_soon(now, tz, calendar, sorted(policy.values), limit, result, staff)
    if result.total < limit:
        _overdue(now, today, limit - result.total, result, staff)
    return result


def _open():
    return SubjectRequest.objects.filter(status=SubjectRequest.Status.OPEN)


def _staff(cache: list) -> list:
    """Who answers the requests: read once a scan, and only when there is something to send."""
    if not cache:
        cache.append(list(staff_with_permission("privacy.change_subjectrequest").order_by("pk")))
    return cache[0]


def _due_soon(now, tz, calendar, rungs, limit, result, staff):
    cutoff = working_days_cutoff(now=now, days=max(rungs))
    candidates = list(_open().filter(due_at__gte=now, due_at__lte=cutoff).only("pk", "due_at").order_by("due_at", "pk"))
    if not candidates:
        return
    # The reminders these requests already have (one query): a request reminded at its rung is not locked again,
    # as the overdue rung leaves out the requests reminded today.
    recorded = set(
        Reminder.objects.filter(
            subject=SUBJECT, object_id__in=[row.pk for row in candidates], kind__in=[f"due_{r}d" for r in rungs]
        ).values_list("object_id", "kind", "due_on")
    )
    for row in candidates:
        if result.total >= limit:
            return
        rung = ladder_rung(working_days_left(now, row.due_at, calendar, tz), rungs)
        if rung is None:
            continue
        kind, due_on = f"due_{rung}d", row.due_at.astimezone(tz).date()
        if (row.pk, kind, due_on) in recorded:
            continue
        if _send(row.pk, kind=kind, due_on=due_on, event=notifying.DUE_SOON, now=now, staff=staff):
            result.count("due_soon")


def _overdue(now, today, limit, result, staff):
    reminded_today = reminder_recorded(subject=SUBJECT, kind="overdue", due_on=today)
    rows = list(_open().filter(due_at__lt=now).filter(~reminded_today).only("pk").order_by("due_at", "pk")[:limit])
    for row in rows:
        if _send(row.pk, kind="overdue", due_on=today, event=notifying.OVERDUE, now=now, staff=staff):
            result.count("overdue")


def _send(request_id, *, kind, due_on, event, now, staff) -> bool:
    recipients = _staff(staff)
    with transaction.atomic():
        locked = _open().select_for_update(of=("self",)).select_related("deadline_rule").filter(pk=request_id).first()
        if locked is None:
            return False
        if not reminder_record(subject=SUBJECT, object_id=locked.pk, kind=kind, due_on=due_on, now=now):
            return False
        context = {"request_pk": locked.pk, "due": due_display(locked.due_at, locked.deadline_rule.unit)}
        for user in recipients:
            notify(recipient=user, event=event.key, context=context, now=now,
                   dedup_key=f"{SUBJECT}:{locked.pk}:{kind}:{due_on.isoformat()}:user:{user.pk}",
                   link=reverse("admin:privacy_subjectrequest_change", args=[locked.pk]))
    return True
