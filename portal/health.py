"""Readiness checks for load balancers: the database must answer, the broker should."""

from django.conf import settings
from django.db import connection
from kombu import Connection


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False
    return True


def broker_transport_options() -> dict:
    """The broker's options with every network wait cut to HEALTHZ_BROKER_TIMEOUT_SECONDS."""
    timeout = settings.HEALTHZ_BROKER_TIMEOUT_SECONDS
    options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        options.update(socket_connect_timeout=timeout, socket_timeout=timeout)
    return options


def broker_ok() -> bool:
    """Connect and talk to the broker once (a hung Redis accepts the connection, then never answers)."""
    timeout = settings.HEALTHZ_BROKER_TIMEOUT_SECONDS
    try:
        with Connection(
            settings.CELERY_BROKER_URL, transport_options=broker_transport_options(), connect_timeout=timeout
        ) as conn:
            conn.ensure_connection(max_retries=0, timeout=timeout)
    except Exception:  # noqa: BLE001
        return False
    return True
