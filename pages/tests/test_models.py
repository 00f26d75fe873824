import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pages.models import News, OfficeException, OfficeHours, Page, TariffPeriod
from pages.tests.factories import OfficeFactory, PageFactory

pytestmark = pytest.mark.django_db
T = datetime.time


def errors_of(instance):
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return raised.value.message_dict


@pytest.mark.parametrize(
    ("times", "field", "message"),
    [
        ({"opens": T(18), "closes": T(9)}, "closes", "Закрытие должно быть позже открытия."),
        ({"opens": None, "closes": None}, "closes", "Укажите время открытия и закрытия."),
        ({"opens": T(9), "closes": T(18), "break_starts": T(13)}, "break_ends", "и начало, и конец перерыва"),
        ({"opens": T(9), "closes": T(18), "break_starts": T(8), "break_ends": T(9)}, "break_starts", "внутри"),
    ],
)
def test_regular_hours_are_consistent(times, field, message):
    office = OfficeFactory(weekdays=[])
    assert message in " ".join(errors_of(OfficeHours(office=office, weekday=0, **times))[field])


def test_a_dated_change_needs_times_only_when_the_office_is_open():
    office = OfficeFactory(weekdays=[])
    OfficeException(office=office, date=datetime.date(2027, 1, 1), is_closed=True).full_clean()
    open_day = OfficeException(office=office, date=datetime.date(2027, 1, 9), is_closed=False)
    assert "closes" in errors_of(open_day)


def test_planned_outage_needs_addresses_and_a_time_window():
    news = News(kind=News.Kind.OUTAGE, title="Работы", slug="raboty", lead="Анонс")
    assert set(errors_of(news)) >= {"outage_starts_at", "outage_ends_at", "outage_addresses"}
    now = timezone.now()
    news.outage_addresses, news.outage_starts_at, news.outage_ends_at = "ул. Лесная", now, now
    assert errors_of(news)["outage_ends_at"] == ["Окончание должно быть позже начала."]


def test_news_image_needs_a_description():
    news = News(title="С картинкой", slug="s-kartinkoy", lead="Анонс", image="pages/news/x.png")
    assert "image_alt" in errors_of(news)


def test_tariff_period_cannot_end_before_it_starts():
    period = TariffPeriod(title="Тарифы", valid_from=datetime.date(2026, 7, 1), valid_to=datetime.date(2026, 6, 30),
                          basis="Приказ")  # fmt: skip
    assert "valid_to" in errors_of(period)


def test_page_cannot_be_nested_in_itself_or_too_deep():
    root = PageFactory(slug="koren")
    child = PageFactory(parent=root, slug="rebenok")
    root.parent = child
    assert "parent" in errors_of(root)
    parent = PageFactory(slug="glubina-0")
    for depth in range(1, Page.MAX_DEPTH):
        parent = PageFactory(parent=parent, slug=f"glubina-{depth}")
    too_deep = Page(parent=parent, slug="slishkom", title="Слишком глубоко")
    assert "parent" in errors_of(too_deep)


def test_slugs_are_unique_among_siblings_and_at_the_root():
    PageFactory(slug="odinakovyy")
    assert "__all__" in errors_of(Page(slug="odinakovyy", title="Копия"))
