from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from pages import selectors
from pages.models import Page


class SectionSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home", "pages:news_list", "pages:faq", "pages:offices", "pages:documents", "pages:tariffs",
                "pages:contacts", "pages:info"]  # fmt: skip

    def location(self, item):
        return reverse(item)


class PageSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    limit = 1000

    def items(self):
        # Only pages whose every ancestor is published are reachable.
        hidden = list(Page.objects.filter(is_published=False).values_list("path", flat=True))
        pages = Page.objects.filter(is_published=True).exclude(key=Page.Key.CONTACTS).only("path", "updated_at", "key")
        return [p for p in pages.order_by("path") if not any(p.path.startswith(f"{h}/") for h in hidden)]

    def lastmod(self, page):
        return page.updated_at


class NewsSitemap(Sitemap):
    changefreq = "never"
    priority = 0.5
    limit = 1000

    def items(self):
        return selectors.published_news().only("slug", "updated_at")

    def lastmod(self, news):
        return news.updated_at


class TariffSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.4

    def items(self):
        return selectors.tariff_periods().only("pk")


SITEMAPS = {"sections": SectionSitemap, "pages": PageSitemap, "news": NewsSitemap, "tariffs": TariffSitemap}
