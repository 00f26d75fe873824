"""The data-subject requests' reminder scan: due requests → unique reminder rows → notices to staff.

The same shape as the appeals' and the applications' scans: only open requests near or past their
due date are read (the status-and-due index), each reminder is a row in notifications.Reminder
(unique per request, kind and date) written with its notices under the request's row lock, so a
second scan sends nothing. Rungs: `privacy.request_due_soon` (3 and 1 working days before, tunable),
then daily while overdue. Recipients: everyone holding `privacy.change_subjectrequest`.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import staff_with_permission
from deadlines.arithmetic import working_days_left
from deadlines.display import due_display
from deadlines.services import calendar_for, working_days_cutoff
from notifications.events import ladder_rung
from notifications.services import notify, reminder_policies, reminder_record

from . import notifying
from .models import SubjectRequest

SUBJECT = "privacy.request"


def request_reminders_scan(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    today = now.astimezone(tz).date()
    calendar = calendar_for(today - timedelta(days=62), today + timedelta(days=62))
    if not calendar.is_working_day(today):
        return {}
    sent = {"due_soon": 0, "overdue": 0}
    policy = reminder_policies([notifying.POLICY_DUE_SOON.key])[notifying.POLICY_DUE_SOON.key]
    rungs = sorted(policy.values) if policy.enabled else []
    open_requests = SubjectRequest.objects.filter(status=SubjectRequest.Status.OPEN)
    reach = working_days_cutoff(now=now, days=max(rungs)) if rungs else now
    staff = None
    for row in open_requests.filter(due_at__lte=reach).only("pk", "due_at").order_by("due_at", "pk"):
        if row.due_at < now:
            kind, due_on, event = "overdue", today, notifying.OVERDUE
        else:
            days_left = working_days_left(now, row.due_at, calendar, tz)
            rung = ladder_rung(days_left, rungs)
            if rung is None:
                continue
            kind, due_on, event = f"due_{rung}d", row.due_at.astimezone(tz).date(), notifying.DUE_SOON
        staff = staff if staff is not None else list(staff_with_permission("privacy.change_subjectrequest"))
        with transaction.atomic():
            locked = open_requests.select_for_update().select_related("deadline_rule").filter(pk=row.pk).first()
            if locked is None or not reminder_record(subject=SUBJECT, object_id=row.pk, kind=kind, due_on=due_on,
                                                     now=now):
                continue
            context = {"request_pk": locked.pk, "due": due_display(locked.due_at, locked.deadline_rule.unit)}
            for user in staff:
                notify(recipient=user, event=event.key, context=context, now=now,
                       dedup_key=f"{SUBJECT}:{locked.pk}:{kind}:{due_on.isoformat()}:user:{user.pk}",
                       link=reverse("admin:privacy_subjectrequest_change", args=[locked.pk]))
        sent["overdue" if kind == "overdue" else "due_soon"] += 1
    return sent
