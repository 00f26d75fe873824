"""Every figure of the supervisors' dashboard, computed in SQL: aggregates over a period's rows.

The dashboard reads across the domains below it (design floor 4): appeals, their decisions and the
satisfaction surveys. Each figure is one aggregate query over one index range (the appeal indexes named
`appeal_figures_*`, the surveys' `survey_subject_time`, the open appeals' partial index), so the page runs
the same number of queries for ten appeals or ten million, and Python only shapes the few aggregated rows
into tables. The counts of appeals received (and the needs analysis) read the daily rollups
(monitoring/rollups.py) for whole past days and the raw rows only for the days not rolled up (today);
the percentiles, lists and «open now» always read the raw rows.

Definitions (the page states them too):
- received: registered in the period; «open now» and «reopened» are counted among them;
- answered: the answer given in the period; on time when given no later than the due moment in force
  (after an extension, the extended one; after a reopening, the new term); late otherwise;
- time to first response: from registration to the company's first public word (a message, a request for
  information, an extension, a redirect or the answer), for first responses given in the period;
- time to answer: from registration to the answer, for answers given in the period;
- open work per operator: now, whatever the period: overdue, and due within the next working days;
- satisfaction: surveys (ratings) given in the period.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Avg, Count, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from accounts.models import User
from accounts.selectors import staff_with_permission
from appeals.models import Appeal, AppealDecision
from core.periods import Period
from core.sql import PercentileCont, SecondsBetween
from deadlines.arithmetic import end_of_day
from deadlines.services import calendar_for
from monitoring.models import DailyAppealCounts, RolledDay
from surveys.models import LOW_RATING, Survey

SURVEY_SUBJECT = "appeals.appeal"
SOON_WORKING_DAYS = 3
LIST_LIMIT = 50
GROWTH_TOP = 5
OPEN = Appeal.OPEN_STATUSES


def may_view_all(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("monitoring.view_dashboard")


def may_view_own(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("monitoring.view_own_figures")


def operators_for(user):
    """Whom the operator filter offers: everyone working appeals for a supervisor, oneself for a personal view."""
    if may_view_all(user):
        return staff_with_permission("appeals.change_appeal").order_by("last_name", "first_name", "email")
    return User.objects.filter(pk=user.pk)


@dataclass
class Figures:
    period: Period
    previous: Period
    operator: User | None
    now: datetime
    received: dict = field(default_factory=dict)
    answered: dict = field(default_factory=dict)
    first_response: dict = field(default_factory=dict)
    late: list = field(default_factory=list)
    workload: list = field(default_factory=list)
    satisfaction: dict = field(default_factory=dict)
    low_ratings: list = field(default_factory=list)
    needs: dict = field(default_factory=dict)
    decisions_overdue: list = field(default_factory=list)
    soon_until: date | None = None
    rolled_at: datetime | None = None  # when the oldest rolled-up day shown was counted

    @property
    def on_time_share(self):
        return _share(self.answered.get("on_time"), self.answered.get("answered"))


def _share(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _hours(seconds):
    return round(seconds / 3600.0, 1) if seconds is not None else None


def service_figures(*, period: Period, operator: User | None = None, now: datetime | None = None) -> Figures:
    """Every figure for the period (and the operator, when one is chosen): a dozen queries, in one transaction.

    On PostgreSQL, for this transaction only: no JIT compilation (it spent 20–200 ms compiling each of
    these short aggregates, more than they take to run), and memory enough to group a period's rows in
    a hash table instead of sorting them on disk (bench/README.md has the figures).
    """
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '32MB'")
        return _service_figures(period=period, operator=operator, now=now)


def _service_figures(*, period, operator, now) -> Figures:
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    start, end = period.bounds(tz)
    previous = period.previous()
    figures = Figures(period=period, previous=previous, operator=operator, now=now)
    appeals = Appeal.objects.all()
    if operator is not None:
        appeals = appeals.filter(assignee=operator)

    # Whole past days come from the daily rollups; the rest (today, a day not counted yet) from the raw rows.
    rolled_until = min(period.end, now.astimezone(tz).date())
    rolled = _rolled_days(previous.start, rolled_until)
    figures.rolled_at = min(rolled.values()) if rolled else None
    raw = _unrolled_ranges(previous.start, period.end, rolled, tz)
    figures.needs, figures.received = _needs(appeals, period, previous, tz, rolled_until, raw, operator)
    # «Open now» changes every hour, so it is counted now, from the open appeals (a small partial index).
    figures.received["open_now"] = appeals.filter(
        status__in=OPEN, registered_at__gte=start, registered_at__lt=end).aggregate(n=Count("registered_at"))["n"]

    answer_seconds = SecondsBetween(F("answered_at"), F("registered_at"))
    answered = appeals.filter(answered_at__gte=start, answered_at__lt=end).aggregate(
        answered=Count("*"),
        on_time=Count("answered_at", filter=Q(answered_at__lte=F("due_at"))),
        median=PercentileCont(answer_seconds, 0.5),
        p90=PercentileCont(answer_seconds, 0.9),
    )
    answered["late"] = answered["answered"] - answered["on_time"]
    answered["median_hours"], answered["p90_hours"] = _hours(answered["median"]), _hours(answered["p90"])
    figures.answered = answered

    response_seconds = SecondsBetween(F("first_response_at"), F("registered_at"))
    first = appeals.filter(first_response_at__gte=start, first_response_at__lt=end).aggregate(
        responded=Count("*"),
        median=PercentileCont(response_seconds, 0.5),
        p90=PercentileCont(response_seconds, 0.9),
    )
    first["median_hours"], first["p90_hours"] = _hours(first["median"]), _hours(first["p90"])
    figures.first_response = first

    figures.late = list(
        appeals.filter(answered_at__gte=start, answered_at__lt=end, answered_at__gt=F("due_at"))
        .annotate(late_seconds=SecondsBetween(F("answered_at"), F("due_at")))
        .select_related("assignee")
        .only("pk", "number", "subject", "due_at", "answered_at", "extended_at", "reopened_count", "assignee")
        .order_by("-late_seconds", "pk")[:LIST_LIMIT]
    )
    for appeal in figures.late:
        appeal.late_hours = _hours(appeal.late_seconds)

    figures.workload, figures.soon_until = _workload(appeals, now, tz)
    figures.satisfaction, figures.low_ratings = _satisfaction(start, end, operator)
    figures.decisions_overdue = _decisions_overdue(now.astimezone(tz).date(), operator)
    return figures


def _workload(appeals, now, tz):
    """Open work per operator now: overdue, and due within SOON_WORKING_DAYS working days (the open-due index)."""
    today = now.astimezone(tz).date()
    calendar = calendar_for(today, today + timedelta(days=31))
    soon_day = calendar.add_working_days(today, SOON_WORKING_DAYS)
    rows = (
        appeals.filter(status__in=OPEN, due_at__lte=end_of_day(soon_day, tz))
        .values("assignee")
        .annotate(overdue=Count("due_at", filter=Q(due_at__lt=now)),
                  due_soon=Count("due_at", filter=Q(due_at__gte=now)))
        .order_by("-overdue", "-due_soon", "assignee")
    )
    rows = list(rows)
    # Counted first (an index-only scan of the open appeals' partial index), named after: one more query.
    names = {user.pk: str(user) for user in User.objects.filter(pk__in=[r["assignee"] for r in rows if r["assignee"]])}
    workload = [
        {"assignee_id": row["assignee"], "name": names.get(row["assignee"], ""), "overdue": row["overdue"],
         "due_soon": row["due_soon"]}
        for row in rows
    ]
    return workload, soon_day


def _surveys(start, end, operator):
    surveys = Survey.objects.filter(subject=SURVEY_SUBJECT, created_at__gte=start, created_at__lt=end)
    if operator is not None:
        surveys = surveys.filter(object_id__in=Appeal.objects.filter(assignee=operator).values("pk"))
    return surveys


def _satisfaction(start, end, operator):
    surveys = _surveys(start, end, operator)
    counts = {f"r{n}": Count("created_at", filter=Q(service_rating=n)) for n in range(1, 6)}
    summary = surveys.aggregate(
        rated=Count("*"),
        average=Avg("service_rating"),
        supply_average=Avg("supply_rating"),
        supply_rated=Count("supply_rating"),
        solved_yes=Count("created_at", filter=Q(solved=True)),
        solved_answered=Count("solved"),
        **counts,
    )
    summary["high_share"] = _share(summary["r4"] + summary["r5"], summary["rated"])
    summary["solved_share"] = _share(summary["solved_yes"], summary["solved_answered"])
    for key in ("average", "supply_average"):
        summary[key] = round(summary[key], 2) if summary[key] is not None else None
    summary["distribution"] = [
        {"rating": n, "count": summary[f"r{n}"], "share": _share(summary[f"r{n}"], summary["rated"])}
        for n in range(5, 0, -1)
    ]
    appeal = Appeal.objects.filter(pk=OuterRef("object_id"))
    low = list(
        surveys.filter(Q(service_rating__lte=LOW_RATING) | Q(supply_rating__lte=LOW_RATING))
        .annotate(number=Subquery(appeal.values("number")[:1]))
        .only("object_id", "service_rating", "supply_rating", "solved", "comment", "created_at")
        .order_by("-created_at", "-pk")[:LIST_LIMIT]
    )
    return summary, low


def _rolled_days(first: date, before: date) -> dict:
    """{day: refreshed_at} of the days from first up to (not including) `before` the rollups hold."""
    return dict(RolledDay.objects.filter(day__gte=first, day__lt=before).values_list("day", "refreshed_at"))


def _unrolled_ranges(first: date, end: date, rolled: dict, tz) -> Q:
    """The moments of the days in [first, end) the rollups do not hold, as one Q of contiguous ranges."""
    ranges, day, run_start = Q(), first, None
    while day <= end:
        if day < end and day not in rolled:
            run_start = run_start or day
        elif run_start is not None:
            ranges |= Q(registered_at__gte=datetime.combine(run_start, time.min, tzinfo=tz),
                        registered_at__lt=datetime.combine(day, time.min, tzinfo=tz))
            run_start = None
        day += timedelta(days=1)
    if not ranges:  # every day rolled up: an empty range, so the query (and the query count) stays the same
        moment = datetime.combine(first, time.min, tzinfo=tz)
        ranges = Q(registered_at__gte=moment, registered_at__lt=moment)
    return ranges


def _needs(appeals, period, previous, tz, rolled_until, raw, operator):
    """Appeals by month, topic and kind over this period and the one before; trend and fastest growth per topic.

    One row per (topic, kind) — a few dozen groups — with a filtered count per month of the period and one
    for the previous period: summed from the daily rollups for the rolled-up days, counted from the raw rows
    for the others (today). Returns (needs, received) — received: the period's received and reopened.
    """
    start, end = period.bounds(tz)
    months = period.months()
    raw_counts, rolled_counts = {}, {}
    for index, month in enumerate(months):
        month_start = max(datetime.combine(month, time.min, tzinfo=tz), start)
        month_end = min(datetime.combine(_next_month(month), time.min, tzinfo=tz), end)
        raw_counts[f"m{index}"] = Count("registered_at", filter=Q(registered_at__gte=month_start,
                                                                     registered_at__lt=month_end))
        rolled_counts[f"m{index}"] = Sum("received", filter=Q(day__gte=max(month, period.start),
                                                              day__lt=min(_next_month(month), period.end)))
    raw_counts["before"] = Count("registered_at", filter=Q(registered_at__lt=start))
    raw_counts["reopened"] = Count("registered_at", filter=Q(registered_at__gte=start, reopened_count__gt=0))
    rolled_counts["before"] = Sum("received", filter=Q(day__lt=period.start))
    rolled_counts["reopened"] = Sum("reopened", filter=Q(day__gte=period.start))
    # A day's rows and its RolledDay are written in one transaction: rows before today are whole days.
    counts = DailyAppealCounts.objects.filter(day__gte=previous.start, day__lt=rolled_until)
    if operator is not None:
        counts = counts.filter(assignee=operator)
    rows = list(counts.values("topic", "kind").annotate(**rolled_counts).order_by())
    rows += list(
        appeals.filter(raw, registered_at__gte=previous.bounds(tz)[0], registered_at__lt=end)
        .values("topic", "kind")
        .annotate(**raw_counts)
        .order_by()
    )
    reopened = sum(row["reopened"] or 0 for row in rows)
    rows = [{**row, **{key: row[key] or 0 for key in raw_counts}} for row in rows]
    topics = dict(Appeal.Topic.choices)
    kinds = dict(Appeal.Kind.choices)
    by_topic = {t: [0] * len(months) for t in topics}
    by_kind = {k: [0] * len(months) for k in kinds}
    before_topic = dict.fromkeys(topics, 0)
    for row in rows:
        for index in range(len(months)):
            by_topic[row["topic"]][index] += row[f"m{index}"]
            by_kind[row["kind"]][index] += row[f"m{index}"]
        before_topic[row["topic"]] += row["before"]
    trend = []
    for t in topics:
        current = sum(by_topic[t])
        trend.append({
            "topic": t, "label": topics[t], "current": current, "previous": before_topic[t],
            "change": current - before_topic[t], "growth": _share(current - before_topic[t], before_topic[t]),
        })
    growing = sorted((row for row in trend if row["change"] > 0), key=lambda row: (-row["change"], row["topic"]))
    received = {"received": sum(row[f"m{index}"] for row in rows for index in range(len(months))),
                "reopened": reopened}
    return {
        "months": months,
        "by_topic": [{"label": topics[t], "values": by_topic[t]} for t in topics],
        "by_kind": [{"label": kinds[k], "values": by_kind[k]} for k in kinds],
        "trend": trend,
        "growing": growing[:GROWTH_TOP],
    }, received


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _decisions_overdue(today, operator):
    decisions = AppealDecision.objects.filter(status=AppealDecision.Status.PLANNED, due_on__lt=today)
    if operator is not None:
        decisions = decisions.filter(Q(responsible=operator) | Q(appeal__assignee=operator))
    return list(
        decisions.select_related("appeal", "responsible")
        .only("pk", "action", "description", "due_on", "appeal__number", "appeal__subject", "responsible")
        .order_by("due_on", "pk")[:LIST_LIMIT]
    )
