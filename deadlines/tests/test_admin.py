"""Admin smoke tests: the pages load for staff and refuse bad input in Russian."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.tests.factories import StaffFactory, UserFactory
from deadlines.models import CalendarDay, CalendarYear, DeadlineRule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_clear_cache")]


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:deadlines_calendaryear_changelist",
        "admin:deadlines_calendaryear_add",
        "admin:deadlines_calendarday_changelist",
        "admin:deadlines_calendarday_add",
        "admin:deadlines_deadlinerule_changelist",
        "admin:deadlines_deadlinerule_add",
    ],
)
def test_pages_load_for_staff(admin_client, url_name):
    assert admin_client.get(reverse(url_name)).status_code == 200


def test_change_pages_load_for_staff(admin_client):
    year = CalendarYear.objects.get(year=2026)
    response = admin_client.get(reverse("admin:deadlines_calendaryear_change", args=[year.pk]))
    assert response.status_code == 200
    assert "Перенесённый выходной: с субботы 3 января" in response.content.decode()
    assert 'name="year"' not in response.content.decode()  # the year of a page with days is fixed
    rule = DeadlineRule.objects.get(code="appeal.claim")
    assert admin_client.get(reverse("admin:deadlines_deadlinerule_change", args=[rule.pk])).status_code == 200
    day = CalendarDay.objects.get(day="2026-01-09")
    assert admin_client.get(reverse("admin:deadlines_calendarday_change", args=[day.pk])).status_code == 200


def test_customers_are_sent_to_the_login_page(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:deadlines_deadlinerule_changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_year_list_shows_the_working_day_totals_in_constant_queries(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        response = admin_client.get(reverse("admin:deadlines_calendaryear_changelist"))
    content = response.content.decode()
    assert "<td class=\"field-working_days\">247</td>" in content
    assert "<td class=\"field-working_days\">248</td>" in content


def test_day_list_filters_by_kind(admin_client):
    response = admin_client.get(reverse("admin:deadlines_calendarday_changelist"), {"kind__exact": "working"})
    assert response.status_code == 200
    assert list(response.context["cl"].queryset.values_list("day", flat=True)) == list(
        CalendarDay.objects.filter(kind="working").values_list("day", flat=True)
    )


def test_adding_a_year_with_its_days_inline(admin_client):
    data = {
        "year": "2028",
        "decree": "Постановление Правительства РФ о переносе выходных дней в 2028 году",
        "note": "",
        "days-TOTAL_FORMS": "2",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-day": "03.01.2028",
        "days-0-kind": "nonworking",
        "days-0-note": "Новогодние каникулы",
        "days-1-day": "14.03.2028",  # a Tuesday cannot be a working weekend day
        "days-1-kind": "working",
        "days-1-note": "",
    }
    response = admin_client.post(reverse("admin:deadlines_calendaryear_add"), data)
    assert response.status_code == 200
    assert "Рабочим выходным днём может быть только суббота или воскресенье." in response.content.decode()
    assert not CalendarYear.objects.filter(year=2028).exists()

    data["days-1-day"] = "15.01.2028"  # a Saturday
    response = admin_client.post(reverse("admin:deadlines_calendaryear_add"), data)
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2028)
    assert sorted(year.days.values_list("kind", flat=True)) == ["nonworking", "working"]


def test_a_day_of_another_year_is_refused_inline(admin_client):
    data = {
        "year": "2028",
        "decree": "Постановление",
        "days-TOTAL_FORMS": "1",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-day": "03.01.2029",
        "days-0-kind": "nonworking",
    }
    response = admin_client.post(reverse("admin:deadlines_calendaryear_add"), data)
    assert response.status_code == 200
    assert "Дата должна относиться к 2028 году." in response.content.decode()
    assert not CalendarYear.objects.filter(year=2028).exists()


def test_adding_a_year_prefilled_from_the_holidays_package(admin_client):
    data = {
        "year": "2028",
        "decree": "Постановление",
        "prefill": "on",
        "days-TOTAL_FORMS": "0",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:deadlines_calendaryear_add"), data, follow=True)
    assert response.status_code == 200
    year = CalendarYear.objects.get(year=2028)
    assert year.days.filter(day="2028-01-03").exists()
    assert "Из пакета holidays внесено дней" in response.content.decode()


def test_prefill_is_skipped_when_days_are_entered_by_hand(admin_client):
    data = {
        "year": "2028",
        "decree": "Постановление",
        "prefill": "on",
        "days-TOTAL_FORMS": "1",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-day": "03.01.2028",
        "days-0-kind": "nonworking",
    }
    response = admin_client.post(reverse("admin:deadlines_calendaryear_add"), data, follow=True)
    assert list(CalendarYear.objects.get(year=2028).days.values_list("day", flat=True)) == [date(2028, 1, 3)]
    assert "пакет holidays не использовался" in response.content.decode()


def test_a_single_day_needs_its_year_entered_first(admin_client):
    url = reverse("admin:deadlines_calendarday_add")
    response = admin_client.post(url, {"day": "10.01.2030", "kind": "nonworking", "note": ""})
    assert response.status_code == 200
    assert "Сначала внесите 2030 год" in response.content.decode()
    assert not CalendarDay.objects.filter(day="2030-01-10").exists()

    response = admin_client.post(url, {"day": "15.07.2026", "kind": "nonworking", "note": "Региональный праздник"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(day="2026-07-15").calendar_year.year == 2026


def test_an_invalid_rule_is_refused_with_messages_and_not_saved(admin_client):
    before = DeadlineRule.objects.count()
    response = admin_client.post(
        reverse("admin:deadlines_deadlinerule_add"),
        {
            "title": "Новое правило",
            "code": "appeal.request",
            "topic": "",
            "is_active": "on",
            "amount": "0",
            "unit": "calendar_days",
            "start_event": "registration",
            "extension_amount": "10",
            "legal_basis": "Основание",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Срок должен быть больше нуля." in content
    assert "Продление не допускается" in content
    assert DeadlineRule.objects.count() == before


def test_rules_cannot_be_deleted_only_switched_off(admin_client):
    rule = DeadlineRule.objects.get(code="appeal.claim")
    response = admin_client.get(reverse("admin:deadlines_deadlinerule_delete", args=[rule.pk]))
    assert response.status_code == 403


def test_admin_index_warns_when_next_years_calendar_is_missing(admin_client):
    from django.utils import timezone

    today = timezone.localdate()
    CalendarYear.objects.filter(year=today.year).delete()
    response = admin_client.get(reverse("admin:index"))
    content = response.content.decode()
    assert 'id="calendar-coverage-warning"' in content
    assert reverse("admin:deadlines_calendaryear_add") in content


def test_admin_index_is_quiet_when_the_calendar_is_complete(admin_client):
    from django.utils import timezone

    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        CalendarYear.objects.get_or_create(year=year, defaults={"decree": "Постановление"})
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert 'id="calendar-coverage-warning"' not in response.content.decode()


def _rule_form(rule, **changes):
    data = {
        "title": rule.title, "code": rule.code, "topic": rule.topic, "amount": rule.amount, "unit": rule.unit,
        "start_event": rule.start_event, "legal_basis": rule.legal_basis, "extension_amount": rule.extension_amount,
    }  # fmt: skip
    if rule.is_active:
        data["is_active"] = "on"
    if rule.extension_allowed:
        data["extension_allowed"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_switching_off_the_last_general_rule_is_refused_in_russian(admin_client):
    rule = DeadlineRule.objects.get(code="appeal.claim")
    url = reverse("admin:deadlines_deadlinerule_change", args=[rule.pk])
    response = admin_client.post(url, _rule_form(rule, is_active=None))
    assert response.status_code == 200
    assert "единственное действующее общее правило для кода appeal.claim" in response.content.decode()
    rule.refresh_from_db()
    assert rule.is_active
    assert admin_client.post(url, _rule_form(rule, amount=7)).status_code == 302
    rule.refresh_from_db()
    assert rule.amount == 7


def test_switching_off_a_topic_rule_is_allowed(admin_client):
    rule = DeadlineRule.objects.get(code="appeal.complaint", topic="billing")
    url = reverse("admin:deadlines_deadlinerule_change", args=[rule.pk])
    assert admin_client.post(url, _rule_form(rule, is_active=None)).status_code == 302
    rule.refresh_from_db()
    assert not rule.is_active


def test_the_admin_index_warns_of_a_code_without_its_rule(admin_client):
    assert "deadline-rule-gap-warning" not in admin_client.get(reverse("admin:index")).content.decode()
    DeadlineRule.objects.filter(code="appeal.claim").update(is_active=False)  # past the admin, e.g. by SQL
    from deadlines.services import forget_rule_gap_warning

    forget_rule_gap_warning()
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert 'id="deadline-rule-gap-warning"' in html and "appeal.claim" in html
