"""The usual XSS payloads in every content field an editor can fill, and in search queries."""

import datetime

import pytest
from django.utils import timezone

from pages.models import News, OfficeException
from pages.tests.factories import (
    DocumentFactory,
    FaqEntryFactory,
    FaqTopicFactory,
    NewsFactory,
    OfficeFactory,
    PageFactory,
    TariffPeriodFactory,
    TariffRateFactory,
)

PAYLOAD = (
    "<script>alert(1)</script><img src=x onerror=alert(1)><svg onload=alert(1)>"
    '<a href="javascript:alert(1)">x</a><iframe src="//evil.example"></iframe><style>body{display:none}</style>'
)
SHORT = "<script>alert(1)</script>"
TINY = "<img src=x onerror=alert(1)>"
# What would be live markup if the payload got through unescaped and unsanitised.
LIVE = ["<script>alert", "<img src=x onerror", "<svg onload", 'href="javascript:', "<iframe", "<style>"]

pytestmark = pytest.mark.django_db


def assert_inert(response):
    assert response.status_code == 200
    html = response.content.decode()
    for fragment in LIVE:
        assert fragment not in html, fragment


def test_page_fields(client):
    page = PageFactory(slug="xss", title=PAYLOAD, meta_description=PAYLOAD, body=f"Текст\n\n{PAYLOAD}")
    PageFactory(parent=page, slug="child", title=PAYLOAD, meta_description=PAYLOAD)
    assert_inert(client.get("/info/xss/"))
    assert_inert(client.get("/info/xss/child/"))
    assert_inert(client.get("/info/"))


def test_news_fields(client):
    news = NewsFactory(
        slug="xss", title=PAYLOAD, lead=PAYLOAD, body=PAYLOAD, kind=News.Kind.OUTAGE, outage_addresses=PAYLOAD,
        outage_starts_at=timezone.now(), outage_ends_at=timezone.now() + datetime.timedelta(hours=4),
        image_alt=PAYLOAD,
    )  # fmt: skip
    assert_inert(client.get(news.get_absolute_url()))
    assert_inert(client.get("/news/"))
    assert_inert(client.get("/"))
    feed = client.get("/news/rss/").content.decode()
    assert "<script>" not in feed  # the XML escapes it: &lt;script&gt;


def test_faq_fields(client):
    FaqEntryFactory(topic=FaqTopicFactory(title=SHORT), question=PAYLOAD, answer=PAYLOAD)
    assert_inert(client.get("/faq/"))
    assert_inert(client.get("/faq/", {"q": "alert"}))


def test_office_fields(client):
    office = OfficeFactory(name=SHORT, address=PAYLOAD, services=PAYLOAD, note=PAYLOAD, phone=TINY)
    OfficeException.objects.create(office=office, date=timezone.localdate(), reason=SHORT)
    assert_inert(client.get("/offices/"))
    assert_inert(client.get("/contacts/"))


def test_document_fields(client):
    DocumentFactory(title=PAYLOAD, description=PAYLOAD)
    assert_inert(client.get("/documents/"))


def test_tariff_fields(client):
    period = TariffPeriodFactory(title=PAYLOAD, basis=PAYLOAD, note=PAYLOAD)
    TariffRateFactory(period=period)
    assert_inert(client.get("/tariffs/"))
    assert_inert(client.get(period.get_absolute_url()))


@pytest.mark.parametrize(
    "query",
    [
        PAYLOAD,
        "<script>alert(1)</script> показания",
        '"><img src=x onerror=alert(1)>',
        "показания\x00",
        "%00' OR 1=1--",
    ],
)
def test_search_queries(client, query):
    PageFactory(slug="xss", title=f"Показания {PAYLOAD}", body=f"показания {PAYLOAD}")
    assert_inert(client.get("/search/", {"q": query}))
    assert_inert(client.get("/faq/", {"q": query}))


def test_search_highlight_of_hostile_content_is_escaped(client):
    PageFactory(slug="xss", title="Показания", body=f"показания {PAYLOAD} показания")
    response = client.get("/search/", {"q": "script показания"})
    assert_inert(response)
