"""Editors write Markdown; visitors get sanitised HTML.

Markdown allows raw HTML, so everything it produces goes through nh3 (an
allow-list sanitiser): no scripts, no event handlers, no `style`, no iframes,
only http(s), mailto and tel links. An h1 in the body becomes an h2, so that a
page keeps a single h1 (its title) whatever the editor wrote.
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

_H1_TAG = re.compile(r"<(/?)h1([\s>])")
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


def _demote_h1(rendered: str) -> str:
    # The page title is the page's only h1; "# Heading" in a body becomes a section heading.
    return _H1_TAG.sub(lambda m: f"<{m.group(1)}h2{m.group(2)}", rendered)


def render_markdown(source: str) -> str:
    """Markdown → sanitised HTML fragment (a plain str, safe to store and mark safe)."""
    rendered = markdown.markdown(source or "", extensions=["tables", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        _demote_h1(rendered),
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
