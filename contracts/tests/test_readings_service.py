"""Every rule of submitting a reading (design §2.4), with a fixed clock in the company's time zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from contracts.models import Reading
from contracts.services.readings import parse_kwh, reading_window, submit_reading
from contracts.tests.factories import ReadingFactory, meter_of

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")
IN_WINDOW = datetime(2026, 12, 20, 12, 0, tzinfo=MSK)
CABINET = Reading.Source.CABINET


@pytest.fixture
def resident():
    return UserFactory()


@pytest.fixture
def meter(resident):
    m = meter_of(resident)
    ReadingFactory(meter=m, period=date(2026, 11, 1), t1=1000, t2=500)
    return m


def codes(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {k: [e.code for e in v] for k, v in error.error_dict.items()}
    return {None: [e.code for e in error.error_list]}


def refused(user, meter, values, **kwargs):
    kwargs.setdefault("source", CABINET)
    kwargs.setdefault("now", IN_WINDOW)
    with pytest.raises(ValidationError) as info:
        submit_reading(user, meter, values, **kwargs)
    return info.value


# --- the window ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (datetime(2026, 12, 14, 23, 59, 59, tzinfo=MSK), False),
        (datetime(2026, 12, 15, 0, 0, tzinfo=MSK), True),
        # 21:00 UTC on the 14th is already the 15th in Moscow.
        (datetime(2026, 12, 14, 21, 0, tzinfo=ZoneInfo("UTC")), True),
        (datetime(2026, 12, 26, 23, 59, 59, tzinfo=MSK), True),
        (datetime(2026, 12, 27, 0, 0, tzinfo=MSK), False),
        (datetime(2026, 12, 26, 21, 0, tzinfo=ZoneInfo("UTC")), False),
    ],
)
def test_window_edges(resident, meter, moment, is_open):
    if is_open:
        result = submit_reading(resident, meter, ["1100", "550"], source=CABINET, now=moment)
        assert result.reading.period == date(2026, 12, 1)
    else:
        error = refused(resident, meter, ["1100", "550"], now=moment)
        assert codes(error) == {None: ["window_closed"]}
        assert not Reading.objects.filter(meter=meter, period=date(2026, 12, 1)).exists()


def test_window_refusal_names_the_dates(resident, meter):
    before = refused(resident, meter, ["1100", "550"], now=datetime(2026, 12, 3, 10, tzinfo=MSK))
    assert "с 15 по 26 число" in before.messages[0]
    assert "с 15.12.2026 по 26.12.2026" in before.messages[0]
    after = refused(resident, meter, ["1100", "550"], now=datetime(2026, 12, 28, 10, tzinfo=MSK))
    assert "с 15.01.2027 по 26.01.2027" in after.messages[0]


def test_window_setting_and_short_month(settings):
    settings.READINGS_WINDOW_FIRST_DAY, settings.READINGS_WINDOW_LAST_DAY = 20, 31
    window = reading_window(datetime(2027, 2, 28, 23, 0, tzinfo=MSK))
    assert (window.opens_on, window.closes_on, window.is_open) == (date(2027, 2, 20), date(2027, 2, 28), True)


def test_staff_enter_outside_the_window(meter):
    staff = UserFactory(is_staff=True)
    result = submit_reading(
        staff, meter, ["1100", "550"], source=Reading.Source.STAFF, now=datetime(2026, 12, 3, tzinfo=MSK)
    )
    assert result.reading.source == Reading.Source.STAFF
    assert result.reading.submitted_by == staff


# --- values ----------------------------------------------------------------------------------


def test_accepts_whole_kwh_and_group_spaces(resident, meter):
    result = submit_reading(resident, meter, ["1 100", " 550 "], source=CABINET, now=IN_WINDOW)
    reading = Reading.objects.get(pk=result.reading.pk)
    assert (reading.t1, reading.t2, reading.t3, reading.source) == (1100, 550, None, CABINET)
    assert reading.submitted_by == resident
    assert result.corrected is False


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1100.5", "not_whole"),
        ("1100,5", "not_whole"),
        ("-5", "negative"),
        ("−1200", "negative"),
        ("١٢٣٤", "invalid"),  # Arabic-Indic digits
        ("１２００", "invalid"),  # fullwidth digits
        ("12e3", "invalid"),
        ("", "required"),
        ("1000000000", "too_large"),
        ("99999999999999999999999999", "too_large"),
    ],
)
def test_bad_values_are_refused_beside_the_zone(resident, meter, raw, code):
    error = refused(resident, meter, [raw, "600"])
    assert codes(error) == {"t1": [code]}
    assert Reading.objects.filter(meter=meter).count() == 1


def test_trailing_zero_decimals_are_whole():
    assert parse_kwh("1200,0", zone="T1") == 1200
    assert parse_kwh(1200, zone="T1") == 1200
    with pytest.raises(ValidationError):
        parse_kwh(True, zone="T1")
    with pytest.raises(ValidationError):
        parse_kwh(-1, zone="T1")


def test_every_bad_zone_is_named_at_once(resident, meter):
    error = refused(resident, meter, ["abc", "1.5"])
    assert codes(error) == {"t1": ["invalid"], "t2": ["not_whole"]}


@pytest.mark.parametrize("values", [["1100"], ["1100", "550", "10"]])
def test_one_value_per_zone(resident, meter, values):
    error = refused(resident, meter, values)
    assert set(codes(error)) <= {None, "t2"}
    assert any(code in ("zones", "required") for c in codes(error).values() for code in c)


def test_three_values_for_a_two_zone_meter_say_how_many(resident, meter):
    error = refused(resident, meter, ["1100", "550", "10"])
    assert codes(error) == {None: ["zones"]}
    assert "2 зоны" in error.messages[0]


def test_lower_than_previous_names_the_value_and_month(resident, meter):
    error = refused(resident, meter, ["1100", "499"])
    assert codes(error) == {"t2": ["lower_than_previous"]}
    assert "500 кВт·ч за 11.2026" in error.message_dict["t2"][0]


def test_equal_to_previous_is_accepted(resident, meter):
    submit_reading(resident, meter, ["1000", "500"], source=CABINET, now=IN_WINDOW)


# --- the meter -------------------------------------------------------------------------------


def test_remote_meter_refused(resident):
    meter = meter_of(resident, remote=True)
    error = refused(resident, meter, ["1", "1"])
    assert codes(error) == {None: ["remote"]}


def test_removed_meter_refused(resident):
    meter = meter_of(resident, removed_on=date(2026, 10, 1))
    error = refused(resident, meter, ["1", "1"])
    assert codes(error) == {None: ["removed"]}
    assert "01.10.2026" in error.messages[0]


# --- who ------------------------------------------------------------------------------------


def test_a_stranger_is_refused_without_a_word(meter):
    with pytest.raises(PermissionDenied):
        submit_reading(UserFactory(), meter, ["1100", "550"], source=CABINET, now=IN_WINDOW)


def test_organisation_member_needs_the_administrators_permission():
    organisation = OrganisationFactory()
    meter = meter_of(organisation=organisation)
    member = MembershipFactory(organisation=organisation).user
    error = refused(member, meter, ["10", "5"])
    assert codes(error) == {None: ["not_allowed"]}

    Membership.objects.filter(user=member).update(may_submit_readings=True)
    assert submit_reading(member, meter, ["10", "5"], source=CABINET, now=IN_WINDOW).reading.t1 == 10


def test_organisation_administrator_may_submit():
    organisation = OrganisationFactory()
    meter = meter_of(organisation=organisation)
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    assert submit_reading(admin, meter, ["10", "5"], source=Reading.Source.UPLOAD, now=IN_WINDOW).reading.t2 == 5


def test_another_organisations_member_is_refused_without_a_word():
    meter = meter_of(organisation=OrganisationFactory())
    outsider = MembershipFactory(role=Membership.Role.ADMIN).user
    with pytest.raises(PermissionDenied):
        submit_reading(outsider, meter, ["10", "5"], source=CABINET, now=IN_WINDOW)


# --- one per month: a correction ----------------------------------------------------------------


def test_second_submission_in_the_window_corrects_the_month(resident, meter):
    first = submit_reading(resident, meter, ["1100", "550"], source=CABINET, now=IN_WINDOW)
    second = submit_reading(resident, meter, ["1090", "540"], source=CABINET, now=IN_WINDOW)
    assert second.corrected is True
    assert second.reading.pk == first.reading.pk
    assert Reading.objects.filter(meter=meter).count() == 2
    assert (Reading.objects.get(pk=first.reading.pk).t1, Reading.objects.get(pk=first.reading.pk).t2) == (1090, 540)
    # The correction is still held to the previous month.
    error = refused(resident, meter, ["999", "540"])
    assert codes(error) == {"t1": ["lower_than_previous"]}


def test_a_month_taken_by_staff_is_not_corrected_from_the_cabinet(resident, meter):
    ReadingFactory(meter=meter, period=date(2026, 12, 1), t1=1100, t2=550, source=Reading.Source.STAFF)
    error = refused(resident, meter, ["1200", "600"])
    assert codes(error) == {None: ["already_accepted"]}


def test_staff_past_month_must_fit_under_the_next_month(meter):
    staff = UserFactory(is_staff=True)
    error = refused(staff, meter, ["1200", "400"], source=Reading.Source.STAFF, period=date(2026, 10, 1))
    assert codes(error) == {"t1": ["higher_than_next"]}
    result = submit_reading(staff, meter, ["900", "400"], source=Reading.Source.STAFF, period=date(2026, 10, 1))
    assert result.reading.period == date(2026, 10, 1)


# --- unusually high: confirmed with a comment, then reviewed by staff ----------------------------


@pytest.fixture
def history(resident, meter):
    ReadingFactory(meter=meter, period=date(2026, 10, 1), t1=800, t2=400)  # then 300 kWh in November
    return meter


def test_unusually_high_needs_a_comment(resident, history):
    error = refused(resident, history, ["2000", "600"])  # 1100 kWh: more than 3 × 300
    assert codes(error) == {"comment": ["unusually_high"]}
    assert "1100 кВт·ч за 1 мес." in error.message_dict["comment"][0]
    assert "около 300 кВт·ч в месяц" in error.message_dict["comment"][0]


def test_unusually_high_confirmed_is_marked_for_review(resident, history):
    result = submit_reading(
        resident, history, ["2000", "600"], source=CABINET, now=IN_WINDOW, comment="  Купили обогреватель  "
    )
    reading = Reading.objects.get(pk=result.reading.pk)
    assert (reading.needs_review, reading.comment) == (True, "Купили обогреватель")


def test_usual_consumption_needs_no_comment(resident, history):
    result = submit_reading(resident, history, ["1600", "800"], source=CABINET, now=IN_WINDOW)  # 900 kWh
    assert result.reading.needs_review is False and result.reading.comment == ""


def test_unusual_rule_settings_and_no_history(resident, meter, settings):
    # One reading before: nothing to compare with.
    assert submit_reading(resident, meter, ["90000", "500"], source=CABINET, now=IN_WINDOW).reading.t1 == 90000
    settings.READINGS_UNUSUAL_MIN_KWH = 100000
    ReadingFactory(meter=meter, period=date(2026, 10, 1), t1=999, t2=500)
    submit_reading(resident, meter, ["90000", "500"], source=CABINET, now=IN_WINDOW)


def test_staff_are_not_asked_to_explain(history):
    staff = UserFactory(is_staff=True)
    result = submit_reading(staff, history, ["5000", "600"], source=Reading.Source.STAFF, now=IN_WINDOW)
    assert result.reading.needs_review is False
