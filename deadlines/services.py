"""The deadlines app's interface for other apps: the only code that reads its tables.

Arithmetic lives in `deadlines.arithmetic` (pure); this module finds the rule
and the slice of the production calendar it needs (from the process's copy of
both tables, `deadlines.tables`) and supplies the company's time zone
(settings.TIME_ZONE).
"""

import copy
import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines import tables
from deadlines.arithmetic import (
    Term,
    Unit,
    due_after_pauses,
    due_at,
    end_of_day,
    explain_due,
    extended_due_at,
    paused_working_days,
    working_days_left,
)
from deadlines.calendar import WorkingCalendar
from deadlines.models import CalendarDay, CalendarYear, DeadlineRule
from deadlines.package_calendar import overrides_from_package

# The warning on the admin index is re-read at most this often; edits to the
# years table clear it at once (see deadlines.apps).
COVERAGE_WARNING_CACHE_SECONDS = 60 * 60
RULE_GAP_WARNING_CACHE_KEY = "deadlines:rule-gap-warning"

logger = logging.getLogger(__name__)


def calendar_for(start: date, end: date) -> WorkingCalendar:
    """The production calendar for the days from `start` to `end` inclusive.

    From this process's copy of the calendar (`deadlines.tables`: read again whenever staff change
    a day or a year), not a query per call.
    """
    if end < start:
        start, end = end, start
    days, covered_years = tables.calendar_rows(start, end)
    nonworking, working, shortened = [], [], []
    by_kind = {
        CalendarDay.Kind.NONWORKING: nonworking,
        CalendarDay.Kind.WORKING: working,
        CalendarDay.Kind.SHORTENED: shortened,
    }
    for day, kind in days:
        by_kind[kind].append(day)
    return WorkingCalendar(nonworking=nonworking, working=working, shortened=shortened, covered_years=covered_years)


def rule_for(code: str, topic: str = "", *, fallback: str | None = None) -> DeadlineRule:
    """The active rule for (code, topic), else the active rule for (code, any topic).

    A filing must never fail on configuration: a caller that files passes
    `fallback`, the code of its kind's general rule (for appeals, the general
    written-appeal rule), used when `code` has no active rule at all (and,
    should that be off too, the last general rule of either code). That
    gap is logged as an error and shown to staff on the admin index until a
    rule is switched back on (`rule_gap_warning`); the admin also refuses to
    switch off the last general rule of a code (`rule_change_refusal`).

    Raises DeadlineRule.DoesNotExist when no rule is found, the fallback
    included: never a guessed term.

    The rules come from this process's copy of the table (`deadlines.tables`: read again whenever
    staff change a rule); the rule returned is the caller's own copy.
    """
    codes = {code, fallback} if fallback else {code}
    every_rule = tables.rules()
    candidates = {
        (rule.code, rule.topic): rule
        for rule in every_rule
        if rule.code in codes and rule.topic in {topic, ""} and rule.is_active
    }
    rule = candidates.get((code, topic)) or candidates.get((code, ""))
    if rule is None and fallback:
        # The fallback's general rule; with that switched off too (past the admin), the last general
        # rule either code had: a term staff once set beats a filing that fails.
        rule = candidates.get((fallback, "")) or max(
            (r for r in every_rule if r.code in codes and r.topic == ""),
            key=lambda r: (r.updated_at, r.pk), default=None,
        )
        if rule is not None:
            logger.error(
                "no active deadline rule for code=%r, topic=%r: counted by the rule %r (id %s, active: %s) instead; "
                "switch a rule for %r back on in the admin",
                code, topic, rule.code, rule.pk, rule.is_active, code,
            )  # fmt: skip
    if rule is None:
        raise DeadlineRule.DoesNotExist(f"no active deadline rule for code={code!r}, topic={topic!r}")
    return copy.copy(rule)


def rule_by_id(pk: int) -> DeadlineRule | None:
    """The rule with this id (active or not), from this process's copy of the table; the caller's own copy."""
    rule = next((r for r in tables.rules() if r.pk == pk), None)
    return copy.copy(rule) if rule is not None else None


def with_rules(objects: list) -> list:
    """Each object's `deadline_rule` set from this process's copy of the rules instead of a join or a query
    (appeals, one or a page of them); objects sharing a rule share one copy of it."""
    rules = {}
    for obj in objects:
        rule_id = obj.deadline_rule_id
        if rule_id is None:
            continue
        if rule_id not in rules:
            rules[rule_id] = rule_by_id(rule_id)
        if rules[rule_id] is not None:
            obj.deadline_rule = rules[rule_id]
    return objects


def rule_change_refusal(rule: DeadlineRule) -> ValidationError | None:
    """Why an edit of `rule` must be refused, or None.

    Switching off (or re-coding) the only active general rule of a code leaves
    every filing of that kind without a term. A topic's own rule may go: its
    code's general rule takes over.
    """
    if rule.pk is None:
        return None
    stored_code = (
        DeadlineRule.objects.filter(pk=rule.pk, topic="", is_active=True).values_list("code", flat=True).first()
    )
    if stored_code is None or (rule.is_active and rule.topic == "" and rule.code == stored_code):
        return None
    if DeadlineRule.objects.filter(code=stored_code, topic="", is_active=True).exclude(pk=rule.pk).exists():
        return None
    return ValidationError(
        _(
            "Правило «%(title)s» нельзя отключить или перевести на другой код или тематику: это единственное "
            "действующее общее правило для кода %(code)s, и без него срок для таких обращений и заявлений "
            "не посчитать. Чтобы изменить срок, исправьте его в этом правиле (уже рассчитанные сроки не "
            "изменятся)."
        ),
        code="last_general_rule",
        params={"title": rule.title, "code": stored_code},
    )


def rule_gap_warning() -> str | None:
    """A warning for staff naming the codes that have rules but no active general one, or None."""
    codes = list(
        DeadlineRule.objects.values("code")
        .annotate(general=Count("id", filter=Q(topic="", is_active=True)))
        .filter(general=0)
        .order_by("code")
        .values_list("code", flat=True)
    )
    if not codes:
        return None
    return _(
        "Нет действующего общего правила срока для кодов: %(codes)s. Сроки по ним считаются по запасному общему "
        "правилу, а где его нет, подать обращение нельзя. Включите правило или заведите новое в разделе "
        "«Правила сроков»."
    ) % {"codes": ", ".join(codes)}


def cached_rule_gap_warning() -> str | None:
    """`rule_gap_warning`, cached: it is shown on every admin index page; a rule's save clears it."""
    cached = cache.get(RULE_GAP_WARNING_CACHE_KEY)
    if cached is None:
        cached = rule_gap_warning() or ""
        cache.set(RULE_GAP_WARNING_CACHE_KEY, cached, COVERAGE_WARNING_CACHE_SECONDS)
    return cached or None


def forget_rule_gap_warning() -> None:
    cache.delete(RULE_GAP_WARNING_CACHE_KEY)


def deadline_for(rule: DeadlineRule, *, received_at: datetime, registered_at: datetime) -> datetime:
    """The due moment under `rule`, counted from receipt or registration as the rule says."""
    event_at = received_at if rule.start_event == DeadlineRule.StartEvent.RECEIPT else registered_at
    return _due_after(rule.term, event_at)


def explain_deadline(rule: DeadlineRule, *, event_at: datetime):
    """`arithmetic.explain_due` for a rule's term counted from `event_at`, with the calendar it needs."""
    term = rule.term
    first_day = event_at.astimezone(company_timezone()).date()
    span = term.amount * (2 if term.unit == Unit.WORKING_DAYS else 1) + 62
    return explain_due(term, event_at, calendar_for(first_day, first_day + timedelta(days=span)), company_timezone())


def extension_for(rule: DeadlineRule, *, current_due_at: datetime, amount: int) -> datetime:
    """The new due moment after extending by `amount` of the rule's unit, from the current due date.

    Raises ValidationError with a Russian message for the staff form when the
    rule allows no extension or `amount` is outside 1..the rule's limit.
    Whether the appeal was already extended once is the caller's record.
    """
    if not rule.extension_allowed or not rule.extension_amount:
        raise ValidationError(
            _("Этот срок продлить нельзя: правило «%(title)s» не предусматривает продления (%(basis)s)."),
            code="extension_not_allowed",
            params={"title": rule.title, "basis": _short_basis(rule)},
        )
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise ValidationError(
            _("Укажите, на сколько продлить срок: целое число не меньше 1."),
            code="extension_amount_invalid",
        )
    if amount > rule.extension_amount:
        raise ValidationError(
            _("Срок можно продлить не более чем на %(limit)s (%(basis)s)."),
            code="extension_over_limit",
            params={"limit": rule.extension_term, "basis": _short_basis(rule)},
        )
    return _due_after(Term(amount, Unit(rule.unit)), current_due_at, extend=True)


def due_after_pause(due: datetime, *, paused_at: datetime, resumed_at: datetime) -> tuple[datetime, int]:
    """The due moment moved by a pause from `paused_at` to `resumed_at`, and the working days it lost.

    `arithmetic.due_after_pauses` with the calendar it needs, in one query: the pause and a window
    after the due date wide enough for every lost working day.
    """
    tz = company_timezone()
    start, end = paused_at.astimezone(tz).date(), resumed_at.astimezone(tz).date()
    due_day = due.astimezone(tz).date()
    span = 2 * (end - start).days + 31
    calendar = calendar_for(min(start, due_day), max(end, due_day) + timedelta(days=span))
    return due_after_pauses(due, [(start, end)], calendar, tz), paused_working_days(start, end, calendar)


def company_timezone() -> ZoneInfo:
    """The zone whose dates the law counts in (settings.TIME_ZONE, Europe/Moscow)."""
    return timezone.get_default_timezone()


def working_days_left_each(dues: Sequence[datetime], *, now: datetime) -> list[int]:
    """`arithmetic.working_days_left` for each due moment, in the company's zone.

    For a list page: one calendar query covers all its rows, from the earliest
    due date to the latest, today included.
    """
    if not dues:
        return []
    tz = company_timezone()
    days = [due.astimezone(tz).date() for due in dues] + [now.astimezone(tz).date()]
    calendar = calendar_for(min(days), max(days))
    return [working_days_left(now, due, calendar, tz) for due in dues]


def working_days_cutoff(*, now: datetime, days: int) -> datetime:
    """The last moment of the `days`-th working day after today: "due within N working days" is due ≤ this."""
    tz = company_timezone()
    today = now.astimezone(tz).date()
    # A holiday run is under two weeks: this window surely holds N working days.
    calendar = calendar_for(today, today + timedelta(days=2 * days + 31))
    return end_of_day(calendar.add_working_days(today, days), tz)


def calendar_coverage_warning(today: date) -> str | None:
    """A warning for staff when the production calendar the deadlines need is missing.

    From 1 December the next year must be entered (its decree is published in
    the autumn); the current year must always be.
    """
    needed = [today.year]
    if today >= date(today.year, 12, 1):
        needed.append(today.year + 1)
    covered = set(CalendarYear.objects.filter(year__in=needed).values_list("year", flat=True))
    missing = [year for year in needed if year not in covered]
    if not missing:
        return None
    if missing[0] == today.year:
        return _(
            "Производственный календарь на текущий, %(year)s год не внесён: сроки в рабочих днях и переносы "
            "окончания сроков с праздников считаются по обычной пятидневке. Внесите год и его переносы выходных "
            "в разделе «Годы производственного календаря»."
        ) % {"year": today.year}
    return _(
        "Производственный календарь на %(year)s год ещё не внесён. Внесите его по постановлению Правительства "
        "о переносе выходных в разделе «Годы производственного календаря»: без него сроки, которые "
        "заканчиваются после 1 января, будут посчитаны без праздников."
    ) % {"year": today.year + 1}


def cached_calendar_coverage_warning() -> str | None:
    """`calendar_coverage_warning` for today, cached: it is shown on every admin index page."""
    key = _coverage_warning_cache_key(timezone.localdate())
    cached = cache.get(key)
    if cached is None:
        cached = calendar_coverage_warning(timezone.localdate()) or ""
        cache.set(key, cached, COVERAGE_WARNING_CACHE_SECONDS)
    return cached or None


def forget_calendar_coverage_warning() -> None:
    cache.delete(_coverage_warning_cache_key(timezone.localdate()))


@transaction.atomic
def calendar_year_prefill_from_package(calendar_year: CalendarYear) -> int:
    """Adds the `holidays` package's holidays, transfers and working weekends for a year without days.

    Returns how many days were added; 0 when the year already has days (staff
    entered them: never mix sources) or the package knows nothing for it.
    """
    calendar_year = CalendarYear.objects.select_for_update().get(pk=calendar_year.pk)
    if calendar_year.days.exists():
        return 0
    days = [
        CalendarDay(calendar_year=calendar_year, day=day, kind=kind, note=note[:200])
        for day, kind, note in overrides_from_package(calendar_year.year)
    ]
    CalendarDay.objects.bulk_create(days)
    return len(days)


def _coverage_warning_cache_key(today: date) -> str:
    return f"deadlines:coverage-warning:{today.isoformat()}"


def term_end(term: Term, event_at: datetime) -> datetime:
    """When a term (not tied to a rule of the table) that starts with `event_at` runs out, by the production
    calendar: e.g. the 20 days a household debt warning gives (ПП 354 п. 119)."""
    return _due_after(term, event_at)


def _due_after(term: Term, event_at: datetime, *, extend: bool = False) -> datetime:
    tz = company_timezone()

    def compute(calendar):
        if extend:
            return extended_due_at(event_at, term, calendar, tz)
        return due_at(term, event_at, calendar, tz)

    if term.unit == Unit.HOURS:
        return compute(WorkingCalendar())
    first_day = event_at.astimezone(tz).date()
    # Load a window that surely holds the answer (a holiday run is under two
    # weeks); should the answer reach its edge, load a wider one rather than
    # guess the days beyond it.
    span = term.amount * (2 if term.unit == Unit.WORKING_DAYS else 1) + 31
    while True:
        last_loaded = first_day + timedelta(days=span)
        result = compute(calendar_for(first_day, last_loaded))
        if result.astimezone(tz).date() < last_loaded:
            return result
        span *= 2


def _short_basis(rule: DeadlineRule) -> str:
    return rule.legal_basis.split("\n", 1)[0].strip()
