"""The daily rollups give the same counting figures as the raw rows, and recounting a day changes nothing."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from core.periods import Period
from monitoring import rollups
from monitoring.models import DailyAppealCounts, RolledDay
from monitoring.selectors import service_figures
from monitoring.tasks import refresh_recent_rollups, refresh_rollup_window
from monitoring.tests.conftest import NOW, TODAY, msk

FEBRUARY = Period(date(2026, 2, 1), date(2026, 3, 1))
QUARTER = Period(date(2026, 1, 1), date(2026, 4, 1))  # today (2 March) is inside: rollups up to 1 March, raw after


def _counting(figures):
    return figures.received, figures.needs


def _everything(figures):
    return (figures.received, figures.needs, figures.answered, figures.first_response,
            [a.pk for a in figures.late], figures.workload, figures.satisfaction)


@pytest.mark.django_db
@pytest.mark.parametrize("period", [FEBRUARY, QUARTER], ids=["february", "quarter"])
def test_rolled_up_figures_equal_the_raw_ones(february, operator, operator2, period):
    raw = {who: service_figures(period=period, operator=who, now=NOW) for who in (None, operator, operator2)}
    assert all(figures.rolled_at is None for figures in raw.values())
    rollups.refresh_days(date(2025, 10, 1), TODAY, now=NOW)
    for who, expected in raw.items():
        rolled = service_figures(period=period, operator=who, now=NOW)
        assert rolled.rolled_at == NOW
        assert _everything(rolled) == _everything(expected)
    # The hand-computed figures of test_figures, from the rollups: five received in February, one reopened.
    february_figures = service_figures(period=FEBRUARY, now=NOW)
    assert february_figures.received == {"received": 5, "open_now": 1, "reopened": 1}


@pytest.mark.django_db
def test_days_not_rolled_up_yet_come_from_the_raw_rows(february):
    expected = _counting(service_figures(period=QUARTER, now=NOW))
    rollups.refresh_days(date(2026, 2, 10), date(2026, 2, 16), now=NOW)  # a hole on either side
    assert _counting(service_figures(period=QUARTER, now=NOW)) == expected


@pytest.mark.django_db
def test_a_refresh_is_idempotent(february, settings):
    rollups.refresh_days(date(2026, 1, 1), date(2026, 2, 28), now=NOW)
    first = sorted(DailyAppealCounts.objects.values_list("day", "topic", "kind", "assignee", "received", "reopened"))
    assert sum(row[4] for row in first) == 6
    rollups.refresh_days(date(2026, 1, 1), date(2026, 2, 28), now=NOW + timedelta(hours=1))
    again = sorted(DailyAppealCounts.objects.values_list("day", "topic", "kind", "assignee", "received", "reopened"))
    assert again == first
    assert RolledDay.objects.count() == 59
    assert set(RolledDay.objects.values_list("refreshed_at", flat=True)) == {NOW + timedelta(hours=1)}


@pytest.mark.django_db
def test_the_beat_tasks_and_the_command(february, settings, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: msk(2, 17, 12))
    refresh_recent_rollups()
    refresh_recent_rollups()
    assert sorted(RolledDay.objects.values_list("day", flat=True)) == [date(2026, 2, 16), date(2026, 2, 17)]
    assert DailyAppealCounts.objects.filter(day=date(2026, 2, 17)).get().received == 1
    settings.MONITORING_ROLLUP_WINDOW_DAYS = 10
    refresh_rollup_window()
    assert RolledDay.objects.count() == 10
    call_command("rollup_figures", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert RolledDay.objects.order_by("day").first().day == date(2026, 1, 5)
    assert RolledDay.objects.count() == (date(2026, 2, 17) - date(2026, 1, 5)).days + 1
    assert sum(DailyAppealCounts.objects.values_list("received", flat=True)) == 6
