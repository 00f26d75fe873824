"""The readings' reminder scan: the window opened and you have not submitted; a meter's verification is near.

One periodic task (contracts.tasks.scan_reading_reminders, hourly) calls
`reading_reminders_scan`. Like the appeals' scan it writes a row in the reminder
ledger (notifications.Reminder, unique per subject, object, kind and date) in the same
transaction as the notices, so a second scan, a second beat or a retried task meets
the constraint and sends nothing:

- «приём открыт»: once per person per month (ledger: subject `contracts.readings_user`,
  the person, kind `window`, the month), listing every meter they may submit for that
  has no reading for the month yet — the resident owner, an organisation's
  administrators and the members allowed to submit. Sent on a day inside the window
  (from its first day plus the policy's offset), between 09:00 and 21:00 company time;
- «скоро поверка»: once per meter per verification date (ledger: `contracts.meter`,
  the meter, kind `verification`, the date), the policy's number of days ahead (60),
  to the same people. A new verification date starts afresh.

Customers switch either off on their notification preferences page (the events
`contracts.readings_window`, `contracts.verification_due`); the ledger row is still
written, so switching back on does not bring the old reminder back.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Membership
from contracts import notifying_readings as notifying
from contracts.models import Contract, Meter, Reading
from contracts.services.readings import reading_window
from notifications.scans import SENDING_HOURS, ScanResult
from notifications.selectors import reminder_recorded
from notifications.services import notify, reminder_policies, reminder_record, reminders_recorded

logger = logging.getLogger(__name__)

USER_SUBJECT = "contracts.readings_user"
METER_SUBJECT = "contracts.meter"


def reading_reminders_scan(*, now: datetime | None = None, limit: int | None = None) -> ScanResult:
    now = now or timezone.now()
    limit = settings.READINGS_REMINDERS_PER_SCAN if limit is None else limit
    local = timezone.localtime(now, timezone.get_default_timezone())
    if not SENDING_HOURS[0] <= local.hour < SENDING_HOURS[1]:
        return ScanResult(skipped="outside sending hours")
    policies = reminder_policies([notifying.POLICY_WINDOW.key, notifying.POLICY_VERIFICATION.key])
    result = ScanResult()
    window_policy = policies[notifying.POLICY_WINDOW.key]
    if window_policy.enabled:
        _window_reminders(now, window_policy.values[0] if window_policy.values else 0, limit, result)
    verification_policy = policies[notifying.POLICY_VERIFICATION.key]
    if verification_policy.enabled:
        days = verification_policy.values[0] if verification_policy.values else 60
        _verification_reminders(now, local.date(), days, limit, result)
    return result


# --- who may submit for a meter ---------------------------------------------------------------


def _bound(meters):
    """Meters of active contracts bound to someone right now (one active binding per contract)."""
    return meters.filter(
        supply_point__contract__status=Contract.Status.ACTIVE,
        supply_point__contract__bindings__unbound_at__isnull=True,
    )


def _meter_rows(meters) -> list[dict]:
    return list(
        meters.values(
            "pk",
            "serial_number",
            "next_verification_on",
            address=F("supply_point__address"),
            contract=F("supply_point__contract__number"),
            user_id=F("supply_point__contract__bindings__user_id"),
            organisation_id=F("supply_point__contract__bindings__organisation_id"),
        )
    )


def _submitters(rows: list[dict]) -> dict[int, list[int]]:
    """meter pk → user pks allowed to submit its readings (as contracts.access.meters_submittable_by says)."""
    organisation_ids = {r["organisation_id"] for r in rows if r["organisation_id"]}
    members = defaultdict(list)
    if organisation_ids:
        for organisation_id, user_id in Membership.objects.filter(
            Q(role=Membership.Role.ADMIN) | Q(may_submit_readings=True),
            organisation_id__in=organisation_ids,
            user__is_active=True,
        ).values_list("organisation_id", "user_id"):
            members[organisation_id].append(user_id)
    result = {}
    for r in rows:
        result[r["pk"]] = [r["user_id"]] if r["user_id"] else sorted(members.get(r["organisation_id"], []))
    return result


def _users(pks) -> dict:
    return {u.pk: u for u in get_user_model().objects.filter(pk__in=list(pks), is_active=True)}


def _meter_item(row) -> dict:
    return {"serial": row["serial_number"], "address": row["address"], "contract": row["contract"]}


# --- the window opened ------------------------------------------------------------------------


def _window_reminders(now, offset_days, limit, result):
    window = reading_window(now)
    if not window.is_open or window.today < window.opens_on + timedelta(days=offset_days):
        return
    submitted = Reading.objects.filter(meter=OuterRef("pk"), period=window.period)
    pending = _bound(Meter.objects.filter(removed_on__isnull=True, remote=False)).filter(~Exists(submitted))
    rows = _meter_rows(pending.order_by("pk"))
    if not rows:
        return
    by_meter = _submitters(rows)
    meters_by_user = defaultdict(list)
    for row in rows:
        for user_id in by_meter[row["pk"]]:
            meters_by_user[user_id].append(_meter_item(row))
    done = {
        pk
        for (pk, _kind, day) in reminders_recorded(subject=USER_SUBJECT, object_ids=meters_by_user, kinds=["window"])
        if day == window.period
    }
    waiting = [pk for pk in sorted(meters_by_user) if pk not in done][:limit]
    users = _users(waiting)
    context = {
        "month": date_format(window.period, "m.Y"),
        "opens_on": date_format(window.opens_on, "d.m.Y"),
        "closes_on": date_format(window.closes_on, "d.m.Y"),
    }
    for pk in waiting:
        user = users.get(pk)
        if user is None:
            continue
        with transaction.atomic():
            if not reminder_record(subject=USER_SUBJECT, object_id=pk, kind="window", due_on=window.period, now=now):
                continue
            notify(
                recipient=user,
                event=notifying.READINGS_WINDOW.key,
                context={**context, "meters": meters_by_user[pk]},
                dedup_key=f"contracts.readings_window:{window.period.isoformat()}:user:{pk}",
                link=_contracts_link(),
                now=now,
            )
        result.count("window")


def _contracts_link() -> str:
    return reverse("contracts:list")


# --- verification ahead -----------------------------------------------------------------------


def _verification_reminders(now, today, days, limit, result):
    reminded = reminder_recorded(
        subject=METER_SUBJECT, kind="verification", due_on=OuterRef("next_verification_on")
    )
    due = _bound(
        Meter.objects.filter(
            removed_on__isnull=True,
            next_verification_on__gte=today,
            next_verification_on__lte=today + timedelta(days=days),
        )
    ).filter(~reminded)
    rows = _meter_rows(due.order_by("next_verification_on", "pk")[:limit])
    if not rows:
        return
    by_meter = _submitters(rows)
    users = _users({pk for pks in by_meter.values() for pk in pks})
    for row in rows:
        recipients = [users[pk] for pk in by_meter[row["pk"]] if pk in users]
        when = row["next_verification_on"]
        with transaction.atomic():
            if not reminder_record(
                subject=METER_SUBJECT, object_id=row["pk"], kind="verification", due_on=when, now=now
            ):
                continue
            for user in recipients:
                notify(
                    recipient=user,
                    event=notifying.VERIFICATION_DUE.key,
                    context={
                        "serial": row["serial_number"],
                        "address": row["address"],
                        "verification_on": date_format(when, "d.m.Y"),
                    },
                    dedup_key=f"contracts.verification:{row['pk']}:{when.isoformat()}:user:{user.pk}",
                    link=_contracts_link(),
                    now=now,
                )
        result.count("verification")
