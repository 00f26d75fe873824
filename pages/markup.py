"""Editors write Markdown; visitors get sanitised HTML.

Markdown allows raw HTML, so everything it produces goes through nh3 (an
allow-list sanitiser): no scripts, no event handlers, no `style`, no iframes,
only http(s), mailto and tel links. Headings are shifted down one level so that
a page keeps a single h1 (the page title) whatever the editor wrote.
"""

import html
import re

import markdown
import nh3
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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

_HEADING_TAG = re.compile(r"<(/?)h([1-5])([\s>])")
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


def _shift_headings(rendered: str) -> str:
    # "# Title" in the body would make a second h1; h1..h5 become h2..h6.
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}{m.group(3)}", rendered)


def render_markdown(source: str) -> str:
    """Markdown → sanitised HTML fragment (a plain str, safe to store and mark safe)."""
    rendered = markdown.markdown(source or "", extensions=["tables", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        _shift_headings(rendered),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return cleaned


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
    return mark_safe(fragment)  # noqa: S308 - sanitised by render_markdown, values escaped above
