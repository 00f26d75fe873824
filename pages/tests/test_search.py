"""Site search: PostgreSQL full text with Russian stemming, and the development fallback."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from pages import search, services
from pages.models import SearchEntry
from pages.tests.factories import DocumentFactory, FaqEntryFactory, NewsFactory, PageFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search needs PostgreSQL")


@pytest.fixture
def fallback():
    """Exercise the fallback on any database."""
    with mock.patch("pages.search.full_text_available", return_value=False):
        yield


def found(query):
    terms = search.query_terms(query)
    return [(entry.kind, entry.title) for entry in search.search_entries(terms)]


def test_query_terms_drop_punctuation_and_single_letters():
    assert search.query_terms("Как передать ПОКАЗАНИЯ?! а") == ["как", "передать", "показания"]
    assert search.query_terms("<script>") == ["script"]
    assert search.query_terms("!!! ... ???") == []
    assert len(search.query_terms("слово " * 50)) == search.MAX_TERMS


def test_light_stem_strips_common_endings():
    assert search.light_stem("показания") == search.light_stem("показаний") == "показан"
    assert search.light_stem("счётчиков") == "счётчик"
    assert search.light_stem("тоже") == "тоже"  # too short to strip


def test_every_kind_of_content_is_indexed_and_unpublishing_removes_it():
    page = PageFactory(title="Поверка приборов")
    news = NewsFactory(title="Поверка в декабре")
    faq = FaqEntryFactory(question="Когда поверка?")
    document = DocumentFactory(title="Регламент поверки")
    kinds = set(SearchEntry.objects.filter(title__in=[page.title, news.title, faq.question, document.title])
                .values_list("kind", flat=True))  # fmt: skip
    assert kinds == {"page", "news", "faq", "document"}
    page.is_published = False
    services.page_save(page)
    services.news_delete(news)
    assert not SearchEntry.objects.filter(title__in=[page.title, news.title]).exists()


def test_unpublishing_a_section_hides_its_subpages_from_search():
    section = PageFactory(slug="razdel", title="Раздел про пломбы")
    PageFactory(parent=section, slug="vnutri", title="Пломбы на счётчике")
    section.is_published = False
    services.page_save(section)
    assert not SearchEntry.objects.filter(title__contains="ломб").exists()


def test_future_news_is_not_found_until_its_time():
    NewsFactory(title="Гирлянды на площади", published_at=timezone.now() + datetime.timedelta(days=2))
    terms = search.query_terms("гирлянды")
    assert not search.search_entries(terms).exists()
    assert search.search_entries(terms, now=timezone.now() + datetime.timedelta(days=3)).exists()


class TestFallback:
    def test_cyrillic_word_forms_match_case_insensitively(self, fallback):
        PageFactory(title="Пломбирование СЧЁТЧИКОВ", body="Порядок пломбирования.")
        assert ("page", "Пломбирование СЧЁТЧИКОВ") in found("счетчик")
        assert ("page", "Пломбирование СЧЁТЧИКОВ") in found("пломбирование счётчика")
        assert found("пломбирование самолётов") == []

    def test_title_matches_rank_first_and_are_highlighted(self, fallback):
        PageFactory(title="Прочее", body="ромашка в тексте")
        PageFactory(title="Ромашка в заголовке", body="текст")
        entries = list(search.search_entries(["ромашка"]))
        assert [e.title for e in entries] == ["Ромашка в заголовке", "Прочее"]
        hit = search.hits(entries, ["ромашка"])[1]
        assert "<mark>ромашка</mark>" in hit.snippet

    def test_seeded_readings_page_is_found_by_another_word_form(self, fallback):
        assert ("page", "Как передать показания счётчика") in found("показаний")


@postgres_only
class TestPostgresFullText:
    def test_russian_stemming_finds_other_word_forms(self):
        page = PageFactory(title="Приём данных", body="Передайте показаний счётчиков до конца месяца.")
        assert ("page", page.title) in found("показания")
        assert ("page", page.title) in found("счётчик")
        assert ("page", page.title) in found("передать")

    def test_seeded_readings_page_is_found_by_a_word_form(self):
        assert ("page", "Как передать показания счётчика") in found("показаний")

    def test_title_weight_ranks_first(self):
        PageFactory(title="Прочее", body="Упоминание ромашки где-то в тексте страницы.")
        PageFactory(title="Ромашки", body="Текст.")
        titles = [title for _, title in found("ромашка")]
        assert titles.index("Ромашки") < titles.index("Прочее")

    def test_headline_marks_matches_and_escapes_content(self):
        # The entities become literal "<b>" text in the index, which must never come out as markup.
        PageFactory(title="Ромашки", body="Поле ромашки, &lt;b&gt;не тег&lt;/b&gt; & васильки.")
        entries = list(search.search_entries(["ромашки"]))
        hit = next(h for h in search.hits(entries, ["ромашки"]) if "Ромашки" in h.title)
        assert "<mark>Ромашки</mark>" in hit.title
        assert "<mark>ромашки</mark>" in hit.snippet
        assert "<b>" not in hit.snippet
        assert "&amp;" in hit.snippet

    def test_stop_words_only_query_finds_nothing_without_error(self, client):
        response = client.get("/search/", {"q": "и в на"})
        assert response.status_code == 200
        assert "ничего не нашлось" in response.content.decode()

    def test_search_vector_uses_the_gin_index(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'pages_searchentry_vector_gin'")
            assert "gin (search_vector)" in cursor.fetchone()[0]

    def test_rebuild_fills_vectors(self):
        services.search_index_rebuild()
        assert not SearchEntry.objects.filter(search_vector__isnull=True).exists()
        assert ("page", "Как передать показания счётчика") in found("показаний")


def test_reindex_command_rebuilds_the_index(capsys):
    from django.core.management import call_command

    SearchEntry.objects.all().delete()
    call_command("pages_reindex")
    assert SearchEntry.objects.filter(kind="page", title="Как передать показания счётчика").exists()
    assert "Indexed" in capsys.readouterr().out
