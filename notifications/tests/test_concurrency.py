"""Claims under real concurrency: only PostgreSQL has row locks to skip."""

import threading

import pytest
from django.db import connection, connections, transaction

from accounts.tests.factories import UserFactory
from notifications import services
from notifications.models import Channel, Notification
from notifications.tests.conftest import NOW

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks with SKIP LOCKED need PostgreSQL"),
]


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    # Outside a test transaction on_commit runs at once; these tests claim by hand.
    monkeypatch.setattr(services, "enqueue_delivery", lambda ids: None)


def test_two_claimers_in_threads_never_take_the_same_row():
    user = UserFactory()
    for n in range(120):
        services.notify(recipient=user, event="test.hello", context={"number": n}, dedup_key=f"k{n}", now=NOW)
    barrier = threading.Barrier(2)
    taken = {0: [], 1: []}
    errors = []

    def claimer(index):
        try:
            barrier.wait(timeout=10)
            while rows := services.claim_due(now=NOW, limit=7):
                taken[index].extend(row.pk for row in rows)
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claimer, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert set(taken[0]).isdisjoint(taken[1])
    all_taken = taken[0] + taken[1]
    assert len(all_taken) == len(set(all_taken)) == 120
    assert Notification.objects.filter(channel=Channel.EMAIL, status=Notification.Status.SENDING).count() == 120


def test_a_claimer_skips_rows_another_transaction_holds():
    user = UserFactory()
    for n in range(4):
        services.notify(recipient=user, event="test.hello", context={"number": n}, dedup_key=f"k{n}", now=NOW)
    locked = list(
        Notification.objects.filter(channel=Channel.EMAIL).order_by("pk").values_list("pk", flat=True)[:2]
    )
    other = {}
    holding = threading.Event()
    release = threading.Event()

    def holder():
        try:
            with transaction.atomic():
                list(Notification.objects.select_for_update().filter(pk__in=locked))
                holding.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=holder)
    thread.start()
    assert holding.wait(timeout=10)
    try:
        other["rows"] = services.claim_due(now=NOW, limit=10)
    finally:
        release.set()
        thread.join(timeout=10)

    claimed = {row.pk for row in other["rows"]}
    assert len(claimed) == 2
    assert claimed.isdisjoint(locked)
