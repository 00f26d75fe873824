from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from django.core.signals import request_finished, request_started
        from django.db.backends.signals import connection_created

        from core import after_response
        from core.admin import use_safe_changelists
        from core.sql import register_sqlite_functions
        from portal import checks  # noqa: F401 - registers the deployment checks

        # A bad filter value in any admin list's address resets the filter instead of a 500.
        use_safe_changelists()
        # Percentiles on SQLite (core/sql.py): PostgreSQL has them built in.
        connection_created.connect(register_sqlite_functions, dispatch_uid="core.sql.sqlite_functions")
        # Work deferred until the response is sent (core/after_response.py).
        request_started.connect(after_response.request_started, dispatch_uid="core.after_response.started")
        request_finished.connect(after_response.request_finished, dispatch_uid="core.after_response.finished")
