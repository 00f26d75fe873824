import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.middleware import RENEWED_KEY, SESSION_STARTED_KEY
from accounts.models import User
from accounts.tests.conftest import last_link
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.helpers import field_errors

pytestmark = pytest.mark.django_db

CONFIRM_LINK = r"/accounts/email/confirm/(?P<token>[^/\s]+)/"
CHANGE_LINK = r"/accounts/email/change/confirm/(?P<token>[^/\s]+)/"
RESET_LINK = r"/accounts/password/reset/[^/\s]+/(?P<token>[^/\s]+)/"


def login(client, email, password=DEFAULT_PASSWORD):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


@pytest.fixture
def unconfirmed(consent_document):
    return services.register_resident(
        email="new@example.ru",
        password=DEFAULT_PASSWORD,
        last_name="Новикова",
        first_name="Ольга",
        consent_document=consent_document,
        ip_address=None,
        site_url="http://testserver/",
    )


class TestEmailConfirmation:
    def test_link_confirms_once_with_a_button(self, client, unconfirmed):
        path, _ = last_link(CONFIRM_LINK)
        page = client.get(path)
        assert page.status_code == 200
        assert "Подтвердить почту" in page.content.decode()
        unconfirmed.refresh_from_db()
        assert not unconfirmed.email_confirmed  # opening the link alone changes nothing

        response = client.post(path, follow=True)
        assert response.redirect_chain[-1][0] == reverse("accounts:login")
        assert "Почта подтверждена" in response.content.decode()
        unconfirmed.refresh_from_db()
        confirmed_at = unconfirmed.email_confirmed_at
        assert confirmed_at is not None

        again = client.post(path, follow=True)
        assert "уже подтверждена" in again.content.decode()
        unconfirmed.refresh_from_db()
        assert unconfirmed.email_confirmed_at == confirmed_at

    def test_tampered_link_is_refused(self, client, unconfirmed):
        path, token = last_link(CONFIRM_LINK)
        response = client.post(path.replace(token, token[:-2] + "xx"))
        assert response.status_code == 400
        assert "Ссылка недействительна" in response.content.decode()
        unconfirmed.refresh_from_db()
        assert not unconfirmed.email_confirmed

    def test_expired_link_is_refused(self, client, unconfirmed, settings):
        path, _ = last_link(CONFIRM_LINK)
        settings.ACCOUNTS_EMAIL_LINK_MAX_AGE = -1
        assert client.post(path).status_code == 400
        unconfirmed.refresh_from_db()
        assert not unconfirmed.email_confirmed

    def test_link_for_an_old_address_does_not_confirm_a_new_one(self, client, unconfirmed):
        path, _ = last_link(CONFIRM_LINK)
        User.objects.filter(pk=unconfirmed.pk).update(email="other@example.ru")
        assert client.post(path).status_code == 400

    def test_resend_sends_a_fresh_link_only_to_unconfirmed_accounts(self, client, unconfirmed):
        mail.outbox.clear()
        UserFactory(email="done@example.ru")
        for email in ("NEW@example.ru", "done@example.ru", "nobody@example.ru"):
            response = client.post(reverse("accounts:email_resend"), {"email": email}, follow=True)
            assert "мы отправили на неё новую ссылку" in response.content.decode()
        assert [m.to for m in mail.outbox] == [["new@example.ru"]]


class TestLogin:
    def test_confirmed_user_logs_in_to_the_cabinet(self, client):
        UserFactory(email="ok@example.ru")
        response = login(client, "OK@example.ru")
        assert response.status_code == 302
        assert response["Location"] == reverse("cabinet")

    def test_unconfirmed_login_is_refused_with_a_resend_link(self, client, unconfirmed):
        response = login(client, "new@example.ru")
        assert response.status_code == 200
        content = response.content.decode()
        assert "Сначала подтвердите электронную почту" in content
        assert reverse("accounts:email_resend") + "?email=new%40example.ru" in content
        assert "_auth_user_id" not in client.session

    def test_wrong_password_message(self, client):
        UserFactory(email="ok@example.ru")
        response = login(client, "ok@example.ru", "wrong-password-123")
        assert "Неверная электронная почта или пароль" in response.content.decode()

    def test_lockout_after_five_failures_in_any_letter_case(self, client):
        UserFactory(email="victim@example.ru")
        for attempt in range(4):
            email = "victim@example.ru" if attempt % 2 else "VICTIM@Example.ru"
            assert login(client, email, "wrong-password-123").status_code == 200
        fifth = login(client, "victim@example.ru", "wrong-password-123")
        assert fifth.status_code == 429
        # Even the right password is refused now, with a clear Russian page.
        response = login(client, "victim@example.ru")
        assert response.status_code == 429
        content = response.content.decode()
        assert "Вход временно заблокирован" in content
        assert "30 минут" in content
        assert "_auth_user_id" not in client.session

    def test_failures_older_than_thirty_minutes_are_forgotten(self, client):
        from datetime import timedelta

        from axes.models import AccessAttempt
        from django.utils import timezone

        UserFactory(email="victim@example.ru")
        for _ in range(4):
            login(client, "victim@example.ru", "wrong-password-123")
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
        assert login(client, "victim@example.ru", "wrong-password-123").status_code == 200
        assert login(client, "victim@example.ru").status_code == 302

    def test_lockout_is_per_account(self, client):
        UserFactory(email="victim@example.ru")
        UserFactory(email="colleague@example.ru")
        for _ in range(5):
            login(client, "victim@example.ru", "wrong-password-123")
        assert login(client, "colleague@example.ru").status_code == 302

    def test_login_is_rate_limited_per_address(self, client, settings):
        settings.ACCOUNTS_LOGIN_RATE = "3/m"
        for n in range(3):
            login(client, f"someone{n}@example.ru", "wrong-password-123")
        response = login(client, "someone9@example.ru", "wrong-password-123")
        assert response.status_code == 429
        assert "Слишком много попыток" in response.content.decode()

    def test_logout(self, client):
        client.force_login(UserFactory())
        client.post(reverse("accounts:logout"))
        assert client.get(reverse("cabinet")).status_code == 302


class TestSessions:
    def test_idle_and_absolute_limits(self, settings):
        assert settings.SESSION_COOKIE_AGE == 30 * 60
        assert settings.SESSION_RENEW_SECONDS == 60
        assert settings.SESSION_ABSOLUTE_LIFETIME == 12 * 60 * 60

    def _expire_date(self, client):
        from django.contrib.sessions.models import Session

        return Session.objects.get(session_key=client.session.session_key).expire_date

    def test_an_active_session_is_renewed_at_most_once_a_minute(self, client, django_assert_num_queries):
        UserFactory(email="ok@example.ru")
        login(client, "ok@example.ru")
        first = self._expire_date(client)
        # Within the minute after the last renewal a page writes nothing: the session stays as it was.
        client.get(reverse("cabinet"))
        assert self._expire_date(client) == first
        assert "sessionid" not in client.get(reverse("cabinet")).cookies
        # A minute later the next page renews it: a later expiry, a fresh cookie.
        session = client.session
        session[RENEWED_KEY] = time.time() - 61
        session.save()
        before = self._expire_date(client)
        response = client.get(reverse("cabinet"))
        assert response.cookies["sessionid"]["max-age"] == 30 * 60
        assert self._expire_date(client) >= before
        assert time.time() - client.session[RENEWED_KEY] < 5

    def test_a_session_idle_for_half_an_hour_has_ended(self, client):
        from datetime import timedelta

        from django.contrib.sessions.models import Session
        from django.utils import timezone

        UserFactory(email="ok@example.ru")
        login(client, "ok@example.ru")
        assert client.get(reverse("cabinet")).status_code == 200
        # Its last renewal was 30 minutes ago: the stored session expired, the person logs in again.
        Session.objects.filter(session_key=client.session.session_key).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
        response = client.get(reverse("cabinet"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_a_visitor_without_a_session_gets_none(self, client):
        response = client.get(reverse("home"))
        assert "sessionid" not in response.cookies

    def test_session_ends_twelve_hours_after_login_however_active(self, client):
        UserFactory(email="ok@example.ru")
        login(client, "ok@example.ru")
        assert client.get(reverse("cabinet")).status_code == 200
        session = client.session
        session[SESSION_STARTED_KEY] = time.time() - 12 * 60 * 60 + 60
        session.save()
        assert client.get(reverse("cabinet")).status_code == 200
        session = client.session
        session[SESSION_STARTED_KEY] = time.time() - 12 * 60 * 60 - 1
        session.save()
        response = client.get(reverse("cabinet"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


class TestPasswords:
    def test_reset_by_email(self, client):
        user = UserFactory(email="forgot@example.ru")
        response = client.post(reverse("accounts:password_reset"), {"email": "Forgot@example.ru"})
        assert response["Location"] == reverse("accounts:password_reset_done")
        assert len(mail.outbox) == 1
        assert "Восстановление пароля" in mail.outbox[0].subject
        path, _ = last_link(RESET_LINK)
        form_page = client.get(path, follow=True)
        set_password_url = form_page.redirect_chain[-1][0]
        new_password = "Новый-надёжный-пароль-2026"
        done = client.post(set_password_url, {"new_password1": new_password, "new_password2": new_password})
        assert done["Location"] == reverse("accounts:password_reset_complete")
        user.refresh_from_db()
        assert user.check_password(new_password)
        # The link worked once.
        assert "Ссылка недействительна" in client.get(path, follow=True).content.decode()

    def test_reset_for_unknown_address_says_the_same_and_sends_nothing(self, client):
        response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.ru"})
        assert response["Location"] == reverse("accounts:password_reset_done")
        assert mail.outbox == []

    def test_change_checks_the_rules(self, client):
        user = UserFactory()
        client.force_login(user)
        url = reverse("accounts:password_change")
        short = client.post(
            url, {"old_password": DEFAULT_PASSWORD, "new_password1": "short1", "new_password2": "short1"}
        )
        # Django reports password rules under the confirmation field.
        assert "12 символов" in field_errors(short, "new_password2")
        new_password = "Новый-надёжный-пароль-2026"
        ok = client.post(
            url, {"old_password": DEFAULT_PASSWORD, "new_password1": new_password, "new_password2": new_password}
        )
        assert ok["Location"] == reverse("accounts:password_change_done")
        user.refresh_from_db()
        assert user.check_password(new_password)


class TestProfile:
    def test_edit_name_and_phone(self, client):
        user = UserFactory()
        client.force_login(user)
        data = {"last_name": "Петрова", "first_name": "Ирина", "patronymic": "", "phone": "8 916 000-11-22"}
        assert client.post(reverse("accounts:profile"), data)["Location"] == reverse("accounts:profile")
        user.refresh_from_db()
        assert (user.last_name, user.first_name, str(user.phone)) == ("Петрова", "Ирина", "+79160001122")

    def test_a_name_with_a_link_is_refused(self, client):
        user = UserFactory(last_name="Прежняя")
        client.force_login(user)
        data = {"last_name": "Оплатите долг на pay-energo.example", "first_name": "Ирина", "phone": ""}
        response = client.post(reverse("accounts:profile"), data)
        assert "ссылки" in field_errors(response, "last_name")
        user.refresh_from_db()
        assert user.last_name == "Прежняя"

    def test_bad_phone_and_oversize_name(self, client):
        user = UserFactory(last_name="Прежняя")
        client.force_login(user)
        response = client.post(
            reverse("accounts:profile"), {"last_name": "Ж" * 151, "first_name": "Ирина", "phone": "555"}
        )
        assert "+7 и 10 цифр" in field_errors(response, "phone")
        assert "не более 150 символов" in field_errors(response, "last_name")
        user.refresh_from_db()
        assert user.last_name == "Прежняя"


class TestEmailChange:
    def test_new_address_is_confirmed_before_it_becomes_the_login(self, client):
        user = UserFactory(email="old@example.ru")
        client.force_login(user)
        response = client.post(
            reverse("accounts:email_change"), {"email": "New@Example.ru", "password": DEFAULT_PASSWORD}
        )
        assert response["Location"] == reverse("accounts:profile")
        user.refresh_from_db()
        assert user.email == "old@example.ru"
        assert mail.outbox[-1].to == ["new@example.ru"]

        path, _ = last_link(CHANGE_LINK)
        mail.outbox.clear()
        client.post(path)
        user.refresh_from_db()
        assert user.email == "new@example.ru"
        assert user.email_confirmed
        assert [m.to for m in mail.outbox] == [["old@example.ru"]]  # the old address hears about it

        # single use
        assert client.post(path).status_code == 400

    def test_address_taken_meanwhile(self, client):
        user = UserFactory(email="old@example.ru")
        client.force_login(user)
        client.post(reverse("accounts:email_change"), {"email": "new@example.ru", "password": DEFAULT_PASSWORD})
        path, _ = last_link(CHANGE_LINK)
        UserFactory(email="new@example.ru")
        response = client.post(path)
        assert response.status_code == 400
        assert "уже зарегистрирован" in response.content.decode()
        user.refresh_from_db()
        assert user.email == "old@example.ru"

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"email": "TAKEN@example.ru", "password": DEFAULT_PASSWORD}, "email", "уже зарегистрирован"),
            ({"email": "old@example.ru", "password": DEFAULT_PASSWORD}, "email", "текущий адрес"),
            ({"email": "fresh@example.ru", "password": "wrong"}, "password", "Неверный пароль"),
        ],
    )
    def test_bad_requests(self, client, data, field, message):
        UserFactory(email="taken@example.ru")
        user = UserFactory(email="old@example.ru")
        client.force_login(user)
        response = client.post(reverse("accounts:email_change"), data)
        assert message in field_errors(response, field)
        assert mail.outbox == []


class TestEmailChangeHardening:
    def test_the_password_is_checked_before_the_address_is_looked_up(self, client):
        UserFactory(email="taken@example.ru")
        client.force_login(UserFactory(email="old@example.ru"))
        response = client.post(reverse("accounts:email_change"), {"email": "taken@example.ru", "password": "wrong"})
        content = response.content.decode()
        assert "Неверный пароль" in field_errors(response, "password")
        assert "уже зарегистрирован" not in content

    def test_wrong_passwords_are_limited_per_user(self, client, settings):
        settings.ACCOUNTS_PASSWORD_CHECK_ATTEMPTS = 3
        user = UserFactory(email="old@example.ru")
        client.force_login(user)
        url = reverse("accounts:email_change")
        for _ in range(3):
            assert client.post(url, {"email": "new@example.ru", "password": "wrong"}).status_code == 200
        blocked = client.post(url, {"email": "new@example.ru", "password": DEFAULT_PASSWORD})
        assert blocked.status_code == 429
        assert "несколько раз ввели неверный пароль" in blocked.content.decode()
        assert "30 мин." in blocked.content.decode()
        assert mail.outbox == []
        # Another session of the same user is no way round it.
        other = Client()
        other.force_login(user)
        assert other.post(url, {"email": "new@example.ru", "password": DEFAULT_PASSWORD}).status_code == 429
        # The wait passes.
        from django.core.cache import cache

        key = f"accounts:password-check-failures:{user.pk}"
        state = cache.get(key)
        cache.set(key, {**state, "since": state["since"] - 30 * 60 - 1})
        assert client.post(url, {"email": "new@example.ru", "password": DEFAULT_PASSWORD}).status_code == 302

    def test_confirming_the_new_email_ends_the_other_sessions(self, client):
        user = UserFactory(email="old@example.ru")
        client.force_login(user)
        elsewhere = Client()
        elsewhere.force_login(user)
        assert elsewhere.get(reverse("accounts:profile")).status_code == 200
        client.post(reverse("accounts:email_change"), {"email": "new@example.ru", "password": DEFAULT_PASSWORD})
        path, _ = last_link(CHANGE_LINK)
        client.post(path)
        user.refresh_from_db()
        assert user.email == "new@example.ru"
        assert client.get(reverse("accounts:profile")).status_code == 200  # this session stays
        assert elsewhere.get(reverse("accounts:profile")).status_code == 302  # the other one ended

    def test_confirming_from_another_browser_ends_every_session(self, client):
        user = UserFactory(email="old@example.ru")
        client.force_login(user)
        client.post(reverse("accounts:email_change"), {"email": "new@example.ru", "password": DEFAULT_PASSWORD})
        path, _ = last_link(CHANGE_LINK)
        Client().post(path)
        assert client.get(reverse("accounts:profile")).status_code == 302
