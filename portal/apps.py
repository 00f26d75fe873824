from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from core.admin import use_safe_changelists
        from portal import checks  # noqa: F401 - registers the deployment checks

        # A bad filter value in any admin list's address resets the filter instead of a 500.
        use_safe_changelists()
