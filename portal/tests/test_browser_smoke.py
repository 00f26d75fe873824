import pytest

pytestmark = pytest.mark.browser


def test_home_page_renders_in_russian(live_server, page):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("link", name="Войти в кабинет").is_visible()
