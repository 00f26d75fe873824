"""Template tags for pages outside the cabinet that mention paying (the public payment page's actions)."""

from django import template

from billing.payments import provider_configured

register = template.Library()


@register.simple_tag
def online_payment_available() -> bool:
    """Whether a page may offer paying online: a payment provider is configured and usable."""
    return provider_configured()
