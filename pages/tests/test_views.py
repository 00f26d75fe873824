import datetime
import re

import pytest
from django.utils import timezone

from pages.models import News, OfficeException, Page
from pages.tests.factories import (
    PNG_BYTES,
    DocumentFactory,
    FaqEntryFactory,
    NewsFactory,
    OfficeFactory,
    PageFactory,
    TariffPeriodFactory,
    TariffRateFactory,
)

pytestmark = pytest.mark.django_db


def test_home_shows_tasks_news_and_contacts(client, settings):
    settings.PORTAL_SUPPORT_PHONE = "+7 800 111-22-33"
    NewsFactory(title="Свежая новость")
    html = client.get("/").content.decode()
    for link in ["/info/pokazaniya/", "/info/obrashcheniya/", "/info/dogovor/", "/accounts/login/"]:
        assert f'href="{link}"' in html
    assert "Свежая новость" in html
    assert "+7 800 111-22-33" in html
    assert html.count("<h1") == 1


def test_every_public_page_has_canonical_url_og_title_footer_and_breadcrumbs(client):
    NewsFactory(slug="n1")
    period = TariffPeriodFactory()
    for url in ["/", "/info/", "/info/pokazaniya/", "/news/", "/news/n1/", "/faq/", "/offices/", "/documents/",
                "/tariffs/", period.get_absolute_url(), "/contacts/", "/search/?q=показания"]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<link rel="canonical" href="http://testserver{url.split("?")[0]}">' in html, url
        assert '<meta property="og:title"' in html, url
        assert 'href="/info/personalnye-dannye/"' in html, url  # the footer
        assert html.count("<h1") == 1, url
        if url != "/":
            assert 'aria-label="Вы находитесь здесь"' in html, url


def test_canonical_url_uses_the_configured_origin_and_keeps_the_page_number(client, settings):
    settings.PAGES_SITE_URL = "https://lk.example.ru/"
    html = client.get("/news/", {"page": "2", "utm_source": "x"}).content.decode()
    assert '<link rel="canonical" href="https://lk.example.ru/news/?page=2">' in html


def test_page_tree_urls_and_breadcrumbs(client):
    section = PageFactory(slug="razdel", title="Раздел")
    PageFactory(parent=section, slug="podrazdel", title="Подраздел", body="## Заголовок\n\nТекст")
    response = client.get("/info/razdel/podrazdel/")
    html = response.content.decode()
    assert re.search(r'<a href="/info/razdel/">Раздел</a>', html)
    assert "<h2>Заголовок</h2>" in html
    assert 'href="/info/razdel/podrazdel/"' in client.get("/info/razdel/").content.decode()


def test_unpublished_page_and_pages_under_it_are_not_found(client):
    section = PageFactory(slug="skryto", is_published=False)
    PageFactory(parent=section, slug="vnutri")
    assert client.get("/info/skryto/").status_code == 404
    assert client.get("/info/skryto/vnutri/").status_code == 404
    assert client.get("/info/net-takoy/").status_code == 404


def test_moving_a_section_moves_its_subpages(client):
    from pages import services

    section = PageFactory(slug="staryy")
    PageFactory(parent=section, slug="vnutri")
    section.slug = "novyy"
    services.page_save(section)
    assert client.get("/info/novyy/vnutri/").status_code == 200
    assert client.get("/info/staryy/vnutri/").status_code == 404


def test_contacts_page_in_the_tree_redirects_to_the_contacts_view(client):
    response = client.get("/info/kontakty/")
    assert response.status_code == 301
    assert response["Location"] == "/contacts/"


def test_seeded_pages_are_published_and_use_the_configured_contacts(client, settings):
    settings.PORTAL_SUPPORT_EMAIL = "care@example.ru"
    assert set(Page.objects.filter(is_published=True).values_list("key", flat=True)) >= set(Page.Key.values)
    html = client.get("/info/obrashcheniya/").content.decode()
    assert "care@example.ru" in html
    assert "{почта}" not in html
    assert "59-ФЗ" in html


def test_news_list_is_paginated_in_constant_queries(client, django_assert_num_queries):
    NewsFactory.create_batch(3)
    with django_assert_num_queries(2):  # count + page
        client.get("/news/")
    NewsFactory.create_batch(30)
    with django_assert_num_queries(2):
        response = client.get("/news/", {"page": 2})
    assert response.context["news_page"].number == 2
    assert len(response.context["news_page"].object_list) == 10


def test_future_and_unpublished_news_are_hidden(client):
    NewsFactory(slug="budushchaya", published_at=timezone.now() + datetime.timedelta(days=1))
    NewsFactory(slug="chernovik", is_published=False)
    assert client.get("/news/budushchaya/").status_code == 404
    assert client.get("/news/chernovik/").status_code == 404
    html = client.get("/news/").content.decode()
    assert "budushchaya" not in html and "chernovik" not in html


def test_planned_outage_shows_addresses_and_time_window(client):
    start = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=timezone.get_default_timezone())
    news = NewsFactory(
        kind=News.Kind.OUTAGE, outage_starts_at=start, outage_ends_at=start + datetime.timedelta(hours=6),
        outage_addresses="ул. Садовая, д. 1–15\nул. Лесная, д. 2",
    )  # fmt: skip
    html = client.get(news.get_absolute_url()).content.decode()
    assert "<li>ул. Садовая, д. 1–15</li>" in html and "<li>ул. Лесная, д. 2</li>" in html
    assert "3 декабря 2026, 09:00" in html and "15:00" in html


def test_news_image_is_served_inline_with_its_checked_type_only_when_published(client):
    news = NewsFactory(slug="s-kartinkoy", image_alt="Схема", image_type="image/png")
    news.image.save("x.png", __import__("django.core.files.base").core.files.base.ContentFile(PNG_BYTES))
    response = client.get("/news/s-kartinkoy/image/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG_BYTES
    news.is_published = False
    news.save()
    assert client.get("/news/s-kartinkoy/image/").status_code == 404


def test_faq_groups_by_topic_links_to_the_appeal_form_and_filters(client, django_assert_num_queries):
    entry = FaqEntryFactory(question="Как оплатить картой?", answer="Через банк.", topic__appeal_topic="billing")
    with django_assert_num_queries(2):  # topics + entries
        html = client.get("/faq/").content.decode()
    assert "Как оплатить картой?" in html
    assert 'href="/appeals/new/?topic=billing"' in html
    assert "Не помогло? Подайте обращение" in html
    filtered = client.get("/faq/", {"q": "картой"}).content.decode()
    assert f'id="q{entry.pk}"' in filtered
    assert "До какого числа передавать показания?" not in filtered


def test_offices_show_weekly_hours_and_upcoming_changes_in_constant_queries(client, django_assert_num_queries):
    office = OfficeFactory(name="Северный офис", weekdays=[0, 1])
    OfficeException.objects.create(office=office, date=timezone.localdate() + datetime.timedelta(days=3),
                                   reason="праздник")  # fmt: skip
    client.get("/offices/")  # the production calendar is read once into the process's copy (deadlines.tables)
    with django_assert_num_queries(3):  # offices, their hours, their dated changes
        html = client.get("/offices/").content.decode()
    OfficeFactory.create_batch(5)
    with django_assert_num_queries(3):
        client.get("/offices/")
    assert "Северный офис" in html and "09:00–18:00" in html and "выходной" in html and "праздник" in html


def test_documents_list_and_download_as_attachment(client, django_assert_num_queries):
    document = DocumentFactory(title="Бланк заявления", description="Для смены владельца лицевого счёта.")
    DocumentFactory(title="Скрытый", is_published=False)
    with django_assert_num_queries(2):
        html = client.get("/documents/", {"category": "forms"}).content.decode()
    assert "Бланк заявления" in html and "Скрытый" not in html
    assert "Для смены владельца лицевого счёта." in html
    response = client.get(document.get_download_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".pdf" in response["Content-Disposition"]
    hidden = DocumentFactory(is_published=False)
    assert client.get(hidden.get_download_url()).status_code == 404


def test_tariffs_without_published_values_say_so_honestly(client):
    html = client.get("/tariffs/").content.decode()
    assert "Действующие тарифы сейчас публикуются на сайте." in html
    assert "<table" not in html


def test_current_tariffs_table_and_archive(client):
    today = timezone.localdate()
    old = TariffPeriodFactory(title="Прошлые тарифы", valid_from=today - datetime.timedelta(days=400),
                              valid_to=today - datetime.timedelta(days=200))  # fmt: skip
    TariffRateFactory(period=old, price="5.10")
    current = TariffPeriodFactory(title="Текущие тарифы", valid_from=today - datetime.timedelta(days=199))
    TariffRateFactory(period=current, zone="day", price="7.25")
    TariffRateFactory(period=current, zone="night", price="3.40")
    TariffRateFactory(period=current, group="rural", zone="day", price="5.08")
    html = client.get("/tariffs/").content.decode()
    assert "7.25" in html or "7,25" in html
    assert "Прошлые тарифы" in html and "Текущие тарифы" in html
    assert '<th scope="col">Двухзонный: дневная зона (Т1)</th>' in html
    # On a phone the table stacks: each price carries its zone's label.
    assert 'data-label="Двухзонный: ночная зона (Т2)">3' in html
    archive = client.get(old.get_absolute_url()).content.decode()
    assert "Больше не действуют." in archive and ("5,10" in archive or "5.10" in archive)


def test_search_handles_empty_absurd_and_too_long_queries_kindly(client):
    assert "Напишите, что вы ищете" in client.get("/search/").content.decode()
    assert "нет слов" in client.get("/search/", {"q": "!!! ??? ..."}).content.decode()
    response = client.get("/search/", {"q": "слово " * 60})
    assert response.status_code == 200
    assert "Запрос слишком длинный" in response.content.decode()
    assert client.get("/search/", {"q": "показания", "page": "abc"}).status_code == 200
    assert client.get("/search/", {"q": "показания", "page": "999"}).status_code == 200


def test_search_results_are_paginated_in_constant_queries(client, django_assert_num_queries):
    for n in range(25):
        PageFactory(title=f"Ромашковая страница {n}", body="ромашковое поле")
    with django_assert_num_queries(2):
        response = client.get("/search/", {"q": "ромашковая"})
    assert len(response.context["hits"]) == 10
    assert response.context["results_page"].paginator.count == 25


def test_robots_txt_points_to_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_office_shows_todays_hours_with_the_dated_change_taking_precedence(client):
    from pages import selectors

    monday = datetime.date(2026, 11, 30)
    office = OfficeFactory(weekdays=[0])
    assert selectors.offices(today=monday)[-1].today_hours == (datetime.time(9), datetime.time(18))
    assert selectors.offices(today=monday + datetime.timedelta(days=1))[-1].today_hours is None
    OfficeException.objects.create(office=office, date=monday, reason="праздник")
    assert selectors.offices(today=monday)[-1].today_hours is None


def test_office_hours_follow_the_production_calendar_with_the_editors_changes_on_top():
    from deadlines.models import CalendarDay
    from deadlines.tests.factories import CalendarDayFactory
    from pages import selectors

    monday = datetime.date(2031, 3, 3)
    CalendarDayFactory(day=monday + datetime.timedelta(days=7), note="Праздник")  # Monday 10 March
    CalendarDayFactory(day=monday + datetime.timedelta(days=4), kind=CalendarDay.Kind.SHORTENED, note="")  # Friday
    CalendarDayFactory(day=monday + datetime.timedelta(days=8))  # Tuesday 11 March, an editor keeps it open
    CalendarDayFactory(day=monday + datetime.timedelta(days=5))  # Saturday: the office is closed anyway
    office = OfficeFactory(weekdays=range(5))
    OfficeException.objects.create(
        office=office, date=monday + datetime.timedelta(days=8), is_closed=False,
        opens=datetime.time(10), closes=datetime.time(14), reason="дежурный офис",
    )  # fmt: skip

    [shown] = [shown for shown in selectors.offices(today=monday) if shown.pk == office.pk]
    changes = {change.date: change for change in shown.upcoming_exceptions}
    assert sorted(changes) == [monday + datetime.timedelta(days=n) for n in (4, 7, 8)]
    assert changes[monday + datetime.timedelta(days=7)].is_closed
    assert "производственному календарю" in changes[monday + datetime.timedelta(days=7)].reason
    shortened = changes[monday + datetime.timedelta(days=4)]
    assert (shortened.is_closed, shortened.opens, shortened.closes) == (False, datetime.time(9), datetime.time(17))
    assert changes[monday + datetime.timedelta(days=8)].reason == "дежурный офис"
    assert selectors.offices(today=monday + datetime.timedelta(days=7))[-1].today_hours is None


def test_seeded_office_shows_every_new_year_day_off_of_the_calendar():
    from deadlines.services import calendar_for
    from pages import selectors

    today = datetime.date(2026, 12, 28)
    calendar = calendar_for(today, datetime.date(2027, 1, 12))
    for office in selectors.offices(today=today):
        weekdays = {hours.weekday for hours in office.hours.all()}
        closed = {change.date for change in office.upcoming_exceptions if change.is_closed}
        day = today
        while day <= datetime.date(2027, 1, 12):
            if day.weekday() in weekdays and not calendar.is_working_day(day):
                assert day in closed, day
            day += datetime.timedelta(days=1)


def test_page_detail_home_and_tariffs_run_constant_queries(client, django_assert_num_queries):
    section = PageFactory(slug="razdel")
    PageFactory.create_batch(5, parent=section)
    NewsFactory.create_batch(5)
    with django_assert_num_queries(2):  # the page with its ancestors, its children
        client.get("/info/razdel/")
    with django_assert_num_queries(1):
        client.get("/")
    period = TariffPeriodFactory()
    TariffRateFactory.create_batch(3, period=period, zone=factory_zone())
    with django_assert_num_queries(3):  # current period, its rates, all periods
        client.get("/tariffs/")


def factory_zone():
    import factory

    return factory.Iterator(["single", "day", "night"])


def test_too_deep_page_paths_are_not_found_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/info/" + "a/" * 20).status_code == 404


def test_null_character_in_a_query_gets_a_message_not_an_error(client):
    response = client.get("/search/", {"q": "показания\x00"})
    assert response.status_code == 200
    assert response.context["problem"] == "invalid"


def test_news_list_can_show_only_planned_outages(client):
    start = timezone.now() + datetime.timedelta(days=30)
    NewsFactory(title="Отключение на Садовой", kind=News.Kind.OUTAGE, outage_starts_at=start,
                outage_ends_at=start + datetime.timedelta(hours=3), outage_addresses="ул. Садовая")  # fmt: skip
    NewsFactory(title="Обычная новость")
    html = client.get("/news/", {"kind": "outage"}).content.decode()
    assert "Отключение на Садовой" in html and "Обычная новость" not in html
    assert '<link rel="canonical" href="http://testserver/news/?kind=outage">' in html


def test_replacing_a_document_file_removes_the_old_one(django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    from pages import services
    from pages.tests.factories import PDF_BYTES

    document = DocumentFactory()
    old_name = document.file.name
    storage = document.file.storage
    document.file = ContentFile(PDF_BYTES, name="new.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        services.document_save(document)
    assert not storage.exists(old_name)
    assert storage.exists(document.file.name)


def test_public_pages_answer_head_requests(client):
    assert client.head("/").status_code == 200
    assert client.head("/info/pokazaniya/").status_code == 200


def test_a_document_missing_from_storage_is_not_found(client):
    document = DocumentFactory()
    document.file.storage.delete(document.file.name)
    assert client.get(document.get_download_url()).status_code == 404


def test_articles_are_marked_as_such_for_open_graph(client):
    assert '<meta property="og:type" content="article">' in client.get("/info/pokazaniya/").content.decode()
    assert '<meta property="og:type" content="website">' in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("path", "visitor_action"),
    [
        ("/info/obrashcheniya/", "/contacts/#question"),
        ("/info/pokazaniya/", "/contacts/?topic=metering#question"),
        ("/info/dogovor/", "/contacts/?topic=contract#question"),
        ("/info/oplata/", "/contacts/?topic=billing#question"),
        ("/info/standart-obsluzhivaniya/", "/contacts/#question"),
    ],
)
def test_every_task_page_ends_with_the_action_that_does_it(client, path, visitor_action):
    html = client.get(path).content.decode()
    actions = html[html.index('id="page-actions-heading"'):]
    assert f'href="{visitor_action}"' in actions


def test_the_appeals_page_leads_a_visitor_to_log_in_or_ask_and_a_customer_to_the_form(client, django_user_model):
    html = client.get("/info/obrashcheniya/").content.decode()
    assert 'href="/accounts/login/?next=/appeals/new/"' in html
    assert 'href="/contacts/status/"' in html
    user = django_user_model.objects.create_user(email="reader@example.ru", password="x")
    client.force_login(user)
    html = client.get("/info/obrashcheniya/").content.decode()
    assert 'href="/appeals/new/"' in html and "/accounts/login/?next=" not in html


def test_seeded_texts_link_the_pages_they_name_and_state_the_service_time(client):
    standard = client.get("/info/standart-obsluzhivaniya/").content.decode()
    assert "от 5 до 20 минут" in standard
    for duty in ["отзывы", "оценить", "о чём пишут чаще всего", "выполнение контролируется", "договор"]:
        assert duty in standard
    for path in ["/info/obrashcheniya/", "/info/pokazaniya/", "/info/standart-obsluzhivaniya/"]:
        body = client.get(path).content.decode()
        body = body[body.index("<article"):body.index("</article>")]
        assert 'href="/offices/"' in body or 'href="/contacts/' in body, path
        assert "«Контакты»</a>" in body or "«Офисы обслуживания»</a>" in body or "офисе обслуживания</a>" in body, path
