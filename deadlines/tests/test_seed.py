"""The seeded production calendar and rules, against independent sources.

The calendar migration freezes literal dates; here they are checked against
the `holidays` package (holidays, transfers, working weekends) and against
the shortened days of the decrees as published, which the package lacks.
"""

import pytest

from deadlines.calendar import weekdays_in_year
from deadlines.models import CalendarDay, CalendarYear, DeadlineRule
from deadlines.package_calendar import NONWORKING, WORKING, overrides_from_package
from deadlines.tests.conftest import d

pytestmark = pytest.mark.django_db

SEEDED_YEARS = [2024, 2025, 2026, 2027]

# Pre-holiday days one hour shorter (ТК ст. 95), from the published calendars
# of the decrees. A working Saturday is shortened only when it replaces the
# weekday before a holiday (2 November 2024, 1 November 2025, 20 February 2027);
# 27 April and 28 December 2024 were full working days.
SHORTENED = {
    2024: {"2024-02-22", "2024-03-07", "2024-05-08", "2024-06-11", "2024-11-02"},
    2025: {"2025-03-07", "2025-04-30", "2025-06-11", "2025-11-01"},
    2026: {"2026-04-30", "2026-05-08", "2026-06-11", "2026-11-03"},
    2027: {"2027-02-20", "2027-04-30", "2027-06-11", "2027-11-03"},
}

# Working days in the year on a five-day week, as published (2027 computed
# from its decree's transfers).
WORKING_DAYS = {2024: 248, 2025: 247, 2026: 247, 2027: 247}


def seeded(year, *, kinds, weekend=None):
    days = CalendarDay.objects.filter(calendar_year__year=year, kind__in=kinds).values_list("day", flat=True)
    return {day for day in days if weekend is None or (day.weekday() >= 5) == weekend}


@pytest.mark.parametrize("year", SEEDED_YEARS)
def test_seeded_days_off_match_the_holidays_package(year):
    package = {day for day, kind, _ in overrides_from_package(year) if kind == NONWORKING}
    assert seeded(year, kinds=[CalendarDay.Kind.NONWORKING]) == package


@pytest.mark.parametrize("year", SEEDED_YEARS)
def test_seeded_working_weekend_days_match_the_holidays_package(year):
    package = {day for day, kind, _ in overrides_from_package(year) if kind == WORKING}
    working_kinds = [CalendarDay.Kind.WORKING, CalendarDay.Kind.SHORTENED]
    assert seeded(year, kinds=working_kinds, weekend=True) == package


@pytest.mark.parametrize("year", SEEDED_YEARS)
def test_seeded_shortened_days_match_the_decrees(year):
    assert seeded(year, kinds=[CalendarDay.Kind.SHORTENED]) == {d(day) for day in SHORTENED[year]}


@pytest.mark.parametrize("year", SEEDED_YEARS)
def test_seeded_years_have_the_published_number_of_working_days(year):
    off = len(seeded(year, kinds=[CalendarDay.Kind.NONWORKING]))
    working_weekend = len(seeded(year, kinds=[CalendarDay.Kind.WORKING, CalendarDay.Kind.SHORTENED], weekend=True))
    assert weekdays_in_year(year) - off + working_weekend == WORKING_DAYS[year]


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        ("2026-01-09", CalendarDay.Kind.NONWORKING),
        ("2026-12-31", CalendarDay.Kind.NONWORKING),
        ("2024-04-27", CalendarDay.Kind.WORKING),
    ],
)
def test_the_days_the_issue_names(day, kind):
    assert CalendarDay.objects.get(day=d(day)).kind == kind


def test_seeded_years_are_covered_with_their_decree():
    years = dict(CalendarYear.objects.values_list("year", "decree"))
    assert sorted(years) == SEEDED_YEARS
    assert "1466" in years[2026]


def test_every_seeded_day_passes_the_admin_validation():
    for day in CalendarDay.objects.select_related("calendar_year"):
        day.full_clean()
        assert day.note


# (code, topic) → amount, unit, start event, extension limit (0: none), legal reference.
CONTRACT_RULES = {
    ("appeal.request", ""): (30, "calendar_days", "registration", 30, "59-ФЗ, ст. 12"),
    ("appeal.application", ""): (30, "calendar_days", "registration", 30, "59-ФЗ, ст. 12"),
    ("appeal.complaint", ""): (30, "calendar_days", "registration", 30, "59-ФЗ, ст. 12"),
    ("appeal.suggestion", ""): (30, "calendar_days", "registration", 30, "59-ФЗ, ст. 12"),
    ("appeal.claim", ""): (10, "calendar_days", "receipt", 0, "2300-1, ст. 31 п. 1"),
    ("appeal.complaint", "billing"): (3, "working_days", "receipt", 0, "ПП 354, п. 31 «к»"),
    ("appeal.application", "metering"): (10, "calendar_days", "receipt", 0, "ПП 354, п. 31 «е(2)»"),
    ("appeal.complaint", "power_quality"): (2, "hours", "receipt", 0, "ПП 354, п. 108"),
    ("appeal.registration", ""): (3, "calendar_days", "receipt", 0, "59-ФЗ, ст. 8 ч. 2"),
    ("appeal.redirect", ""): (7, "calendar_days", "registration", 0, "59-ФЗ, ст. 8 ч. 3"),
    ("contract.application", ""): (15, "working_days", "receipt", 0, "ПП 442, п. 39"),
    ("pd.subject_request", ""): (10, "working_days", "receipt", 5, "152-ФЗ, ст. 14 и 20"),
    ("pd.consent_withdrawal", ""): (30, "calendar_days", "receipt", 0, "152-ФЗ, ст. 21 ч. 5"),
}


def test_the_contract_rules_are_seeded_exactly():
    rules = {(rule.code, rule.topic): rule for rule in DeadlineRule.objects.filter(is_active=True)}
    assert set(rules) == set(CONTRACT_RULES)
    for key, (amount, unit, start_event, extension, reference) in CONTRACT_RULES.items():
        rule = rules[key]
        assert (rule.amount, rule.unit, rule.start_event) == (amount, unit, start_event), key
        assert rule.extension_allowed is bool(extension), key
        assert rule.extension_amount == extension, key
        assert reference in rule.legal_basis.splitlines()[0], key
        assert len(rule.legal_basis) > 100, key
        rule.full_clean()

