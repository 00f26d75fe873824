"""Every write to the information pages: the admin and the seed go through here."""

from django.db import transaction

from pages import markup, search_index
from pages.models import Document, FaqEntry, News, Page, SearchEntry

# Where each kind of content keeps the editor's Markdown and its rendered HTML.
MARKDOWN_FIELDS = {Page: ("body", "body_html"), News: ("body", "body_html"), FaqEntry: ("answer", "answer_html")}


def markdown_render(content: Page | News | FaqEntry) -> list[str]:
    """Render the content's Markdown into its HTML field (sanitised); returns what the sanitiser removed.

    The one place Markdown becomes HTML: saving and the admin preview both come here.
    """
    source_field, html_field = MARKDOWN_FIELDS[type(content)]
    rendered = markup.render(getattr(content, source_field))
    setattr(content, html_field, rendered.html)
    return rendered.removed


@transaction.atomic
def page_save(page: Page) -> Page:
    old_path = Page.objects.filter(pk=page.pk).values_list("path", flat=True).first() if page.pk else None
    markdown_render(page)
    page.save()
    if old_path and old_path != page.path:
        # Parents sort before their children by path, so each child sees its parent's new path.
        for child in Page.objects.filter(path__startswith=f"{old_path}/").order_by("path"):
            child.save()
    search_index.index_page_tree(SearchEntry, Page, page)
    return page


@transaction.atomic
def page_delete(page: Page) -> None:
    # Children are PROTECTed: a section is deleted only once it is empty.
    pk = page.pk
    page.delete()
    search_index.unindex(SearchEntry, search_index.PAGE, [pk])


def _delete_replaced_file(model, pk, field: str, current) -> None:
    """After a file is replaced or cleared, remove the old one once the change is committed."""
    if not pk:
        return
    old_name = model.objects.filter(pk=pk).values_list(field, flat=True).first()
    if old_name and old_name != (current.name if current else ""):
        storage = current.storage
        transaction.on_commit(lambda: storage.delete(old_name))


@transaction.atomic
def news_save(news: News) -> News:
    _delete_replaced_file(News, news.pk, "image", news.image)
    markdown_render(news)
    news.save()
    search_index.index_news(SearchEntry, news)
    return news


@transaction.atomic
def news_delete(news: News) -> None:
    pk, image = news.pk, news.image
    news.delete()
    search_index.unindex(SearchEntry, search_index.NEWS, [pk])
    if image:
        transaction.on_commit(lambda: image.storage.delete(image.name))


@transaction.atomic
def faq_entry_save(entry: FaqEntry) -> FaqEntry:
    markdown_render(entry)
    entry.save()
    search_index.index_faq(SearchEntry, entry)
    return entry


@transaction.atomic
def faq_entry_delete(entry: FaqEntry) -> None:
    pk = entry.pk
    entry.delete()
    search_index.unindex(SearchEntry, search_index.FAQ, [pk])


@transaction.atomic
def document_save(document: Document) -> Document:
    _delete_replaced_file(Document, document.pk, "file", document.file)
    document.save()
    search_index.index_document(SearchEntry, document)
    return document


@transaction.atomic
def document_delete(document: Document) -> None:
    pk, file = document.pk, document.file
    document.delete()
    search_index.unindex(SearchEntry, search_index.DOCUMENT, [pk])
    if file:
        transaction.on_commit(lambda: file.storage.delete(file.name))


def search_index_rebuild() -> None:
    with transaction.atomic():
        search_index.rebuild(SearchEntry, Page, News, FaqEntry, Document)
