"""A broker that cannot be reached, for the "Redis is down" tests."""

import pytest
from celery import Celery


@pytest.fixture
def unreachable_broker(settings, monkeypatch):
    """Point task publishing at a closed port for the duration of the test."""
    from portal.celery import app as portal_app

    # Celery lets this variable override any configured broker URL.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:9/0")
    broken = Celery("portal-broken", set_as_current=False)
    broken.config_from_object("django.conf:settings", namespace="CELERY")
    broken.conf.broker_url = "redis://127.0.0.1:9/0"
    broken.conf.broker_transport_options = {"socket_connect_timeout": 2, "socket_timeout": 2}
    broken.set_current()
    broken.autodiscover_tasks(["notifications"], force=True)
    try:
        yield broken
    finally:
        portal_app.set_current()
