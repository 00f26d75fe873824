from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Начисления и оплата")

    def ready(self):
        # Billing's entities join the one billing import (contracts.imports): same command, same admin page.
        from billing import checks, importers  # noqa: F401 - checks registers the system checks

        importers.register()
