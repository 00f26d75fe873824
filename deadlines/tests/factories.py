"""Factories for the deadlines tables (the seeded rows already exist in every test database)."""

import factory

from deadlines.arithmetic import Unit
from deadlines.models import CalendarDay, CalendarYear, DeadlineRule


class CalendarYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarYear
        django_get_or_create = ("year",)

    year = 2030
    decree = factory.LazyAttribute(lambda o: f"Постановление Правительства РФ о переносе выходных дней в {o.year} году")


class CalendarDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarDay

    calendar_year = factory.SubFactory(CalendarYearFactory, year=factory.SelfAttribute("..day.year"))
    kind = CalendarDay.Kind.NONWORKING
    note = "Праздник"


class DeadlineRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeadlineRule

    code = factory.Sequence(lambda n: f"test.rule{n}")
    topic = ""
    title = factory.Sequence(lambda n: f"Тестовое правило {n}")
    amount = 30
    unit = Unit.CALENDAR_DAYS
    start_event = DeadlineRule.StartEvent.REGISTRATION
    legal_basis = "Тестовое основание\nТекст нормы."
