"""A filing's email notice is handed to the broker once the person has their page (core/after_response.py)."""

import pytest
from django.urls import reverse

from appeals import views
from appeals.tests.test_views import form_data
from notifications.models import Channel, Notification
from notifications.tasks import deliver_notification

# The filing commits in the view, as in production: outside a test's own transaction.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("seeded_deadlines"),
]


def test_the_notice_reaches_the_broker_after_the_response_is_built(client, customer_a, monkeypatch):
    events = []
    monkeypatch.setattr(deliver_notification, "apply_async", lambda *a, **kw: events.append(("broker", kw["args"])))
    redirect = views.redirect

    def recording_redirect(*args, **kwargs):
        events.append(("response", None))
        return redirect(*args, **kwargs)

    monkeypatch.setattr(views, "redirect", recording_redirect)
    client.force_login(customer_a)
    response = client.post(reverse("appeals:new"), form_data())
    assert response.status_code == 302
    email = Notification.objects.get(recipient=customer_a, channel=Channel.EMAIL)
    assert events == [("response", None), ("broker", [email.pk])]
