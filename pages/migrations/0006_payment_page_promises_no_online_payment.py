"""The payment page no longer promises paying online: whether the cabinet takes payments depends on the
deployment (billing.payments.provider_configured), so the page's actions offer it only when it does.

Surgical and idempotent, like 0005: the seeded list item about the cabinet's «Оплатить» button goes, and the
seeded sentence about the amount due links to the cabinet — only while they still read as seeded (by 0003 or
0005). Whatever editors rewrote stays theirs. The admin's textarea saves "\r\n": the body is compared with
its line ends normalised to "\n".

Self-contained: the Markdown rendering (pages.markup.render_markdown) and the page's search entry
(pages.search_index.index_page_tree) are copied here as they were, so later changes to those modules cannot break
migrating from scratch.
"""

import html
import re

import markdown
import nh3
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, migrations
from django.urls import reverse

CABINET_ITEM = (
    "- **В личном кабинете** — в разделе [«Начисления и оплата»](/billing/): сумма к оплате на дату расчёта, "
    "начисления и платежи за 24 месяца, квитанции для скачивания и кнопка «Оплатить» — оплата онлайн через "
    "платёжный сервис. Платёж учитывается на лицевом счёте, когда его проведёт биллинг.\n"
)
OLD_SENTENCE = (
    "Сумма к оплате и реквизиты указаны в квитанции; сумма к оплате на дату, начисления и сами квитанции есть "
    "и в личном кабинете."
)
NEW_SENTENCE = (
    "Сумма к оплате и реквизиты указаны в квитанции; сумма к оплате на дату, начисления и сами квитанции есть "
    "и [в личном кабинете](/billing/), в разделе «Начисления и оплата»."
)


# --- pages.markup.render_markdown, as of this migration ------------------------------------------------------

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
RAW_TEXT_TAGS = (
    "script", "style", "title", "textarea", "xmp", "plaintext", "iframe", "noembed", "noframes", "noscript",
    "template", "listing",
)  # fmt: skip
_CODE_ELEMENT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_RAW_TEXT_TAG = re.compile(rf"</?({'|'.join(RAW_TEXT_TAGS)})\b[^>]*>", re.IGNORECASE)
_H1_TAG = re.compile(r"<(/?)h1([\s>])")
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
_TABLE_LABEL = "{{table-scroll-label}}"
_TABLE_HINT = "{{table-scroll-hint}}"


def _markdown(source):
    return markdown.markdown(source, extensions=["tables", "sane_lists"], output_format="html")


def _take_out_raw_text_elements(rendered):
    while True:
        before = rendered
        rendered = _RAW_TEXT_TAG.sub("", _CODE_ELEMENT.sub("", rendered))
        if rendered == before:
            return rendered


def _has_unclosed_raw_text_tag(rendered):
    tags = [(m.group(0).startswith("</"), m.group(1).lower()) for m in _RAW_TEXT_TAG.finditer(rendered)]
    return any(tags.count((False, name)) > tags.count((True, name)) for _closing, name in tags)


def render_markdown(source):
    rendered = _markdown(source or "")
    if _has_unclosed_raw_text_tag(rendered):
        rendered = _markdown(_take_out_raw_text_elements(source))
    rendered = _H1_TAG.sub(lambda m: f"<{m.group(1)}h2{m.group(2)}", _take_out_raw_text_elements(rendered))
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return _TABLE.sub(
        lambda m: f'<div class="table-scroll-wrap" data-hint="{_TABLE_HINT}">'
        f'<div class="table-scroll" role="region" tabindex="0" aria-label="{_TABLE_LABEL}">{m.group(0)}</div></div>',
        cleaned,
    )


# --- pages.search_index.index_page_tree, as of this migration --------------------------------------------------

HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"


def _plain_text(rendered_html):
    return _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", rendered_html))).strip()


def _fill(text):
    placeholders = {
        "{компания}": settings.PORTAL_COMPANY_NAME,
        "{телефон}": settings.PORTAL_SUPPORT_PHONE,
        "{почта}": settings.PORTAL_SUPPORT_EMAIL,
    }
    for token, value in placeholders.items():
        text = text.replace(token, value)
    return text


def _fold(text):
    return text.casefold().replace("ё", "е")


def _page_fields(page):
    url = reverse("pages:contacts") if page.key == "contacts" else reverse("pages:page", kwargs={"path": page.path})
    text = _fill(" ".join(filter(None, [page.meta_description, _plain_text(page.body_html)])))
    title = page.title.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, "")
    text = text.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, "")
    return {"title": title, "text": text, "url": url, "visible_from": None, "folded_title": _fold(title),
            "folded": _fold(f"{title} {text}")}  # fmt: skip


def _page_visible(Page, page):
    if not page.is_published:
        return False
    parts = page.path.split("/")
    ancestors = ["/".join(parts[:i]) for i in range(1, len(parts))]
    return not Page.objects.filter(path__in=ancestors, is_published=False).exists()


def index_page_tree(SearchEntry, Page, page):
    subtree = [page, *Page.objects.filter(path__startswith=f"{page.path}/")]
    hidden_prefixes = [p.path for p in subtree if not p.is_published]
    if not _page_visible(Page, page):
        hidden_prefixes.append(page.path)
    for item in subtree:
        hidden = any(item.path == prefix or item.path.startswith(f"{prefix}/") for prefix in hidden_prefixes)
        entries = SearchEntry.objects.filter(kind="page", object_id=item.pk)
        if hidden:
            entries.delete()
            continue
        SearchEntry.objects.update_or_create(kind="page", object_id=item.pk, defaults=_page_fields(item))
        if connection.vendor != "postgresql":
            continue
        entries.update(
            search_vector=SearchVector("title", weight="A", config="russian")
            + SearchVector("text", weight="B", config="russian")
        )


def forwards(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    SearchEntry = apps.get_model("pages", "SearchEntry")
    page = Page.objects.filter(key="payment").first()
    body = page.body.replace("\r\n", "\n") if page is not None else ""
    if CABINET_ITEM not in body:
        return
    body = body.replace(CABINET_ITEM, "", 1)
    if OLD_SENTENCE in body:
        body = body.replace(OLD_SENTENCE, NEW_SENTENCE, 1)
    page.body = body
    page.body_html = render_markdown(page.body)
    page.save(update_fields=["body", "body_html"])
    index_page_tree(SearchEntry, Page, page)


class Migration(migrations.Migration):
    dependencies = [("pages", "0005_payment_in_the_cabinet")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
