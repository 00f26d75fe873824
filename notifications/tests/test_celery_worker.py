"""End to end: notify() commits, the task goes through the real Redis, a real worker sends the email."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from accounts.tests.factories import UserFactory
from notifications import services
from notifications.models import Channel, Notification
from notifications.tests.smtp import ScriptedHandler, smtp_server

BASE_DIR = Path(settings.BASE_DIR)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"),
        reason="needs CELERY_BROKER_URL pointing at Redis (CI sets it)",
    ),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker process needs a shared database"),
]


def database_url():
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def smtp(settings):
    with smtp_server(settings, ScriptedHandler()) as handler:
        yield handler


@pytest.fixture
def worker(smtp, settings, tmp_path):
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
        "PORTAL_COMPANY_NAME": settings.PORTAL_COMPANY_NAME,
        "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable, "-m", "celery", "-A", "portal", "worker",
            "--pool=solo", "--without-heartbeat", "--without-gossip", "--without-mingle",
            "--loglevel=INFO", f"--hostname=itest-{os.getpid()}@%h",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_committed_notification_is_delivered_by_a_real_worker_through_redis(worker, smtp, tmp_path):
    user = UserFactory()
    with transaction.atomic():
        rows = services.notify(
            recipient=user, event="test.hello", context={"number": "2026-000001", "title": "Т"}, dedup_key="e2e"
        )
    email = next(row for row in rows if row.channel == Channel.EMAIL)

    delivered = wait_for(lambda: Notification.objects.get(pk=email.pk).status == Notification.Status.SENT)

    assert delivered, (tmp_path / "worker.log").read_text()
    assert worker.poll() is None
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["To"] == user.email
    assert smtp.messages[0]["Message-ID"] == email.message_id
