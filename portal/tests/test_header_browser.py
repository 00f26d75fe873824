"""The header of a logged-in person fits the screen: on a 1280-px and a 1024-px desktop and a 360-px phone there is
no sideways scrolling, «Личный кабинет» is named once, and «Выйти» and the language button can be reached."""

import re

import pytest
from django.conf import settings
from django.test import Client

from accounts.tests.factories import StaffFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _log_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize("width", [1280, 1024, 360])
@pytest.mark.parametrize("staff", [False, True], ids=["resident", "staff"])
def test_logged_in_header_fits_and_keeps_logout_and_language_visible(live_server, browser, width, staff):
    # A long name, as real ones are: the header must still fit.
    user = (StaffFactory if staff else UserFactory)(first_name="Константин", last_name="Преображенский")
    context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": 800})
    _log_in(context, live_server, user)
    page = context.new_page()
    page.goto(live_server.url + "/")

    header = page.get_by_role("banner")
    if width < 992:  # the phone menu: open it first
        header.get_by_role("button", name="Открыть меню").click()
        header.get_by_role("button", name="Выйти").wait_for(state="visible")

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert header.get_by_role("link", name="Личный кабинет", exact=True).count() == 1
    language = header.get_by_role("button", name=re.compile(r"^EN\b"))
    for control in (header.get_by_role("button", name="Выйти"), language):
        assert control.is_visible()
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (control, box)
    context.close()
