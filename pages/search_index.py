"""Keeps pages.SearchEntry in step with the public content.

Every save or delete of searchable content goes through `index_item` /
`unindex_item` (called by pages.services and the admin), and the seed migration
calls `rebuild` with its historical models: the builders only read fields, so
they work with both.
"""

from django.contrib.postgres.search import SearchVector
from django.db import connection

from pages.markup import placeholders, plain_text

PAGE, NEWS, FAQ, DOCUMENT = "page", "news", "faq", "document"


def _fill(text: str) -> str:
    for token, value in placeholders().items():
        text = text.replace(token, value)
    return text


def _page_url(page) -> str:
    from django.urls import reverse

    if page.key == "contacts":
        return reverse("pages:contacts")
    return reverse("pages:page", kwargs={"path": page.path})


def page_entry(page, visible: bool) -> dict | None:
    if not visible:
        return None
    text = " ".join(filter(None, [page.meta_description, plain_text(page.body_html)]))
    return {"title": page.title, "text": _fill(text), "url": _page_url(page), "visible_from": None}


def news_entry(news) -> dict | None:
    from django.urls import reverse

    if not news.is_published:
        return None
    text = " ".join(filter(None, [news.lead, plain_text(news.body_html), news.outage_addresses]))
    return {
        "title": news.title,
        "text": _fill(text),
        "url": reverse("pages:news_detail", kwargs={"slug": news.slug}),
        "visible_from": news.published_at,
    }


def faq_entry(entry) -> dict | None:
    from django.urls import reverse

    if not entry.is_published:
        return None
    return {
        "title": entry.question,
        "text": _fill(plain_text(entry.answer_html)),
        "url": f"{reverse('pages:faq')}#q{entry.pk}",
        "visible_from": None,
    }


def document_entry(document) -> dict | None:
    from django.urls import reverse

    if not document.is_published:
        return None
    return {
        "title": document.title,
        "text": document.description,
        "url": f"{reverse('pages:documents')}?category={document.category}#doc{document.pk}",
        "visible_from": None,
    }


# Highlight delimiters used by the search: stripped from content so that no text can forge them.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"


def fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


def _with_folded(fields: dict) -> dict:
    title = fields["title"].replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, "")
    text = fields["text"].replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, "")
    return {**fields, "title": title, "text": text, "folded_title": fold(title), "folded": fold(f"{title} {text}")}


def _store(SearchEntry, kind: str, object_id: int, fields: dict | None) -> None:
    if fields is None:
        SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()
        return
    fields = _with_folded(fields)
    SearchEntry.objects.update_or_create(kind=kind, object_id=object_id, defaults=fields)
    _refresh_vectors(SearchEntry.objects.filter(kind=kind, object_id=object_id))


def _refresh_vectors(queryset) -> None:
    if connection.vendor != "postgresql":
        return
    queryset.update(
        search_vector=SearchVector("title", weight="A", config="russian")
        + SearchVector("text", weight="B", config="russian")
    )


def page_visible(Page, page) -> bool:
    if not page.is_published:
        return False
    parts = page.path.split("/")
    ancestors = ["/".join(parts[:i]) for i in range(1, len(parts))]
    return not Page.objects.filter(path__in=ancestors, is_published=False).exists()


def index_page_tree(SearchEntry, Page, page) -> None:
    """A page and everything under it: publishing or moving a section changes its subpages too."""
    subtree = [page, *Page.objects.filter(path__startswith=f"{page.path}/")]
    hidden_prefixes = [p.path for p in subtree if not p.is_published]
    if not page_visible(Page, page):
        hidden_prefixes.append(page.path)
    for item in subtree:
        hidden = any(item.path == prefix or item.path.startswith(f"{prefix}/") for prefix in hidden_prefixes)
        _store(SearchEntry, PAGE, item.pk, page_entry(item, visible=not hidden))


def index_news(SearchEntry, news) -> None:
    _store(SearchEntry, NEWS, news.pk, news_entry(news))


def index_faq(SearchEntry, entry) -> None:
    _store(SearchEntry, FAQ, entry.pk, faq_entry(entry))


def index_document(SearchEntry, document) -> None:
    _store(SearchEntry, DOCUMENT, document.pk, document_entry(document))


def unindex(SearchEntry, kind: str, object_ids) -> None:
    SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()


def rebuild(SearchEntry, Page, News, FaqEntry, Document) -> None:
    """Rebuild the whole index (the seed migration and `manage.py pages_reindex`)."""
    SearchEntry.objects.all().delete()
    hidden = list(Page.objects.filter(is_published=False).values_list("path", flat=True))
    rows = []

    def add(kind, pk, fields):
        if fields is not None:
            rows.append(SearchEntry(kind=kind, object_id=pk, **_with_folded(fields)))

    for page in Page.objects.all():
        is_hidden = any(page.path == p or page.path.startswith(f"{p}/") for p in hidden)
        add(PAGE, page.pk, page_entry(page, visible=not is_hidden))
    for news in News.objects.all():
        add(NEWS, news.pk, news_entry(news))
    for entry in FaqEntry.objects.all():
        add(FAQ, entry.pk, faq_entry(entry))
    for document in Document.objects.all():
        add(DOCUMENT, document.pk, document_entry(document))
    SearchEntry.objects.bulk_create(rows, batch_size=500)
    _refresh_vectors(SearchEntry.objects.all())
