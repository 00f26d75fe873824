"""System checks of billing's settings."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def payment_provider_check(app_configs, **kwargs):
    """A payment provider named but unusable (a wrong class path, YooKassa without its keys): online payment is
    off, and `manage.py check` says so, not a log line on every page."""
    from billing.payments import provider_problem

    if not getattr(settings, "PAYMENTS_PROVIDER", ""):
        return []
    problem = provider_problem()
    if problem is None:
        return []
    return [
        Warning(
            f"Online payments are off: {problem}.",
            hint="Set PAYMENTS_PROVIDER to a provider's class and its settings (YOOKASSA_SHOP_ID, "
            "YOOKASSA_SECRET_KEY), or leave it empty to take no payments online.",
            id="billing.W001",
        )
    ]
