from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from pages import selectors

FEED_ITEMS = 20


class NewsFeed(Feed):
    link = reverse_lazy("pages:news_list")
    description = _("Новости и плановые отключения электроэнергии")

    def title(self):
        return f"{settings.PORTAL_COMPANY_NAME}: {_('новости')}"

    def items(self):
        return selectors.published_news()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.get_kind_display()]


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description
