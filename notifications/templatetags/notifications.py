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
