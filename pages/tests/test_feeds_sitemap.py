import xml.etree.ElementTree as ET

import pytest

from pages.tests.factories import NewsFactory, PageFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own output, generated in the test


def test_rss_feed_is_valid_xml_with_the_latest_news(client):
    NewsFactory(title="Первая & «кавычки»", slug="pervaya", lead="Анонс <b>без тегов</b>")
    response = client.get("/news/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse(response.content).find("channel")
    items = channel.findall("item")
    titles = [item.findtext("title") for item in items]
    assert "Первая & «кавычки»" in titles
    item = items[titles.index("Первая & «кавычки»")]
    assert item.findtext("link") == "http://testserver/news/pervaya/"
    assert item.findtext("description") == "Анонс <b>без тегов</b>"  # escaped in the XML, text here
    assert item.findtext("pubDate")


def test_atom_feed_is_valid_xml(client):
    NewsFactory(title="Атом", slug="atom")
    response = client.get("/news/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert any(entry.findtext(f"{ATOM}title") == "Атом" for entry in entries)
    assert all(entry.find(f"{ATOM}updated") is not None for entry in entries)


def test_feeds_leave_out_unpublished_news(client):
    NewsFactory(title="Черновик", is_published=False)
    assert "Черновик" not in client.get("/news/rss/").content.decode()


def test_sitemap_lists_sections_published_pages_and_news(client):
    NewsFactory(slug="v-karte")
    hidden = PageFactory(slug="skrytyy", is_published=False)
    PageFactory(parent=hidden, slug="pod-skrytym")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = parse(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    locations = {url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")}
    for path in ["/", "/news/", "/faq/", "/tariffs/", "/offices/", "/documents/", "/contacts/",
                 "/info/pokazaniya/", "/info/personalnye-dannye/", "/news/v-karte/"]:  # fmt: skip
        assert f"http://testserver{path}" in locations, path
    assert not any("skrytyy" in location for location in locations)
    assert "http://testserver/info/kontakty/" not in locations  # a redirect, not a page


def test_sitemap_lists_published_tariff_periods(client):
    from pages.tests.factories import TariffPeriodFactory

    period = TariffPeriodFactory()
    hidden = TariffPeriodFactory(is_published=False)
    html = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver{period.get_absolute_url()}" in html
    assert f"http://testserver{hidden.get_absolute_url()}" not in html
