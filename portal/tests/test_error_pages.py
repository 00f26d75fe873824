"""With DEBUG off, every error a person can meet is the portal's own page, in its layout and language."""

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from portal import errors
from portal.tests.test_english_pages import russian_left

pytestmark = [pytest.mark.django_db, pytest.mark.urls("portal.tests.error_urls")]


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.DEBUG = False
    settings.PORTAL_SUPPORT_PHONE = "+7 800 111-22-33"


@pytest.fixture
def anonymous():
    client = Client()
    client.raise_request_exception = False
    return client


def in_layout(html: str) -> bool:
    return all(
        marker in html
        for marker in ['<main id="main"', 'class="navbar', "<footer", "Контактный центр", "+7 800 111-22-33"]
    )


def assert_no_technical_page(html: str):
    for leak in ["DEBUG", "Traceback", "Not Found", "Forbidden", "Bad Request", "Server Error", "CSRF verification"]:
        assert leak not in html, leak


# (url, method, status, heading)
CASES = [
    ("/no-such-page/", "get", 404, "Страница не найдена"),
    ("/test-errors/forbidden/", "get", 403, "Доступ закрыт"),
    ("/test-errors/suspicious/", "get", 400, "Неверный запрос"),
    ("/test-errors/post-only/", "get", 405, "Так эту страницу не открыть"),
    ("/test-errors/boom/", "get", 500, "Ошибка на сервере"),
]


@pytest.mark.parametrize(("url", "method", "status", "heading"), CASES)
def test_each_error_is_a_russian_page_in_the_layout(anonymous, url, method, status, heading):
    response = getattr(anonymous, method)(url)
    html = response.content.decode()
    assert response.status_code == status
    assert f"<h1 class=\"mb-3\">{heading}" in html
    assert f"Ошибка {status}" in html
    assert '<html lang="ru">' in html
    assert in_layout(html)
    assert 'href="/"' in html and 'href="/contacts/"' in html
    assert_no_technical_page(html)


def test_a_visitor_is_offered_to_log_in_and_a_customer_is_not(anonymous):
    assert 'href="/accounts/login/"' in anonymous.get("/no-such-page/").content.decode()
    anonymous.force_login(UserFactory())
    html = anonymous.get("/no-such-page/").content.decode()
    assert 'href="/accounts/login/"' not in html
    assert "Выйти" in html


def test_the_way_back_is_offered_only_to_our_own_pages(anonymous):
    html = anonymous.get("/no-such-page/", HTTP_REFERER="http://testserver/faq/").content.decode()
    assert 'href="http://testserver/faq/"' in html and "Вернуться на предыдущую страницу" in html
    html = anonymous.get("/no-such-page/", HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in html and "Вернуться на предыдущую страницу" not in html


def test_a_host_outside_allowed_hosts_gets_the_400_page(anonymous):
    response = anonymous.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Неверный запрос" in response.content.decode()


def test_the_405_page_keeps_the_allow_header(anonymous):
    response = anonymous.get("/test-errors/post-only/")
    assert response["Allow"] == "POST"


def test_a_real_post_only_url_gets_the_405_page():
    client = Client()
    client.force_login(UserFactory())
    response = client.get("/notifications/read-all/")
    assert response.status_code == 405
    assert "Так эту страницу не открыть" in response.content.decode()


def test_an_expired_form_says_so_and_that_the_text_is_kept():
    client = Client(enforce_csrf_checks=True)
    client.get("/contacts/")  # the form page sets the CSRF cookie
    client.cookies["csrftoken"] = "x" * 32  # …which then changed (a login in another tab, an old page)
    response = client.post("/contacts/", {"text": "Мой длинный вопрос"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Форма устарела, ничего не отправлено" in html
    assert "Ваш текст не пропал" in html and "«Назад»" in html
    assert in_layout(html)
    assert_no_technical_page(html)
    assert response["Cache-Control"] == "no-store" or "no-store" in response["Cache-Control"]
    # The page carries a token cookie, so the form opened again goes through.
    assert "csrftoken" in response.cookies


def test_an_expired_form_without_cookies_asks_to_allow_them():
    client = Client(enforce_csrf_checks=True)
    html = client.post("/contacts/", {"text": "вопрос"}).content.decode()
    assert "разрешите cookie" in html


def test_the_500_page_needs_no_request_and_no_database(django_assert_num_queries, settings):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {"context_processors": ["portal.tests.test_error_pages.broken_context_processor"]},
        }
    ]
    with django_assert_num_queries(0):
        response = errors.server_error(None)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Ошибка на сервере" in html and in_layout(html)


def broken_context_processor(request):
    raise RuntimeError("a context processor that fails")


def test_when_even_the_500_template_fails_a_fixed_page_answers(monkeypatch):
    def broken(name):
        raise RuntimeError("templates are gone")

    monkeypatch.setattr(errors.loader, "get_template", broken)
    response = errors.server_error(None)
    assert response.status_code == 500
    assert "Ошибка на сервере" in response.content.decode()


@pytest.fixture
def english(anonymous):
    anonymous.cookies["django_language"] = "en"
    return anonymous


@pytest.mark.parametrize(("url", "method", "status", "heading"), CASES)
def test_each_error_page_in_english_has_the_layout(english, url, method, status, heading):
    response = getattr(english, method)(url)
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="en">' in html
    assert in_layout(html.replace("Contact centre", "Контактный центр"))
    assert_no_technical_page(html)


@pytest.mark.parametrize(("url", "method", "status", "heading"), CASES)
def test_each_error_page_in_english_has_no_russian_left(english, url, method, status, heading, settings):
    settings.PORTAL_COMPANY_NAME = "Energosbyt JSC"
    assert russian_left(getattr(english, method)(url).content) == []


def _stale_form_client():
    client = Client(enforce_csrf_checks=True)
    client.get("/contacts/")
    return client


def test_a_form_from_our_own_page_can_be_sent_again_with_what_was_typed():
    client = _stale_form_client()
    response = client.post(
        "/contacts/?topic=billing",
        {"text": "Мой <длинный> вопрос", "name": "Иван", "password": "секрет", "csrfmiddlewaretoken": "old"},
        HTTP_ORIGIN="http://testserver",
    )
    html = response.content.decode()
    assert "Отправить форму ещё раз" in html
    assert 'action="/contacts/?topic=billing"' in html
    assert '<input type="hidden" name="text" value="Мой &lt;длинный&gt; вопрос">' in html
    assert '<input type="hidden" name="name" value="Иван">' in html
    assert "секрет" not in html and 'value="old"' not in html
    assert html.count('name="csrfmiddlewaretoken"') >= 1


@pytest.mark.parametrize("origin", [None, "https://evil.example", "null"])
def test_a_form_posted_from_elsewhere_is_never_offered_for_sending_again(origin):
    client = _stale_form_client()
    extra = {"HTTP_ORIGIN": origin} if origin else {}
    html = client.post("/contacts/", {"text": "подложный текст"}, **extra).content.decode()
    assert "Отправить форму ещё раз" not in html
    assert "подложный текст" not in html
    assert "Ваш текст не пропал" in html


def test_a_form_with_files_is_not_sent_again_without_them():
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _stale_form_client()
    html = client.post(
        "/contacts/", {"text": "с файлом", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}, HTTP_ORIGIN="http://testserver"
    ).content.decode()
    assert "Отправить форму ещё раз" not in html
    assert "Прикреплённые файлы не сохранились" in html
