"""The dashboard's figures against values worked out by hand on the February fixture (conftest.py)."""

from datetime import date

import pytest
from django.db import connection

from core import periods
from core.sql import percentile_cont
from monitoring.selectors import service_figures
from monitoring.tables import build_tables
from monitoring.tests.conftest import NOW, TODAY

FEBRUARY = periods.period_for(periods.LAST_MONTH, TODAY)


def test_periods():
    assert periods.Period(date(2026, 2, 1), date(2026, 3, 1)) == FEBRUARY
    assert FEBRUARY.previous() == periods.Period(date(2026, 1, 1), date(2026, 2, 1))
    quarter = periods.period_for(periods.QUARTER, TODAY)
    assert quarter == periods.Period(date(2026, 1, 1), date(2026, 4, 1))
    assert quarter.previous() == periods.Period(date(2025, 10, 1), date(2026, 1, 1))
    custom = periods.period_for(periods.CUSTOM, TODAY, start=date(2026, 2, 10), end=date(2026, 2, 19))
    assert custom == periods.Period(date(2026, 2, 10), date(2026, 2, 20))
    assert custom.previous() == periods.Period(date(2026, 1, 31), date(2026, 2, 10))
    assert periods.period_for(periods.THIS_MONTH, TODAY).months() == [date(2026, 3, 1)]


def test_percentile_matches_postgresql_definition():
    assert percentile_cont([96, 254, 336, 864], 0.5) == 295
    assert percentile_cont([96, 254, 336, 864], 0.9) == pytest.approx(705.6)
    assert percentile_cont([], 0.5) is None


@pytest.mark.django_db
def test_february_for_everyone(february):
    figures = service_figures(period=FEBRUARY, now=NOW)
    # Registered in February: reopened, at_deadline, late, open, other (extended was registered in January).
    assert figures.received == {"received": 5, "open_now": 1, "reopened": 1}
    # Answered in February: extended (inside its extended term), reopened (second answer, in its new term),
    # at_deadline (exactly at the due moment: on time), late, other.
    answered = figures.answered
    assert (answered["answered"], answered["on_time"], answered["late"]) == (5, 4, 1)
    assert figures.on_time_share == 80.0
    # Hours from registration to answer: 24, 96, ~254 (at the end of 19 February), 336, 864.
    assert (answered["median_hours"], answered["p90_hours"]) == (254.0, 652.8)
    # First responses in February: reopened 24 (its first answer), other 24, at_deadline ~254, late 336;
    # extended's first response was its extension, in January.
    first = figures.first_response
    assert first["responded"] == 4
    assert (first["median_hours"], first["p90_hours"]) == (139.0, 311.4)
    assert [(a.number, a.late_hours) for a in figures.late] == [(february["late"].number, 82.0)]

    assert figures.workload == [
        {"assignee_id": february["open"].assignee_id, "name": "Иванова Анна", "overdue": 1, "due_soon": 0},
    ]
    sat = figures.satisfaction
    assert (sat["rated"], sat["average"], sat["high_share"], sat["supply_average"], sat["solved_share"]) == (
        3, 3.67, 66.7, 4.0, 66.7)
    assert [(row["rating"], row["count"]) for row in sat["distribution"]] == [(5, 1), (4, 1), (3, 0), (2, 1), (1, 0)]
    assert [(s.number, s.service_rating, s.comment) for s in figures.low_ratings] == [
        (february["reopened"].number, 2, "Долго"),
    ]

    needs = figures.needs
    assert needs["months"] == [date(2026, 2, 1)]
    trend = {row["topic"]: (row["current"], row["previous"], row["change"]) for row in needs["trend"]}
    assert trend["billing"] == (2, 0, 2)
    assert trend["metering"] == (1, 0, 1)
    assert trend["other"] == (1, 1, 0)
    assert [row["topic"] for row in needs["growing"]] == ["billing", "metering", "power_quality"]
    by_kind = {str(row["label"]): row["values"] for row in needs["by_kind"]}
    assert by_kind["претензия"] == [5]

    assert [d.appeal_id for d in figures.decisions_overdue] == [february["late"].pk]


@pytest.mark.django_db
def test_february_for_one_operator(february, operator):
    figures = service_figures(period=FEBRUARY, operator=operator, now=NOW)
    assert figures.received["received"] == 4
    assert (figures.answered["answered"], figures.answered["on_time"]) == (4, 3)
    assert (figures.answered["median_hours"], figures.answered["p90_hours"]) == (295.0, 705.6)
    assert (figures.first_response["median_hours"], figures.first_response["p90_hours"]) == (254.0, 319.6)
    assert figures.satisfaction["rated"] == 3


@pytest.mark.django_db
def test_an_empty_period_has_dashes_not_errors(db):
    figures = service_figures(period=FEBRUARY, now=NOW)
    assert figures.on_time_share is None
    assert figures.answered["median_hours"] is None
    tables = build_tables(figures)
    assert dict(tables["summary"].export_rows())["Доля ответов в срок, %"] == "—"
    assert tables["late"].rows == []


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_data(february, customer, operator, django_assert_num_queries):
    build_tables(service_figures(period=FEBRUARY, now=NOW))  # the process's copy of the calendar is read here
    # 10 figures and the operators' names (and on PostgreSQL the transaction's settings: no JIT, work_mem)
    with django_assert_num_queries(13 if connection.vendor == "postgresql" else 12) as captured:
        build_tables(service_figures(period=FEBRUARY, now=NOW))
    from appeals import services
    from appeals.tests.factories import submit
    from monitoring.tests.conftest import OPERATOR_PERMISSIONS, msk, staff_with

    for day in range(2, 20):
        appeal = submit(customer, now=msk(2, day), subject=f"Ещё {day}")
        if day % 4 == 0:  # more operators with open work: their names still come in one query
            colleague = staff_with(*(f"appeals.{p}" for p in OPERATOR_PERMISSIONS), email=f"op{day}@example.ru")
            services.appeal_assign(appeal.pk, assignee=colleague, actor=colleague, now=msk(2, day, 11))
    with django_assert_num_queries(len(captured.captured_queries)):
        build_tables(service_figures(period=FEBRUARY, now=NOW))
    with django_assert_num_queries(len(captured.captured_queries)):
        build_tables(service_figures(period=FEBRUARY, operator=operator, now=NOW))
