"""Daily rollups of the dashboard's counting figures: appeals registered per company day × topic × kind × assignee.

A day is recounted whole, in one transaction (its rows deleted and written again from one grouped query over
the day's range of `appeal_figures_registered`), so a refresh is idempotent and may run at any time. Counts of
a past day still move a little (an appeal reassigned or reopened later): the beat task recounts today and
yesterday every quarter of an hour and a back-fill window every night (MONITORING_ROLLUP_WINDOW_DAYS); the
page states when the oldest day it shows was counted.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from appeals.models import Appeal
from monitoring.models import DailyAppealCounts, RolledDay


def day_bounds(day: date, tz) -> tuple[datetime, datetime]:
    return datetime.combine(day, time.min, tzinfo=tz), datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def refresh_day(day: date, *, now: datetime | None = None) -> int:
    """Recount one company day; returns the number of rows written."""
    now = now or timezone.now()
    start, end = day_bounds(day, timezone.get_default_timezone())
    with transaction.atomic():
        rows = (
            Appeal.objects.filter(registered_at__gte=start, registered_at__lt=end)
            .values("topic", "kind", "assignee")
            .annotate(received=Count("*"), reopened=Count("registered_at", filter=Q(reopened_count__gt=0)))
            .order_by()
        )
        counts = [
            DailyAppealCounts(day=day, topic=row["topic"], kind=row["kind"], assignee_id=row["assignee"],
                              received=row["received"], reopened=row["reopened"])
            for row in rows
        ]
        DailyAppealCounts.objects.filter(day=day).delete()
        DailyAppealCounts.objects.bulk_create(counts)
        RolledDay.objects.update_or_create(day=day, defaults={"refreshed_at": now})
    return len(counts)


def refresh_days(first: date, last: date, *, now: datetime | None = None) -> int:
    """Recount every day from first to last inclusive; returns the number of days."""
    day, done = first, 0
    while day <= last:
        refresh_day(day, now=now)
        day += timedelta(days=1)
        done += 1
    return done


def refresh_recent(*, days: int = 2, now: datetime | None = None) -> int:
    """Today and the days before it (`days` in all)."""
    today = timezone.localdate(now or timezone.now())
    return refresh_days(today - timedelta(days=days - 1), today, now=now)


def first_day() -> date | None:
    first = Appeal.objects.aggregate(first=Min("registered_at"))["first"]
    return timezone.localdate(first) if first else None
