"""Nobody locks out someone else: the pair lockout, the shared per-address rate, the per-account
slowdown and the owner's alert (accounts/login_guard.py)."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts import login_guard
from accounts.tests.factories import DEFAULT_PASSWORD, StaffFactory, UserFactory
from notifications.models import Channel, Notification
from notifications.services import notification_deliver

pytestmark = pytest.mark.django_db

OWNER_IP = "192.0.2.10"
STRANGER_IP = "203.0.113.66"
WRONG = "wrong-password-123"


def attempt(client, email, password=WRONG, *, ip, url_name="accounts:login"):
    return client.post(reverse(url_name), {"username": email, "password": password}, REMOTE_ADDR=ip)


def crowd(client, email, n, *, first=1):
    """n wrong passwords for one account, each from a different address (a botnet)."""
    return [attempt(client, email, ip=f"198.51.100.{first + i}").status_code for i in range(n)]


@pytest.mark.parametrize("url_name", ["accounts:login", "admin:login"])
def test_a_strangers_guesses_lock_the_stranger_not_the_owner(client, url_name):
    owner = StaffFactory(email="owner@example.ru", is_superuser=True)
    statuses = [attempt(client, "Owner@Example.ru", ip=STRANGER_IP, url_name=url_name).status_code for _ in range(6)]
    assert statuses[-1] == 429  # the stranger is locked …
    assert attempt(client, "owner@example.ru", DEFAULT_PASSWORD, ip=STRANGER_IP, url_name=url_name).status_code == 429
    # … and the owner, from their own address, logs in.
    response = attempt(client, "owner@example.ru", DEFAULT_PASSWORD, ip=OWNER_IP, url_name=url_name)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_the_admin_login_is_rate_limited_per_address_with_the_customer_login(client, settings):
    settings.ACCOUNTS_LOGIN_RATE = "4/m"
    for n in range(2):
        assert attempt(client, f"someone{n}@example.ru", ip=STRANGER_IP, url_name="admin:login").status_code == 200
        assert attempt(client, f"other{n}@example.ru", ip=STRANGER_IP).status_code == 200
    response = attempt(client, "someone9@example.ru", ip=STRANGER_IP, url_name="admin:login")
    assert response.status_code == 429
    assert "Слишком много попыток" in response.content.decode()
    assert attempt(client, "someone9@example.ru", ip=STRANGER_IP).status_code == 429
    # Another address is not affected.
    assert attempt(client, "someone9@example.ru", ip=OWNER_IP, url_name="admin:login").status_code == 200


def test_forty_usernames_in_a_row_on_the_admin_login_are_stopped(client):
    statuses = [
        attempt(client, f"user{n}@example.ru", ip=STRANGER_IP, url_name="admin:login").status_code for n in range(40)
    ]
    assert statuses.count(429) >= 10


class TestSlowdown:
    @pytest.fixture(autouse=True)
    def _thresholds(self, settings, monkeypatch):
        settings.ACCOUNTS_LOGIN_SLOWDOWN_AFTER = 4
        settings.ACCOUNTS_LOGIN_SLOWDOWN_MAX_SECONDS = 60
        settings.ACCOUNTS_LOGIN_ALERT_AFTER = 100
        self.now = 1_800_000_000.0
        monkeypatch.setattr(login_guard, "_clock", lambda: self.now)

    def test_a_crowd_of_addresses_is_slowed_down_progressively(self, client):
        UserFactory(email="owner@example.ru")
        assert crowd(client, "owner@example.ru", 4) == [200] * 4
        # From now on an unknown address waits after each failure, longer and longer.
        slowed = attempt(client, "owner@example.ru", ip="198.51.100.200")
        assert slowed.status_code == 429
        assert "Попробуйте снова после" in slowed.content.decode()
        assert int(slowed["Retry-After"]) == 1
        assert [login_guard.delay_after(n) for n in range(3, 12)] == [0, 1, 2, 4, 8, 16, 32, 60, 60]

    def test_the_wait_passes(self, client):
        UserFactory(email="owner@example.ru")
        assert crowd(client, "owner@example.ru", 6) == [200] * 4 + [429] * 2  # the clock stands still
        self.now += 1
        assert attempt(client, "owner@example.ru", ip="198.51.100.201").status_code == 200  # a 5th guess …
        self.now += 1
        assert attempt(client, "owner@example.ru", ip="198.51.100.202").status_code == 429  # … now waits 2 s
        self.now += 1
        assert attempt(client, "owner@example.ru", DEFAULT_PASSWORD, ip="198.51.100.203").status_code == 302

    def test_the_owner_from_a_known_address_is_not_slowed(self, client):
        UserFactory(email="owner@example.ru")
        assert attempt(client, "owner@example.ru", DEFAULT_PASSWORD, ip=OWNER_IP).status_code == 302
        client.logout()
        crowd(client, "owner@example.ru", 8)
        assert attempt(client, "owner@example.ru", DEFAULT_PASSWORD, ip="198.51.100.200").status_code == 429
        assert attempt(client, "owner@example.ru", DEFAULT_PASSWORD, ip=OWNER_IP).status_code == 302

    def test_other_accounts_are_not_slowed(self, client):
        UserFactory(email="owner@example.ru")
        UserFactory(email="colleague@example.ru")
        crowd(client, "owner@example.ru", 8)
        assert attempt(client, "colleague@example.ru", DEFAULT_PASSWORD, ip="198.51.100.200").status_code == 302

    def test_refused_attempts_are_not_counted_as_guesses(self, client, settings):
        settings.ACCOUNTS_LOGIN_SLOWDOWN_AFTER = 100
        UserFactory(email="owner@example.ru")
        for _ in range(9):  # 5 guesses, then 4 refused by the pair lockout
            attempt(client, "owner@example.ru", ip=STRANGER_IP)
        assert login_guard.failures_in_window("owner@example.ru") == 5


class TestOwnerAlert:
    @pytest.fixture(autouse=True)
    def _thresholds(self, settings):
        settings.ACCOUNTS_LOGIN_ALERT_AFTER = 3
        settings.ACCOUNTS_LOGIN_SLOWDOWN_AFTER = 100

    def emails(self, user):
        return Notification.objects.filter(recipient=user, event="accounts.login_failures", channel=Channel.EMAIL)

    def test_the_owner_is_told_once_per_window_not_per_attempt(self, client, monkeypatch):
        owner = UserFactory(email="owner@example.ru")
        crowd(client, "OWNER@example.ru", 2)
        assert not self.emails(owner).exists()
        crowd(client, "owner@example.ru", 10, first=10)
        assert self.emails(owner).count() == 1

        notification = self.emails(owner).get()
        mail.outbox.clear()
        notification_deliver(notification.pk)
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["owner@example.ru"]
        assert message.subject == "Неудачные попытки войти в вашу учётную запись"
        assert "OWNER" not in message.body  # nothing the guesser typed

        # The next window brings one more.
        later = login_guard._clock() + 24 * 60 * 60 + 1
        monkeypatch.setattr(login_guard, "_clock", lambda: later)
        crowd(client, "owner@example.ru", 5, first=40)
        assert self.emails(owner).count() == 2

    def test_guessing_an_unknown_account_alerts_nobody_and_does_not_fail(self, client):
        assert crowd(client, "nobody@example.ru", 5) == [200] * 5
        assert not Notification.objects.exists()

    def test_an_alert_failure_never_fails_the_login_page(self, client, monkeypatch):
        UserFactory(email="owner@example.ru")

        def broken(*args, **kwargs):
            raise RuntimeError("outbox down")

        monkeypatch.setattr(login_guard, "alert_owner", broken)
        assert crowd(client, "owner@example.ru", 4) == [200] * 4
