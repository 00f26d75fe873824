"""Every read for the public site: only what a visitor may see, in a constant number of queries."""

import datetime

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines import services as deadline_services
from pages.models import (
    CustomerGroup,
    Document,
    FaqEntry,
    FaqTopic,
    News,
    Office,
    OfficeException,
    OfficeHours,
    Page,
    TariffPeriod,
    TariffRate,
    TariffZone,
)

UPCOMING_EXCEPTION_DAYS = 60


def page_with_ancestors(path: str) -> tuple[Page, list[Page]]:
    """The published page at `path` and its ancestors (root first), in one query; 404 if any is hidden."""
    parts = path.strip("/").split("/")
    if len(parts) > Page.MAX_DEPTH:
        raise Http404
    paths = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    found = {page.path: page for page in Page.objects.filter(path__in=paths, is_published=True)}
    if len(found) != len(paths):
        raise Http404
    chain = [found[p] for p in paths]
    return chain[-1], chain[:-1]


def page_children(page: Page):
    return Page.objects.filter(parent=page, is_published=True).only("path", "slug", "title", "meta_description", "key")


def root_pages_with_children():
    children = Page.objects.filter(is_published=True).only(
        "parent_id", "path", "slug", "title", "meta_description", "key"
    )
    return (
        Page.objects.filter(parent__isnull=True, is_published=True)
        .only("path", "slug", "title", "meta_description", "key")
        .prefetch_related(Prefetch("children", queryset=children, to_attr="published_children"))
    )


def page_by_key(key: str) -> Page | None:
    return Page.objects.filter(key=key, is_published=True).first()


def published_news(now=None, kind: str = ""):
    now = now or timezone.now()
    news = News.objects.filter(is_published=True, published_at__lte=now).defer("body", "body_html")
    return news.filter(kind=kind) if kind else news


def latest_news(limit: int = 3, now=None) -> list[News]:
    return list(published_news(now)[:limit])


def news_by_slug(slug: str, now=None) -> News:
    now = now or timezone.now()
    news = News.objects.filter(slug=slug, is_published=True, published_at__lte=now).first()
    if news is None:
        raise Http404
    return news


def faq_topics(entry_ids=None):
    """Topics with their published entries; only the given entries when a search narrowed them."""
    entries = FaqEntry.objects.filter(is_published=True).order_by("order", "id")
    if entry_ids is not None:
        entries = entries.filter(pk__in=entry_ids)
    topics = FaqTopic.objects.prefetch_related(Prefetch("entries", queryset=entries, to_attr="published_entries"))
    return [topic for topic in topics if topic.published_entries]


def offices(today: datetime.date | None = None) -> list[Office]:
    """Published offices with weekly hours, the changes of the next two months, and today's hours.

    The changes are the production calendar's holidays and pre-holiday days
    (the calendar the deadlines count by, so the site never contradicts it)
    with the editors' own dated changes on top: an editor's row for a day wins.
    """
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=UPCOMING_EXCEPTION_DAYS)
    upcoming = OfficeException.objects.filter(date__gte=today, date__lte=until)
    result = list(
        Office.objects.filter(is_published=True).prefetch_related(
            Prefetch("hours", queryset=OfficeHours.objects.order_by("weekday")),
            Prefetch("exceptions", queryset=upcoming.order_by("date"), to_attr="editor_exceptions"),
        )
    )
    if result:
        calendar = deadline_services.calendar_for(today, until)
        for office in result:
            office.upcoming_exceptions = schedule_changes(office, calendar, today, until)
            office.today_hours = office.hours_on(today)
    return result


def schedule_changes(office: Office, calendar, start: datetime.date, end: datetime.date) -> list:
    """The office's dated changes from `start` to `end`: the calendar's, overridden by the editors'.

    A holiday on a day the office normally works closes it; a pre-holiday
    (shortened) day closes it an hour earlier (Labour Code ст. 95). A working
    weekend day opens nothing by itself: which hours apply is the editors' call.
    """
    edited = {change.date: change for change in office.editor_exceptions}
    regular = {hours.weekday: hours for hours in office.hours.all()}
    changes = []
    day = start
    while day <= end:
        hours = regular.get(day.weekday())
        if day in edited:
            changes.append(edited[day])
        elif hours is not None and not calendar.is_working_day(day):
            reason = _("нерабочий день по производственному календарю")
            changes.append(OfficeException(office=office, date=day, is_closed=True, reason=reason))
        elif hours is not None and calendar.is_shortened(day):
            closes = (datetime.datetime.combine(day, hours.closes) - datetime.timedelta(hours=1)).time()
            changes.append(
                OfficeException(
                    office=office, date=day, is_closed=False, opens=hours.opens, closes=closes,
                    reason=_("предпраздничный день"),
                )
            )  # fmt: skip
        day += datetime.timedelta(days=1)
    return changes


def published_documents(category: str = ""):
    documents = Document.objects.filter(is_published=True)
    if category:
        documents = documents.filter(category=category)
    return documents.order_by("category", "-effective_date", "title", "id")


def document_for_download(pk: int) -> Document:
    document = Document.objects.filter(pk=pk, is_published=True).first()
    if document is None or not document.file:
        raise Http404
    return document


def news_with_image(slug: str, now=None) -> News:
    news = news_by_slug(slug, now)
    if not news.image or not news.image_type:
        raise Http404
    return news


def _in_force(today):
    return Q(valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))


def current_tariff_period(today: datetime.date | None = None) -> TariffPeriod | None:
    today = today or timezone.localdate()
    return TariffPeriod.objects.filter(_in_force(today), is_published=True).order_by("-valid_from").first()


def tariff_periods():
    """All published periods, newest first (past ones stay visible as the archive)."""
    return TariffPeriod.objects.filter(is_published=True).order_by("-valid_from", "-id")


def tariff_period(pk: int) -> TariffPeriod:
    period = TariffPeriod.objects.filter(pk=pk, is_published=True).first()
    if period is None:
        raise Http404
    return period


def tariff_table(period: TariffPeriod) -> dict:
    """Rows per customer group, a cell per zone.

    {"zones": [(code, label)], "rows": [(group label, [(zone label, price or None)])]}: each cell carries
    its zone's label so that on a phone, where the table stacks, every price says which zone it is for.
    """
    cells = {(rate.group, rate.zone): rate.price for rate in TariffRate.objects.filter(period=period)}
    zones = [zone for zone in TariffZone if any(z == zone for _, z in cells)]
    groups = [group for group in CustomerGroup if any(g == group for g, _ in cells)]
    return {
        "zones": [(zone.value, zone.label) for zone in zones],
        "rows": [
            (group.label, [(zone.label, cells.get((group.value, zone.value))) for zone in zones]) for group in groups
        ],
    }
