import re

from django import template

from notifications import selectors

register = template.Library()


@register.inclusion_tag("notifications/bell.html", takes_context=True)
def notification_bell(context):
    user = context["request"].user
    return {"unread": selectors.unread_count(user) if user.is_authenticated else 0}


@register.simple_tag(takes_context=True)
def unread_notification_count(context):
    user = context["request"].user
    return selectors.unread_count(user) if user.is_authenticated else 0


# Staff often open their text with a greeting; quoted in an email that already
# greets the person by name, it would greet them twice.
_GREETING = re.compile(
    r"\A\s*(?:"
    r"(?:здравствуйте|добрый\s+день|добрый\s+вечер|доброе\s+утро)(?:[ \t]*,[^\n.!?]{0,60})?[ \t]*(?:[.!]|(?=\n)|\Z)"
    r"|уважаем(?:ый|ая|ые)\b[^\n.!?]{0,60}(?:!|(?=\n))"
    r")\s*",
    re.IGNORECASE,
)


@register.filter
def without_greeting(text):
    """Staff-written text with its own opening greeting removed (the email's layout greets once)."""
    text = str(text or "")
    stripped = _GREETING.sub("", text, count=1)
    return stripped if stripped.strip() else text
