"""Work deferred until the response is sent (core/after_response.py)."""

import logging

from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from core.after_response import after_response

log = []


def _deferring_view(request):
    after_response(lambda: log.append("first"))
    after_response(_failing)
    after_response(lambda: log.append("second"))
    log.append("view")
    return HttpResponse("ok")


def _failing():
    raise RuntimeError("the broker is away")


urlpatterns = [path("defer/", _deferring_view)]


def test_outside_a_request_the_work_is_done_at_once():
    done = []
    after_response(lambda: done.append(1))
    assert done == [1]


@override_settings(ROOT_URLCONF=__name__)
def test_in_a_request_the_work_runs_after_the_response_in_order_and_a_failure_stops_nothing(client, caplog):
    log.clear()
    with caplog.at_level(logging.ERROR, logger="core.after_response"):
        response = client.get("/defer/")
    assert response.status_code == 200
    assert log == ["view", "first", "second"]
    assert "the broker is away" in caplog.text
    # The request is over: work deferred now is done at once again.
    after_response(lambda: log.append("later"))
    assert log[-1] == "later"
