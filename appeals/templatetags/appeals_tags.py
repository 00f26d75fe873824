import re

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()

STATUS_BADGES = {
    "registered": "text-bg-secondary",
    "in_progress": "text-bg-primary",
    "waiting_for_customer": "text-bg-warning",
    "answered": "text-bg-success",
    "closed": "text-bg-light border",
    "withdrawn": "text-bg-light border",
    "redirected": "text-bg-info",
    "reopened": "text-bg-primary",
}


@register.filter
def unbroken(number):
    """An appeal number that a narrow screen does not break at its hyphen (copying it keeps the hyphen)."""
    return format_html('<span class="text-nowrap">{}</span>', number)


@register.filter
def status_badge(status):
    return STATUS_BADGES.get(status, "text-bg-secondary")


# Short references to Russian law, as stored on an appeal ("ПП 354, п. 31 «к»"), spelt out for other languages.
_LAW_WORDS = [
    (re.compile(r"(\d+)-ФЗ"), r"\1-FZ"),
    (re.compile(r"\bПП (\d+)"), r"Decree \1"),
    (re.compile(r"\bЗакон (\d)"), r"Law \1"),
    (re.compile(r"\bст\. "), "art. "),
    (re.compile(r"\bч\. "), "part "),
    (re.compile(r"\bп\. "), "cl. "),
    (re.compile(r" и "), " and "),
]
_CLAUSE_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
}  # fmt: skip
_CLAUSE = re.compile(r" «([а-я])(\(\d+\))?»")


@register.filter
def legal_reference(value):
    """A stored legal reference in the active language; unchanged in Russian or when it cannot be spelt out."""
    if not value or (get_language() or "ru").startswith("ru"):
        return value
    text = value
    for pattern, replacement in _LAW_WORDS:
        text = pattern.sub(replacement, text)
    text = _CLAUSE.sub(lambda m: f"({_CLAUSE_LETTERS.get(m.group(1), m.group(1))}{m.group(2) or ''})", text)
    return value if re.search("[А-Яа-яЁё]", text) else text
