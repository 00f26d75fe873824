from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from django.db.backends.signals import connection_created

        from core.admin import use_safe_changelists
        from core.sql import register_sqlite_functions
        from portal import checks  # noqa: F401 - registers the deployment checks

        # A bad filter value in any admin list's address resets the filter instead of a 500.
        use_safe_changelists()
        # Percentiles on SQLite (core/sql.py): PostgreSQL has them built in.
        connection_created.connect(register_sqlite_functions, dispatch_uid="core.sql.sqlite_functions")
