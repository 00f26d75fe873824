"""Why a due date is where it is: the facts (pure arithmetic) and the sentences people read."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from deadlines.arithmetic import Term, Unit, due_at, explain_due
from deadlines.calendar import WorkingCalendar
from deadlines.display import explanation_lines

MSK = ZoneInfo("Europe/Moscow")
# New Year holidays of 2027 as the production calendar has them: 1–10 January off.
NEW_YEAR = WorkingCalendar(nonworking=[date(2027, 1, d) for d in range(1, 11)] + [date(2026, 12, 31)])


def test_a_30_day_term_ending_on_new_year_moves_and_says_why():
    event = datetime(2026, 12, 2, 10, tzinfo=MSK)
    term = Term(30, Unit.CALENDAR_DAYS)
    facts = explain_due(term, event, NEW_YEAR, MSK)
    assert facts.last_day == due_at(term, event, NEW_YEAR, MSK).date() == date(2027, 1, 11)
    assert (facts.first_day, facts.nominal_last_day, facts.moved) == (date(2026, 12, 3), date(2027, 1, 1), True)
    text = " ".join(explanation_lines(facts, counted_from="со дня регистрации"))
    assert "30 календарных дней" in text and "выходные и праздники внутри срока считаются" in text
    assert "ГК РФ ст. 191" in text and "с 03.12.2026" in text
    assert "01.01.2027 (пятница) — нерабочий" in text and "11.01.2027 (понедельник)" in text
    assert "ГК РФ ст. 193" in text
    assert "до срока 40 дней, а не 30" in text


def test_a_term_ending_on_a_working_day_does_not_move():
    facts = explain_due(Term(10, Unit.CALENDAR_DAYS), datetime(2026, 11, 2, 9, tzinfo=MSK), WorkingCalendar(), MSK)
    assert not facts.moved and facts.last_day == date(2026, 11, 12)
    text = " ".join(explanation_lines(facts, counted_from="с момента поступления"))
    assert "переносится" not in text and "12.11.2026" in text


def test_working_days_skip_days_off_and_count_them():
    facts = explain_due(Term(3, Unit.WORKING_DAYS), datetime(2026, 12, 30, 9, tzinfo=MSK), NEW_YEAR, MSK)
    assert facts.last_day == date(2027, 1, 13)
    text = " ".join(explanation_lines(facts, counted_from="с момента поступления"))
    assert "3 рабочих дней" in text or "3 рабочих дня" in text
    assert "не считаются" in text


def test_hours_run_round_the_clock():
    facts = explain_due(Term(2, Unit.HOURS), datetime(2026, 12, 31, 23, tzinfo=MSK), NEW_YEAR, MSK)
    text = " ".join(explanation_lines(facts, counted_from="с момента поступления"))
    assert "часы идут подряд" in text
