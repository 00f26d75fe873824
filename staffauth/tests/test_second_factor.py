"""Staff sign in with a second factor; customers never meet it."""

import base64
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.management.commands.seed_demo import DEMO_PEOPLE
from accounts.tests.factories import DEFAULT_PASSWORD, StaffFactory, UserFactory
from staffauth import limits
from staffauth.models import SecondFactorReset
from staffauth.testing import confirmed_device, current_code

pytestmark = pytest.mark.django_db

VERIFY = "/staff/second-factor/"
SETUP = "/staff/second-factor/setup/"


def code_for_secret(secret: str) -> str:
    return f"{totp(base64.b32decode(secret)):06d}"


def enrol(client, next_url="/admin/"):
    """Opens the enrolment page, reads the secret as a person would, confirms; returns the response."""
    page = client.get(SETUP, {"next": next_url})
    secret = re.search(r'data-totp-secret="([A-Z2-7]+)"', page.content.decode()).group(1)
    return client.post(SETUP, {"code": code_for_secret(secret), "next": next_url})


@pytest.fixture
def staff(db):
    return StaffFactory(email="operator@example.ru")


@pytest.fixture
def enrolled(staff):
    return confirmed_device(staff)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/appeals/appeal/",
        "/admin/accounts/user/",
        "/admin/password_change/",
        "/admin/staffauth/secondfactorreset/",
    ],
)
def test_every_admin_page_sends_an_unverified_staff_member_to_the_second_factor(unverified_client, enrolled, path):
    unverified_client.force_login(enrolled.user)
    response = unverified_client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next={path.replace('/', '%2F')}"


def test_a_change_page_keeps_its_query_in_next(unverified_client, enrolled):
    superuser = StaffFactory(is_superuser=True)
    confirmed_device(superuser)
    unverified_client.force_login(superuser)
    path = f"/admin/accounts/user/{enrolled.user.pk}/change/?_changelist_filters=q%3Dx"
    response = unverified_client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY + "?next=")
    page = unverified_client.get(response["Location"])
    assert page.context["next"] == path


def test_first_staff_login_enrols_then_shows_recovery_codes_once(unverified_client, staff):
    response = unverified_client.post(
        reverse("admin:login") + "?next=/admin/password_change/",
        {"username": staff.email, "password": DEFAULT_PASSWORD, "next": "/admin/password_change/"},
    )
    assert response.status_code == 302
    second = unverified_client.get(response["Location"])  # the admin page: sent to the second factor
    assert second.status_code == 302 and second["Location"].startswith(VERIFY)
    verify = unverified_client.get(second["Location"])
    assert verify.status_code == 302 and verify["Location"].startswith(SETUP)  # no authenticator: enrol
    page = unverified_client.get(verify["Location"])
    html = page.content.decode()
    assert "data:image/svg+xml;base64," in html  # the QR code, drawn here
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert re.search(r'<label\s+for="id_code"', html)
    assert TOTPDevice.objects.get(user=staff).confirmed is False

    done = enrol(unverified_client, next_url="/admin/password_change/")
    assert done.status_code == 200
    codes = re.findall(r"<li data-recovery-code>(\w+)</li>", done.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert StaticToken.objects.filter(device__user=staff).count() == 10
    assert unverified_client.get("/admin/password_change/").status_code == 200
    # Shown once: the enrolment page now only sends to the code check.
    assert unverified_client.get(SETUP)["Location"].startswith(VERIFY)


def test_a_wrong_enrolment_code_is_refused_in_russian_and_nothing_is_confirmed(unverified_client, staff):
    unverified_client.force_login(staff)
    unverified_client.get(SETUP)
    response = unverified_client.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert "Неверный код" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=staff).exists()
    empty = unverified_client.post(SETUP, {"code": ""})
    assert "Введите код из приложения." in empty.content.decode()


def test_a_valid_code_lets_the_staff_member_in_and_goes_where_they_were_going(unverified_client, enrolled):
    unverified_client.force_login(enrolled.user)
    response = unverified_client.post(VERIFY, {"code": current_code(enrolled), "next": "/admin/password_change/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/password_change/"
    assert unverified_client.get("/admin/").status_code == 200


@pytest.mark.parametrize("bad_next", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"])
def test_next_off_the_site_goes_to_the_admin_index(unverified_client, enrolled, bad_next):
    unverified_client.force_login(enrolled.user)
    response = unverified_client.post(VERIFY, {"code": current_code(enrolled), "next": bad_next})
    assert response["Location"] == "/admin/"


def test_a_wrong_code_gives_a_russian_message_and_no_entry(unverified_client, enrolled):
    unverified_client.force_login(enrolled.user)
    response = unverified_client.post(VERIFY, {"code": "123456"})
    assert response.status_code == 200
    assert "Неверный код. Проверьте, что время на телефоне точное" in response.content.decode()
    assert unverified_client.get("/admin/").status_code == 302
    nothing = unverified_client.post(VERIFY, {"code": "", "recovery_code": ""})
    assert "Введите код из приложения или код восстановления." in nothing.content.decode()


def test_wrong_codes_are_limited_per_session_and_the_owner_still_signs_in(unverified_client, enrolled, settings):
    settings.STAFFAUTH_CODE_ATTEMPTS = 3
    stranger = unverified_client
    stranger.force_login(enrolled.user)
    for _attempt in range(3):
        assert stranger.post(VERIFY, {"code": "000000"}).status_code == 200
    refused = stranger.post(VERIFY, {"code": current_code(enrolled)})  # even a right code: the session waits
    assert refused.status_code == 429
    assert "Слишком много неверных кодов. Попробуйте снова через" in refused.content.decode()
    assert stranger.get("/admin/").status_code == 302

    owner = Client()
    owner.force_login(enrolled.user)
    response = owner.post(VERIFY, {"code": current_code(enrolled)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert owner.get("/admin/").status_code == 200


def test_the_limit_ends_with_its_window(unverified_client, enrolled, settings, monkeypatch):
    settings.STAFFAUTH_CODE_ATTEMPTS = 1
    settings.STAFFAUTH_CODE_WINDOW_SECONDS = 600
    now = [6_000_000.0]
    monkeypatch.setattr(limits, "_clock", lambda: now[0])
    unverified_client.force_login(enrolled.user)
    unverified_client.post(VERIFY, {"code": "000000"})
    assert unverified_client.post(VERIFY, {"code": "000000"}).status_code == 429
    now[0] += 600
    assert unverified_client.post(VERIFY, {"code": current_code(enrolled)}).status_code == 302


def test_a_recovery_code_works_once(unverified_client, staff):
    unverified_client.force_login(staff)
    codes = re.findall(r"<li data-recovery-code>(\w+)</li>", enrol(unverified_client).content.decode())
    phone_lost = Client()
    phone_lost.force_login(staff)
    response = phone_lost.post(VERIFY, {"recovery_code": codes[0].upper()})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert phone_lost.get("/admin/").status_code == 200

    again = Client()
    again.force_login(staff)
    reused = again.post(VERIFY, {"recovery_code": codes[0]})
    assert reused.status_code == 200 and "Неверный код" in reused.content.decode()
    assert StaticToken.objects.filter(device__user=staff).count() == 9


def test_an_administrator_resets_a_second_factor_recorded_and_forcing_re_enrolment(unverified_client, client, enrolled):
    staff = enrolled.user
    signed_in = Client()
    signed_in.force_login(staff)
    signed_in.post(VERIFY, {"code": current_code(enrolled)})
    assert signed_in.get("/admin/").status_code == 200

    admin_user = StaffFactory(email="chief@example.ru", is_superuser=True)
    client.force_login(admin_user)
    add = reverse("admin:staffauth_secondfactorreset_add")
    form = client.get(add)
    assert form.status_code == 200
    response = client.post(add, {"user": staff.pk, "reason": "Телефон утерян"})
    assert response.status_code == 302
    reset = SecondFactorReset.objects.get()
    assert (reset.user, reset.reset_by, reset.reason, reset.devices_removed) == (staff, admin_user, "Телефон утерян", 1)
    assert reset.user_email == staff.email and reset.reset_by_email == admin_user.email
    assert not TOTPDevice.objects.filter(user=staff).exists()

    # Visible, read-only.
    change = client.get(reverse("admin:staffauth_secondfactorreset_change", args=[reset.pk]))
    assert change.status_code == 200 and "Телефон утерян" in change.content.decode()
    assert 'name="reason"' not in change.content.decode()
    delete = client.post(reverse("admin:staffauth_secondfactorreset_delete", args=[reset.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert SecondFactorReset.objects.count() == 1

    # The staff member's verified session loses its pass and must enrol again.
    blocked = signed_in.get("/admin/")
    assert blocked.status_code == 302 and blocked["Location"].startswith(VERIFY)
    assert signed_in.get(blocked["Location"])["Location"].startswith(SETUP)


def test_a_customer_cannot_be_chosen_and_a_plain_staff_member_cannot_reset(client, enrolled):
    customer = UserFactory()
    admin_user = StaffFactory(is_superuser=True)
    client.force_login(admin_user)
    response = client.post(reverse("admin:staffauth_secondfactorreset_add"), {"user": customer.pk})
    assert response.status_code == 200
    assert "Выберите сотрудника из списка." in response.content.decode()
    assert not SecondFactorReset.objects.exists()

    operator = StaffFactory()
    client.force_login(operator)
    refused = client.post(reverse("admin:staffauth_secondfactorreset_add"), {"user": enrolled.user.pk})
    assert refused.status_code == 403
    assert TOTPDevice.objects.filter(user=enrolled.user).exists()
    assert not SecondFactorReset.objects.exists()


def test_a_staff_member_with_the_permission_may_reset(client, enrolled):
    resetter = StaffFactory()
    resetter.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="staffauth", codename__in=["add_secondfactorreset", "view_secondfactorreset"]
        )
    )
    client.force_login(resetter)
    response = client.post(reverse("admin:staffauth_secondfactorreset_add"), {"user": enrolled.user.pk})
    assert response.status_code == 302
    assert SecondFactorReset.objects.get().reset_by == resetter


def test_customers_never_meet_the_second_factor(unverified_client):
    customer = UserFactory(email="resident@example.ru")
    response = unverified_client.post(
        reverse("accounts:login"), {"username": customer.email, "password": DEFAULT_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("cabinet")
    assert not any(VERIFY in url for url, _status in response.redirect_chain)
    assert unverified_client.get(reverse("cabinet")).status_code == 200
    assert unverified_client.get(VERIFY).status_code == 404
    assert unverified_client.get(SETUP).status_code == 404
    assert not TOTPDevice.objects.exists()


def test_seed_demo_gives_each_staff_account_a_device_and_prints_its_secret(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    staff_emails = [
        email
        for email, *_rest, kind in DEMO_PEOPLE
        if kind in ("operator", "supervisor", "content_editor", "superuser")
    ]
    assert len(staff_emails) == 4
    for email in staff_emails:
        device = TOTPDevice.objects.get(user__email=email)
        assert device.confirmed
        secret = base64.b32encode(device.bin_key).decode()
        line = next(line for line in out.splitlines() if line.startswith(email))
        assert secret in line
    assert not TOTPDevice.objects.filter(user__is_staff=False).exists()
    # Again: the same secrets, so an authenticator app set up once keeps working.
    secrets = dict(TOTPDevice.objects.values_list("user__email", "key"))
    call_command("seed_demo")
    assert dict(TOTPDevice.objects.values_list("user__email", "key")) == secrets


def test_the_reset_list_is_paginated_with_a_constant_number_of_queries(client, django_assert_num_queries):
    admin_user = StaffFactory(is_superuser=True)
    client.force_login(admin_user)
    url = reverse("admin:staffauth_secondfactorreset_changelist")

    def add_resets(count):
        for _i in range(count):
            staff = StaffFactory()
            confirmed_device(staff)
            SecondFactorReset.objects.create(
                user=staff, user_email=staff.email, reset_by=admin_user, reset_by_email=admin_user.email
            )

    add_resets(2)
    client.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_resets(60)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200
    assert page.context["cl"].result_count == 62
    assert len(page.context["cl"].result_list) == 50


def test_the_command_line_resets_the_last_administrator_and_records_it(enrolled):
    call_command("reset_second_factor", enrolled.user.email.upper(), reason="Телефон и коды утеряны")
    reset = SecondFactorReset.objects.get()
    assert (reset.user, reset.reset_by, reset.reset_by_email) == (enrolled.user, None, "manage.py")
    assert not TOTPDevice.objects.filter(user=enrolled.user).exists()
    with pytest.raises(CommandError, match="No account"):
        call_command("reset_second_factor", "nobody@example.ru")
    customer = UserFactory()
    with pytest.raises(CommandError):
        call_command("reset_second_factor", customer.email)
    assert SecondFactorReset.objects.count() == 1


def test_the_test_clients_pass_force_logged_in_staff_only(client, admin_client, unverified_client, staff):
    assert admin_client.get("/admin/").status_code == 200
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    unverified_client.force_login(staff)
    assert unverified_client.get("/admin/").status_code == 302
    customer = UserFactory()
    client.force_login(customer)
    assert not TOTPDevice.objects.filter(user=customer).exists()
