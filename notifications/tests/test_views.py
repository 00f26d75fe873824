import pytest
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import StaffFactory, UserFactory
from notifications import services
from notifications.models import Channel, Notification, NotificationPreference, NotificationProfile
from notifications.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def inbox_message(user, n, link=""):
    (row,) = services.notify(
        recipient=user,
        event="test.hello",
        context={"number": f"N-{n}", "title": "т"},
        dedup_key=f"{user.pk}:{n}",
        channels=[Channel.INAPP],
        link=link,
        now=NOW,
    )
    return row


@pytest.fixture
def customer_a():
    return UserFactory()


@pytest.fixture
def customer_b():
    return UserFactory()


@pytest.fixture
def staff():
    return StaffFactory()


def test_the_bell_costs_one_query(customer_a, django_assert_num_queries):
    for n in range(3):
        inbox_message(customer_a, n)
    request = RequestFactory().get("/")
    request.user = customer_a
    template = engines["django"].from_string("{% load notifications %}{% notification_bell %}")

    with django_assert_num_queries(1):
        html = template.render({"request": request})

    assert "Уведомления, непрочитанных: 3" in html


def test_the_bell_is_on_every_page_for_a_logged_in_user(client, customer_a):
    inbox_message(customer_a, 1)
    client.force_login(customer_a)
    html = client.get(reverse("home")).content.decode()
    assert reverse("notifications:inbox") in html
    assert "Уведомления, непрочитанных: 1" in html


def test_inbox_lists_only_the_users_own_messages_with_a_constant_query_count(client, customer_a, customer_b):
    for n in range(3):
        inbox_message(customer_a, n)
    inbox_message(customer_b, 99)
    client.force_login(customer_a)

    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "N-0" in html and "N-2" in html
    assert "N-99" not in html

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:inbox"))
    for n in range(3, 45):
        inbox_message(customer_a, n)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("notifications:inbox") + "?page=2")
    assert len(many) == len(few)
    assert response.context["page"].paginator.num_pages == 3


def test_marking_one_read_works_only_for_its_owner(client, customer_a, customer_b, staff):
    row = inbox_message(customer_a, 1)
    url = reverse("notifications:mark_read", args=[row.pk])

    for other in (customer_b, staff):
        client.force_login(other)
        assert client.post(url).status_code == 404
    row.refresh_from_db()
    assert row.read_at is None

    client.force_login(customer_a)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:inbox")
    row.refresh_from_db()
    assert row.read_at is not None


def test_opening_a_message_marks_it_read_and_follows_only_local_links(client, customer_a):
    row = inbox_message(customer_a, 1, link="/cabinet/")
    client.force_login(customer_a)
    url = reverse("notifications:mark_read", args=[row.pk])

    assert client.post(url, {"next": "/cabinet/"})["Location"] == "/cabinet/"
    assert client.post(url, {"next": "https://evil.example.com/"})["Location"] == reverse("notifications:inbox")


def test_mark_all_read_touches_only_the_users_messages(client, customer_a, customer_b):
    for n in range(3):
        inbox_message(customer_a, n)
    theirs = inbox_message(customer_b, 9)
    client.force_login(customer_a)

    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert "Все уведомления отмечены прочитанными." in response.content.decode()
    assert not Notification.objects.filter(recipient=customer_a, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_pages_need_a_login(client):
    for name in ("notifications:inbox", "notifications:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302


def test_preferences_page_shows_legal_messages_locked_on(client, customer_a):
    client.force_login(customer_a)
    html = client.get(reverse("notifications:preferences")).content.decode()

    assert "Обязательное событие" in html
    assert "обязательно" in html
    assert 'name="test.legal:email"' not in html
    assert 'name="test.hello:email"' in html
    # Staff events are not offered to customers.
    assert "Событие для сотрудников" not in html


def test_staff_also_tune_staff_events(client, staff):
    client.force_login(staff)
    assert "Событие для сотрудников" in client.get(reverse("notifications:preferences")).content.decode()


def test_saving_preferences(client, customer_a):
    client.force_login(customer_a)
    response = client.post(
        reverse("notifications:preferences"),
        # test.hello:email unchecked, test.hello:inapp checked, a forged switch for a legal message.
        {"test.hello:inapp": "on", "test.legal:email": "", "language": "en"},
    )
    assert response.status_code == 302
    stored = {
        (p.event, p.channel): p.enabled for p in NotificationPreference.objects.filter(user=customer_a)
    }
    assert stored[("test.hello", Channel.EMAIL)] is False
    assert stored[("test.hello", Channel.INAPP)] is True
    assert ("test.legal", Channel.EMAIL) not in stored
    assert NotificationProfile.objects.get(user=customer_a).language == "en"


def test_a_bad_language_is_explained_and_nothing_is_saved(client, customer_a):
    client.force_login(customer_a)
    response = client.post(reverse("notifications:preferences"), {"language": "xx"})
    assert response.status_code == 200
    assert "Выберите язык из списка." in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_the_cabinet_links_to_notifications(client, customer_a):
    client.force_login(customer_a)
    html = client.get(reverse("cabinet")).content.decode()
    assert reverse("notifications:preferences") in html


def test_admin_resend_action(client, customer_a):
    admin_user = StaffFactory(is_superuser=True)
    rows = services.notify(recipient=customer_a, event="test.hello", context={"number": 1}, dedup_key="k", now=NOW)
    email = next(row for row in rows if row.channel == Channel.EMAIL)
    Notification.objects.filter(pk=email.pk).update(status=Notification.Status.FAILED, attempts=3)
    client.force_login(admin_user)

    changelist = reverse("admin:notifications_notification_changelist")
    assert client.get(changelist + "?status__exact=failed").status_code == 200
    assert client.get(reverse("admin:notifications_notification_change", args=[email.pk])).status_code == 200
    response = client.post(changelist, {"action": "resend", "_selected_action": [email.pk]}, follow=True)

    assert "поставлено в очередь повторно" in response.content.decode()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Notification.Status.PENDING, 0)


def test_staff_see_their_unread_notices_in_the_admin_header(client):
    operator = StaffFactory()
    inbox_message(operator, 1)
    client.force_login(operator)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Уведомления, непрочитанных: 1" in html
    assert reverse("notifications:inbox") in html
