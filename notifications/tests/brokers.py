"""Brokers that fail, for the "Redis is down" and "Redis hangs" tests."""

import socket
from contextlib import contextmanager

import pytest
from celery import Celery


@pytest.fixture
def unreachable_broker(settings, monkeypatch):
    """Point task publishing at a closed port for the duration of the test."""
    with _broken_app(settings, monkeypatch, "redis://127.0.0.1:9/0") as app:
        yield app


@pytest.fixture
def hung_broker(settings, monkeypatch):
    """A "Redis" that accepts connections (the kernel's backlog does) and never answers a command."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        url = f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
        with _broken_app(settings, monkeypatch, url) as app:
            yield app


@contextmanager
def _broken_app(settings, monkeypatch, url):
    """The portal's Celery configuration with the production Redis options, publishing to `url`."""
    from portal.celery import app as portal_app

    # Celery lets this variable override any configured broker URL.
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    settings.CELERY_BROKER_URL = url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = settings.REDIS_BROKER_TRANSPORT_OPTIONS
    broken = Celery("portal-broken", set_as_current=False)
    broken.config_from_object("django.conf:settings", namespace="CELERY")
    broken.conf.broker_url = url
    broken.set_current()
    broken.autodiscover_tasks(["notifications"], force=True)
    try:
        yield broken
    finally:
        portal_app.set_current()
