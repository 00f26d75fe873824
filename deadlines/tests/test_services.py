from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from deadlines import services, tables
from deadlines.arithmetic import Term, Unit
from deadlines.models import CalendarDay, CalendarYear, DeadlineRule
from deadlines.services import (
    cached_calendar_coverage_warning,
    calendar_coverage_warning,
    calendar_for,
    calendar_year_prefill_from_package,
    deadline_for,
    extension_for,
    rule_for,
    working_days_cutoff,
    working_days_left_each,
)
from deadlines.tests.conftest import MOSCOW, d
from deadlines.tests.factories import CalendarDayFactory, CalendarYearFactory, DeadlineRuleFactory

pytestmark = pytest.mark.django_db


def msk(text):
    return datetime.fromisoformat(text).replace(tzinfo=MOSCOW)


def last_moment(day):
    return datetime.combine(d(day), time.max, tzinfo=MOSCOW)


# --- calendar_for -----------------------------------------------------------


def test_calendar_for_reads_the_calendar_once_per_process(django_assert_num_queries):
    tables.forget()
    with django_assert_num_queries(3):  # the rules, the days, the years: this process's copy (deadlines.tables)
        calendar_for(d("2026-03-01"), d("2026-03-31"))
    with django_assert_num_queries(0):
        calendar = calendar_for(d("2025-12-01"), d("2027-01-31"))
    assert calendar.covered_years == {2025, 2026, 2027}
    assert not calendar.is_working_day(d("2026-01-09"))
    assert not calendar.is_working_day(d("2026-12-31"))
    assert calendar.is_working_day(d("2026-01-12"))
    assert calendar.is_shortened(d("2026-04-30"))


def test_calendar_for_loads_only_the_range_asked_for():
    calendar = calendar_for(d("2026-03-01"), d("2026-03-31"))
    assert not calendar.is_working_day(d("2026-03-09"))
    # 9 January is outside the range: the calendar knows only the week there.
    assert calendar.is_working_day(d("2026-01-09"))
    assert calendar.covered_years == {2026}


def test_calendar_for_accepts_the_range_backwards_and_reports_uncovered_years():
    calendar = calendar_for(d("2029-01-31"), d("2028-12-01"))
    assert calendar.covered_years == set()
    assert calendar.is_working_day(d("2029-01-09"))


def test_calendar_for_sees_a_day_staff_just_added():
    CalendarDayFactory(day=d("2026-07-15"), calendar_year=CalendarYear.objects.get(year=2026))
    assert not calendar_for(d("2026-07-01"), d("2026-07-31")).is_working_day(d("2026-07-15"))


# --- rule_for ---------------------------------------------------------------


def test_rule_for_prefers_the_topic_rule():
    rule = rule_for("appeal.complaint", "billing")
    assert rule.term == Term(3, Unit.WORKING_DAYS)


@pytest.mark.parametrize("topic", ["", "metering", "other"])
def test_rule_for_falls_back_to_the_any_topic_rule(topic):
    assert rule_for("appeal.complaint", topic).term == Term(30, Unit.CALENDAR_DAYS)


def test_rule_for_reads_the_rules_once_per_process(django_assert_num_queries):
    tables.forget()
    with django_assert_num_queries(3):  # the rules, the days, the years (deadlines.tables)
        rule_for("appeal.application", "metering")
    with django_assert_num_queries(0):
        rule_for("appeal.request")


def test_rule_for_skips_inactive_rules():
    DeadlineRule.objects.filter(code="appeal.complaint", topic="billing").update(is_active=False)
    assert rule_for("appeal.complaint", "billing").topic == ""
    DeadlineRule.objects.filter(code="appeal.complaint").update(is_active=False)
    with pytest.raises(DeadlineRule.DoesNotExist):
        rule_for("appeal.complaint", "billing")


def test_rule_for_an_unknown_code_raises():
    with pytest.raises(DeadlineRule.DoesNotExist):
        rule_for("appeal.unknown")


def test_rule_for_picks_the_new_rule_after_staff_replace_one():
    old = rule_for("appeal.claim")
    old.is_active = False
    old.save()
    new = DeadlineRuleFactory(code="appeal.claim", amount=7, start_event=DeadlineRule.StartEvent.RECEIPT)
    assert rule_for("appeal.claim") == new


def test_rule_for_a_code_switched_off_takes_the_fallback_and_logs_an_error(caplog, django_assert_num_queries):
    DeadlineRule.objects.filter(code="appeal.claim").update(is_active=False)
    # This transaction changed the rules: it reads them from the database, not from the process's copy.
    with django_assert_num_queries(3):
        rule = rule_for("appeal.claim", "billing", fallback="appeal.request")
    assert (rule.code, rule.topic) == ("appeal.request", "")
    assert "no active deadline rule for code='appeal.claim'" in caplog.text
    assert caplog.records[-1].levelname == "ERROR"


def test_rule_for_prefers_the_codes_own_rules_to_the_fallback(caplog):
    assert rule_for("appeal.complaint", "billing", fallback="appeal.request").term == Term(3, Unit.WORKING_DAYS)
    assert rule_for("appeal.claim", fallback="appeal.request").code == "appeal.claim"
    assert not caplog.records


def test_rule_for_with_the_fallback_off_too_takes_the_last_general_rule_staff_had():
    DeadlineRule.objects.filter(code__in=["appeal.claim", "appeal.request"]).update(is_active=False)
    with pytest.raises(DeadlineRule.DoesNotExist):
        rule_for("appeal.claim")
    rule = rule_for("appeal.claim", "billing", fallback="appeal.request")
    assert rule.topic == "" and rule.code in ("appeal.claim", "appeal.request") and not rule.is_active


def test_rule_for_an_unknown_code_raises_even_with_a_fallback_unknown():
    with pytest.raises(DeadlineRule.DoesNotExist):
        rule_for("appeal.unknown", fallback="appeal.unknown_too")


# --- rule_change_refusal, rule_gap_warning -----------------------------------


def _edited(rule, **changes):
    for name, value in changes.items():
        setattr(rule, name, value)
    return rule


@pytest.mark.parametrize(
    "changes", [{"is_active": False}, {"topic": "billing"}, {"code": "appeal.other"}], ids=["off", "topic", "code"]
)
def test_the_only_general_rule_of_a_code_may_not_go(changes):
    refusal = services.rule_change_refusal(_edited(rule_for("appeal.claim"), **changes))
    assert refusal is not None and refusal.code == "last_general_rule"
    assert "appeal.claim" in refusal.messages[0]


def test_a_topic_rule_a_new_rule_and_an_ordinary_edit_may_go():
    assert services.rule_change_refusal(_edited(rule_for("appeal.complaint", "billing"), is_active=False)) is None
    assert services.rule_change_refusal(DeadlineRuleFactory.build(code="appeal.claim", is_active=False)) is None
    assert services.rule_change_refusal(_edited(rule_for("appeal.claim"), amount=7, title="Новое")) is None
    switched_off = _edited(rule_for("appeal.claim"), is_active=False)
    switched_off.save()
    assert services.rule_change_refusal(_edited(switched_off, is_active=True)) is None


def test_gap_warning_names_the_codes_without_an_active_general_rule():
    assert services.rule_gap_warning() is None
    DeadlineRule.objects.filter(code="appeal.claim").update(is_active=False)
    DeadlineRule.objects.filter(code="appeal.complaint", topic="billing").update(is_active=False)
    warning = services.rule_gap_warning()
    assert "appeal.claim" in warning and "appeal.complaint" not in warning


@pytest.mark.usefixtures("_clear_cache")
def test_cached_gap_warning_is_cleared_by_a_rule_save():
    assert services.cached_rule_gap_warning() is None
    rule = rule_for("pd.subject_request")
    rule.is_active = False
    rule.save()
    assert "pd.subject_request" in services.cached_rule_gap_warning()


# --- deadline_for -----------------------------------------------------------

RECEIVED = msk("2026-03-05 10:00")  # Thursday
REGISTERED = msk("2026-03-07 10:00")  # Saturday: registered two days later


def test_deadline_for_counts_from_registration_when_the_rule_says_so():
    # 7 March + 30 = 6 April, a Monday.
    assert deadline_for(rule_for("appeal.request"), received_at=RECEIVED, registered_at=REGISTERED) == last_moment(
        "2026-04-06"
    )


def test_deadline_for_counts_from_receipt_when_the_rule_says_so():
    # 5 March + 10 = 15 March, a Sunday → Monday 16 March.
    assert deadline_for(rule_for("appeal.claim"), received_at=RECEIVED, registered_at=REGISTERED) == last_moment(
        "2026-03-16"
    )


def test_deadline_for_working_days_uses_the_stored_calendar():
    rule = rule_for("appeal.complaint", "billing")
    received = msk("2025-12-30 10:00")
    assert deadline_for(rule, received_at=received, registered_at=received) == last_moment("2026-01-14")


def test_deadline_for_hours_needs_no_calendar(django_assert_num_queries):
    rule = rule_for("appeal.complaint", "power_quality")
    with django_assert_num_queries(0):
        due = deadline_for(rule, received_at=msk("2026-01-01 23:30"), registered_at=msk("2026-01-02 09:00"))
    assert due == msk("2026-01-02 01:30")


def test_deadline_for_on_a_utc_server_uses_the_moscow_date():
    rule = rule_for("appeal.claim")
    received = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)  # 00:30 MSK on Tuesday 3 March
    assert deadline_for(rule, received_at=received, registered_at=received) == last_moment("2026-03-13")


def test_deadline_for_asks_no_query_once_the_calendar_is_read(django_assert_num_queries):
    rule = rule_for("contract.application")
    with django_assert_num_queries(0):
        deadline_for(rule, received_at=RECEIVED, registered_at=RECEIVED)


def test_deadline_for_widens_the_calendar_window_when_the_answer_is_beyond_it():
    # A run of 60 days off right after the event pushes the answer past the
    # first window (10 + 31 days); the result must still honour every one.
    year = CalendarYearFactory(year=2030)
    for offset in range(1, 61):
        day = date(2030, 3, 1) + timedelta(days=offset)
        if day.weekday() < 5:
            CalendarDayFactory(calendar_year=year, day=day)
    rule = DeadlineRuleFactory(amount=10, unit=Unit.CALENDAR_DAYS, start_event=DeadlineRule.StartEvent.RECEIPT)
    event = msk("2030-03-01 10:00")
    due = deadline_for(rule, received_at=event, registered_at=event)
    assert due == last_moment("2030-05-01")  # the first weekday after the run (30 April + 1)


# --- extension_for ----------------------------------------------------------


def test_extension_for_extends_from_the_current_due_date():
    rule = rule_for("appeal.request")
    assert extension_for(rule, current_due_at=last_moment("2026-01-26"), amount=30) == last_moment("2026-02-25")
    assert extension_for(rule, current_due_at=last_moment("2026-01-26"), amount=1) == last_moment("2026-01-27")


def test_extension_for_personal_data_adds_working_days():
    rule = rule_for("pd.subject_request")
    assert extension_for(rule, current_due_at=last_moment("2026-12-25"), amount=5) == last_moment("2027-01-12")


def test_extension_over_the_limit_is_refused_in_russian():
    with pytest.raises(ValidationError) as error:
        extension_for(rule_for("appeal.request"), current_due_at=last_moment("2026-01-26"), amount=31)
    assert error.value.code == "extension_over_limit"
    assert error.value.messages == ["Срок можно продлить не более чем на 30 кал. дн. (59-ФЗ, ст. 12 ч. 1 и 2)."]


def test_extension_where_the_law_allows_none_is_refused_in_russian():
    with pytest.raises(ValidationError) as error:
        extension_for(rule_for("appeal.claim"), current_due_at=last_moment("2026-01-26"), amount=3)
    assert error.value.code == "extension_not_allowed"
    assert "не предусматривает продления" in error.value.messages[0]
    assert "2300-1" in error.value.messages[0]


@pytest.mark.parametrize("amount", [0, -5, 2.5, True, "10"])
def test_extension_amount_must_be_a_positive_whole_number(amount):
    with pytest.raises(ValidationError) as error:
        extension_for(rule_for("appeal.request"), current_due_at=last_moment("2026-01-26"), amount=amount)
    assert error.value.code == "extension_amount_invalid"


# --- working_days_left_each, working_days_cutoff -----------------------------


def test_working_days_left_each_costs_no_query_once_the_calendar_is_read(django_assert_num_queries):
    dues = [last_moment(day) for day in ("2026-01-12", "2026-01-13", "2025-12-30", "2026-01-14")]
    calendar_for(d("2026-01-01"), d("2026-01-01"))
    with django_assert_num_queries(0):
        left = working_days_left_each(dues, now=datetime(2026, 1, 11, 21, 30, tzinfo=UTC))
    # 21:30 UTC on 11 January is 00:30 on Monday 12 January in Moscow.
    assert left == [0, 1, -1, 2]


def test_working_days_left_each_of_nothing_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert working_days_left_each([], now=msk("2026-01-12 10:00")) == []


def test_working_days_cutoff_skips_the_new_year_holidays():
    # Tuesday 30 December 2025: 31 December is a day off in 2026's decree, 1-11 January are holidays.
    assert working_days_cutoff(now=msk("2025-12-30 10:00"), days=3) == last_moment("2026-01-14")
    assert working_days_cutoff(now=msk("2026-03-10 23:00"), days=1) == last_moment("2026-03-11")


# --- coverage warning -------------------------------------------------------


def test_no_warning_before_december_when_the_year_is_covered():
    assert calendar_coverage_warning(d("2026-11-27")) is None


def test_no_warning_in_december_when_next_year_is_covered():
    assert calendar_coverage_warning(d("2026-12-01")) is None


def test_warning_from_1_december_when_next_year_is_missing():
    assert calendar_coverage_warning(d("2027-11-30")) is None
    warning = calendar_coverage_warning(d("2027-12-01"))
    assert "2028" in warning
    assert "не внесён" in warning
    CalendarYearFactory(year=2028)
    assert calendar_coverage_warning(d("2027-12-01")) is None


def test_warning_when_the_current_year_itself_is_missing():
    warning = calendar_coverage_warning(d("2029-06-01"))
    assert "2029" in warning
    assert "текущий" in warning


@pytest.mark.usefixtures("_clear_cache")
def test_cached_warning_is_cleared_when_a_year_is_added_or_removed(django_assert_num_queries):
    # The cached helper asks for today's date; make today's year missing, whatever the date.
    current = services.timezone.localdate().year
    CalendarYear.objects.filter(year=current).delete()
    assert cached_calendar_coverage_warning()
    with django_assert_num_queries(0):
        assert cached_calendar_coverage_warning()
    CalendarYearFactory(year=current)
    CalendarYearFactory(year=current + 1)
    assert cached_calendar_coverage_warning() is None


# --- the system check -------------------------------------------------------


def test_system_check_warns_only_when_databases_are_checked():
    CalendarYear.objects.all().delete()
    messages = run_checks(databases=["default"])
    assert [m.id for m in messages if m.id == "deadlines.W001"] == ["deadlines.W001"]
    assert not [m for m in run_checks() if m.id == "deadlines.W001"]


# --- prefill from the holidays package --------------------------------------


def test_prefill_adds_the_package_days_to_an_empty_year():
    year = CalendarYearFactory(year=2028)
    created = calendar_year_prefill_from_package(year)
    assert created == year.days.count() > 0
    assert year.days.filter(day=d("2028-01-03"), kind=CalendarDay.Kind.NONWORKING).exists()
    for day in year.days.all():
        day.full_clean()


def test_prefill_never_touches_a_year_with_days():
    year = CalendarYear.objects.get(year=2026)
    before = year.days.count()
    assert calendar_year_prefill_from_package(year) == 0
    assert year.days.count() == before


# --- model validation -------------------------------------------------------


def test_rule_validation_messages():
    rule = DeadlineRuleFactory.build(amount=0, extension_allowed=False, extension_amount=5)
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert error.value.message_dict["amount"][0].startswith("Срок должен быть больше нуля")
    assert "Продление не допускается" in error.value.message_dict["extension_amount"][0]

    rule = DeadlineRuleFactory.build(extension_allowed=True, extension_amount=0)
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert error.value.message_dict["extension_amount"] == ["Укажите, на сколько можно продлить срок."]


def test_only_one_active_rule_per_code_and_topic():
    duplicate = DeadlineRuleFactory.build(code="appeal.complaint", topic="billing")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "уже есть действующее правило" in str(error.value)
    duplicate.is_active = False
    duplicate.full_clean()
    duplicate.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineRuleFactory(code="appeal.complaint", topic="billing")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": 0}, "amount_positive"),
        ({"extension_allowed": False, "extension_amount": 3}, "extension_consistent"),
        ({"extension_allowed": True, "extension_amount": 0}, "extension_consistent"),
    ],
)
def test_the_database_refuses_inconsistent_rules(fields, message):
    with pytest.raises(IntegrityError, match=message), transaction.atomic():
        DeadlineRuleFactory(**fields)


@pytest.mark.parametrize(
    ("day", "kind", "field", "message"),
    [
        ("2026-03-14", CalendarDay.Kind.NONWORKING, "kind", "Суббота и воскресенье и так выходные"),
        ("2026-03-10", CalendarDay.Kind.WORKING, "kind", "только суббота или воскресенье"),
        ("2027-03-10", CalendarDay.Kind.SHORTENED, "day", "Дата должна относиться к 2026 году."),
    ],
)
def test_calendar_day_validation(day, kind, field, message):
    calendar_day = CalendarDay(calendar_year=CalendarYear.objects.get(year=2026), day=d(day), kind=kind)
    with pytest.raises(ValidationError) as error:
        calendar_day.full_clean()
    assert message in error.value.message_dict[field][0]


def test_the_rule_reads_as_its_title_and_term():
    assert str(rule_for("pd.subject_request")) == "Ответ на запрос субъекта персональных данных (10 раб. дн.)"
    assert rule_for("pd.subject_request").extension_term == Term(5, Unit.WORKING_DAYS)
    assert rule_for("appeal.claim").extension_term is None
