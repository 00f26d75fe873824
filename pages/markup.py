"""Editors write Markdown; visitors get sanitised HTML.

Markdown allows raw HTML, so everything it produces goes through nh3 (an
allow-list sanitiser): no scripts, no event handlers, no `style`, no iframes,
only http(s), mailto and tel links. An h1 in the body becomes an h2, so that a
page keeps a single h1 (its title) whatever the editor wrote.

An editor's text never vanishes silently. HTML parses the content of a few
elements (script, style, title, xmp, textarea…) as raw text: an unclosed
`<style>` used to swallow the rest of the page, and `<xmp>` turned the tags
inside it into visible escaped markup. Before sanitising, a closed
script/style element is removed with its code and every other such tag is
removed on its own, so the text after or inside it stays. `render` reports
every tag and attribute it removed; the admin preview lists them.
"""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
import nh3
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

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

# Elements whose content an HTML parser reads as raw text up to their closing tag.
RAW_TEXT_TAGS = (
    "script", "style", "title", "textarea", "xmp", "plaintext", "iframe", "noembed", "noframes", "noscript",
    "template", "listing",
)  # fmt: skip
_CODE_ELEMENT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_RAW_TEXT_TAG = re.compile(rf"</?({'|'.join(RAW_TEXT_TAGS)})\b[^>]*>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_H1_TAG = re.compile(r"<(/?)h1([\s>])")
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)


# Words the table wrapper needs, filled in at display time in the reader's language (see fill_placeholders).
_TABLE_LABEL = "{{table-scroll-label}}"
_TABLE_HINT = "{{table-scroll-hint}}"


def _scrollable_tables(cleaned: str) -> str:
    """Each table in a region that scrolls sideways on a narrow screen: reachable and scrollable from the
    keyboard (tabindex, named region) and with a visible hint on a phone (portal.css shows `data-hint`)."""
    return _TABLE.sub(
        lambda m: f'<div class="table-scroll-wrap" data-hint="{_TABLE_HINT}">'
        f'<div class="table-scroll" role="region" tabindex="0" aria-label="{_TABLE_LABEL}">{m.group(0)}</div></div>',
        cleaned,
    )


def _demote_h1(rendered: str) -> str:
    # The page title is the page's only h1; "# Heading" in a body becomes a section heading.
    return _H1_TAG.sub(lambda m: f"<{m.group(1)}h2{m.group(2)}", rendered)


@dataclass
class Rendered:
    html: str
    # What the sanitiser took out, for the editor: "<style> с содержимым", "<iframe>", "onclick в <p>"…
    removed: list[str] = field(default_factory=list)


def _note(removed: list[str], item: str) -> None:
    if item not in removed:
        removed.append(item)


def _take_out_raw_text_elements(rendered: str, removed: list[str]) -> str:
    # Repeat until nothing changes: removing "<script>" from "<scr<script>ipt>" forms a new tag.
    while True:
        before = rendered
        for match in _CODE_ELEMENT.finditer(rendered):
            _note(removed, f"<{match.group(1).lower()}> с содержимым")
        rendered = _CODE_ELEMENT.sub("", rendered)
        for match in _RAW_TEXT_TAG.finditer(rendered):
            _note(removed, f"<{match.group(1).lower()}>")
        rendered = _RAW_TEXT_TAG.sub("", rendered)
        if rendered == before:
            return rendered


class _Disallowed(HTMLParser):
    """Lists the tags, attributes and links of a fragment that the allow-list will drop."""

    def __init__(self, removed: list[str]):
        super().__init__(convert_charrefs=True)
        self.removed = removed

    def handle_starttag(self, tag, attrs):
        if tag == "h1":
            return  # demoted to h2, not removed
        if tag not in ALLOWED_TAGS:
            _note(self.removed, f"<{tag}>")
            return
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                _note(self.removed, f"{name} в <{tag}>")
            elif name == "href" and value and ":" in value.split("/", 1)[0]:
                scheme = value.split(":", 1)[0].strip().lower()
                if scheme not in ALLOWED_URL_SCHEMES:
                    _note(self.removed, f"ссылка {scheme}:")

    handle_startendtag = handle_starttag


def _markdown(source: str) -> str:
    return markdown.markdown(source, extensions=["tables", "sane_lists"], output_format="html")


def _has_unclosed_raw_text_tag(rendered: str) -> bool:
    tags = [(m.group(0).startswith("</"), m.group(1).lower()) for m in _RAW_TEXT_TAG.finditer(rendered)]
    return any(tags.count((False, name)) > tags.count((True, name)) for _closing, name in tags)


def render(source: str) -> Rendered:
    """Markdown → sanitised HTML fragment (safe to store and mark safe), with what was removed."""
    removed: list[str] = []
    rendered = _markdown(source or "")
    if _has_unclosed_raw_text_tag(rendered):
        # Markdown passed everything after the unclosed tag through as one raw HTML block: take the
        # tags out of the source instead, so that the text after them is still Markdown (paragraphs, lists).
        rendered = _markdown(_take_out_raw_text_elements(source, removed))
    rendered = _take_out_raw_text_elements(rendered, removed)
    if _COMMENT.search(rendered):
        _note(removed, "HTML-комментарии")
    _Disallowed(removed).feed(rendered)
    cleaned = nh3.clean(
        _demote_h1(rendered),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return Rendered(html=_scrollable_tables(cleaned), removed=removed)


def render_markdown(source: str) -> str:
    """The sanitised HTML alone (the seed migration stores it this way)."""
    return render(source).html


def plain_text(rendered_html: str) -> str:
    """Visible text of a sanitised fragment, for search and descriptions."""
    return _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", rendered_html))).strip()


def placeholders() -> dict[str, str]:
    """Values editors may reference in texts; they come from settings, never from the text."""
    return {
        "{компания}": settings.PORTAL_COMPANY_NAME,
        "{телефон}": settings.PORTAL_SUPPORT_PHONE,
        "{почта}": settings.PORTAL_SUPPORT_EMAIL,
    }


def fill_placeholders(fragment: str) -> SafeString:
    """Put the company's contacts into a stored, sanitised fragment at display time."""
    for token, value in placeholders().items():
        fragment = fragment.replace(token, escape(value))
    fragment = fragment.replace(_TABLE_LABEL, escape(gettext("Таблица, прокручивается по горизонтали")))
    fragment = fragment.replace(_TABLE_HINT, escape(gettext("Прокрутите таблицу вправо →")))
    return mark_safe(fragment)  # noqa: S308 - sanitised by render_markdown, values escaped above
