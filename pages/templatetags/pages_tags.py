from django import template
from django.conf import settings

from pages.models import Document, News

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's one address: the configured site origin (or this request's), the path, and ?page= past the first."""
    request = context["request"]
    origin = settings.PAGES_SITE_URL.rstrip("/") or f"{request.scheme}://{request.get_host()}"
    url = f"{origin}{request.path}"
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        url += f"?page={int(page)}"
    category = request.GET.get("category", "")
    if category in Document.Category.values:
        url += ("&" if "?" in url else "?") + f"category={category}"
    kind = request.GET.get("kind", "")
    if kind in News.Kind.values:
        url += ("&" if "?" in url else "?") + f"kind={kind}"
    return url


@register.filter
def contacts_filled(fragment):
    """Stored sanitised HTML with {телефон}, {почта}, {компания} filled in from settings."""
    from pages.markup import fill_placeholders

    return fill_placeholders(fragment or "")
