"""The audit trail (history), staff reads of personal data, and security events."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD, OrganisationFactory, StaffFactory, UserFactory
from appeals import services as appeal_services
from appeals.tests.factories import submit, upload
from audit.history import audited_models
from audit.models import PersonalDataRead, SecurityEvent
from deadlines.models import DeadlineRule

pytestmark = pytest.mark.django_db


def staff_with(*codenames, **kwargs):
    user = StaffFactory(**kwargs)
    app_codenames = [c.split(".") for c in codenames]
    for app_label, codename in app_codenames:
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def auditor():
    return staff_with("audit.view_personaldataread", "audit.view_securityevent", email="auditor@example.ru")


@pytest.fixture
def supervisor():
    return staff_with("appeals.view_appeal", "appeals.change_appeal", "appeals.view_all_appeals",
                      "accounts.view_user", "accounts.view_organisation", "accounts.change_user",
                      "deadlines.view_deadlinerule", "deadlines.change_deadlinerule",
                      email="supervisor@example.ru")


def _admin_url_names():
    return [
        getattr(p, "name", "") or "" for model_admin in admin.site._registry.values() for p in model_admin.get_urls()
    ]


class TestHistory:
    AUDITED = {
        "accounts.user", "accounts.organisation", "accounts.membership", "accounts.consent",
        "accounts.consentdocument", "accounts.closurerequest", "appeals.appeal", "appeals.appealmessage",
        "contracts.contract", "contracts.contractbinding", "contracts.supplypoint", "contracts.meter",
        "contracts.reading", "contracts.contractapplication", "deadlines.deadlinerule",
        "deadlines.calendaryear", "deadlines.calendarday",
    }

    def test_every_listed_model_keeps_a_history_with_the_address(self):
        labels = {m._meta.label_lower for m in audited_models()}
        assert labels >= self.AUDITED
        for model in audited_models():
            history = model.history.model
            assert "ip_address" in {f.name for f in history._meta.fields}
        assert "password" not in {f.name for f in UserFactory._meta.model.history.model._meta.fields}

    def test_a_customer_changing_their_profile_is_recorded_before_and_after(self, client):
        user = UserFactory(last_name="Смирнова", first_name="Анна")
        client.force_login(user)
        response = client.post(reverse("accounts:profile"), {
            "last_name": "Кузнецова", "first_name": "Анна", "patronymic": "", "phone": "",
        }, REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 302
        last = user.history.first()
        assert last.history_type == "~" and last.history_user == user and last.ip_address == "203.0.113.7"
        delta = last.diff_against(last.prev_record)
        assert [(c.field, c.old, c.new) for c in delta.changes] == [("last_name", "Смирнова", "Кузнецова")]

    def test_staff_edit_of_a_deadline_rule_is_in_its_admin_history(self, client, supervisor):
        rule = DeadlineRule.objects.first()
        rule.save()  # the seeded rows came from a migration, without a history: a first version
        rule.legal_basis = "59-ФЗ ст. 12 ч. 1 (проверено)"
        rule._history_user = supervisor
        rule.save()
        client.force_login(supervisor)
        page = client.get(reverse("admin:deadlines_deadlinerule_history", args=[rule.pk]))
        assert page.status_code == 200
        body = page.content.decode()
        assert "supervisor@example.ru" in body and "(проверено)" in body

    def test_an_appeal_transition_adds_a_history_row(self, client, supervisor):
        customer = UserFactory()
        appeal = submit(customer, now=None)
        before = appeal.history.count()
        appeal_services.appeal_transition(appeal.pk, to="in_progress", actor=supervisor)
        assert appeal.history.count() == before + 1
        assert appeal.history.first().status == "in_progress"
        client.force_login(supervisor)
        assert client.get(reverse("admin:appeals_appeal_history", args=[appeal.pk])).status_code == 200

    def test_nobody_edits_or_deletes_history_through_the_admin(self, admin_client):
        rule = DeadlineRule.objects.first()
        rule.save()
        version = rule.history.first()
        for model in audited_models():
            assert model.history.model not in admin.site._registry
        # simple-history's page of one old version (a form that saves it back) is not served.
        assert not any(name.endswith("_simple_history") for name in _admin_url_names())
        old = f"{reverse('admin:deadlines_deadlinerule_history', args=[rule.pk])}{version.history_id}/"
        admin_client.post(old, {"legal_basis": "подделка"})
        rule.refresh_from_db()
        assert rule.legal_basis != "подделка"


class TestPersonalDataReads:
    def test_opening_a_customer_card_an_organisation_an_appeal_and_an_attachment_is_logged(
        self, client, supervisor
    ):
        customer = UserFactory()
        organisation = OrganisationFactory()
        appeal = submit(customer, now=None, files=[upload()])
        attachment = appeal.attachments.get()
        client.force_login(supervisor)
        assert client.get(reverse("admin:accounts_user_change", args=[customer.pk])).status_code == 200
        assert client.get(reverse("admin:accounts_organisation_change", args=[organisation.pk])).status_code == 200
        assert client.get(reverse("admin:appeals_appeal_change", args=[appeal.pk])).status_code == 200
        assert client.get(
            reverse("admin:appeals_appeal_attachment", args=[appeal.pk, attachment.pk])
        ).status_code == 200
        rows = list(PersonalDataRead.objects.order_by("pk").values_list("kind", "staff", "subject", "organisation"))
        assert rows == [
            ("card", supervisor.pk, customer.pk, None),
            ("organisation", supervisor.pk, None, organisation.pk),
            ("appeal", supervisor.pk, customer.pk, None),
            ("document", supervisor.pk, customer.pk, None),
        ]
        assert all(r.ip_address == "127.0.0.1" for r in PersonalDataRead.objects.all())

    def test_a_refused_page_is_not_a_read(self, client):
        customer = UserFactory()
        nobody = StaffFactory()
        client.force_login(nobody)
        client.get(reverse("admin:accounts_user_change", args=[customer.pk]))
        assert not PersonalDataRead.objects.exists()

    def test_who_looked_at_this_customer_for_a_period_and_as_csv(self, client, supervisor, auditor):
        customer, other = UserFactory(email="c@example.ru"), UserFactory(email="o@example.ru")
        client.force_login(supervisor)
        client.get(reverse("admin:accounts_user_change", args=[customer.pk]))
        client.get(reverse("admin:accounts_user_change", args=[other.pk]))
        client.force_login(auditor)
        listing = reverse("admin:audit_personaldataread_changelist")
        page = client.get(listing, {"q": "c@example.ru"})
        assert page.status_code == 200 and len(page.context["cl"].result_list) == 1
        exported = client.get(reverse("admin:audit_personaldataread_export"),
                              {"q": "c@example.ru", "at__gte": "2000-01-01T00:00:00+03:00"})
        body = b"".join(exported.streaming_content).decode()
        assert body.startswith("\ufeff") and "supervisor@example.ru" in body and body.count("\n") == 2
        empty = client.get(reverse("admin:audit_personaldataread_export"), {"at__gte": "2999-01-01T00:00:00+03:00"})
        assert b"".join(empty.streaming_content).decode().count("\n") == 1

    def test_the_journal_is_for_administrators_only_and_never_editable(self, client, supervisor, auditor):
        client.force_login(supervisor)
        assert client.get(reverse("admin:audit_personaldataread_changelist")).status_code == 403
        assert client.get(reverse("admin:audit_personaldataread_export")).status_code == 403
        client.force_login(auditor)
        client.get(reverse("admin:audit_personaldataread_changelist"))
        row = PersonalDataRead.objects.create(at="2026-01-01T00:00Z", kind="card")
        assert client.post(reverse("admin:audit_personaldataread_delete", args=[row.pk])).status_code == 403
        with pytest.raises(ValueError):
            row.delete()

    def test_list_queries_do_not_grow(self, client, auditor, django_assert_max_num_queries):
        client.force_login(auditor)
        url = reverse("admin:audit_personaldataread_changelist")
        for _ in range(30):
            PersonalDataRead.objects.create(at="2026-01-01T00:00Z", kind="card", staff=auditor,
                                            subject=UserFactory())
        client.get(url)
        with django_assert_max_num_queries(15) as captured:
            assert client.get(url).status_code == 200
        for _ in range(30):
            PersonalDataRead.objects.create(at="2026-01-02T00:00Z", kind="card", staff=auditor,
                                            subject=UserFactory())
        with django_assert_max_num_queries(len(captured.captured_queries)):
            assert client.get(url).status_code == 200


class TestSecurityEvents:
    def login(self, client, email, password=DEFAULT_PASSWORD):
        return client.post(reverse("accounts:login"), {"username": email, "password": password},
                           REMOTE_ADDR="198.51.100.4")

    def test_login_failure_and_lockout(self, client):
        user = UserFactory(email="v@example.ru")
        mark = SecurityEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        assert self.login(client, "v@example.ru").status_code == 302
        client.logout()
        for _ in range(5):
            self.login(client, "v@example.ru", "wrong-password-123")
        kinds = list(SecurityEvent.objects.filter(user=user, pk__gt=mark).order_by("pk")
                     .values_list("kind", flat=True))
        assert kinds[:2] == ["login", "logout"]
        assert kinds.count("login_failed") == 5 and "lockout" in kinds
        failed = SecurityEvent.objects.filter(kind="login_failed").first()
        assert failed.user == user and failed.ip_address == "198.51.100.4"

    def test_behind_our_proxy_the_client_address_is_the_one_the_proxy_saw(self, client, settings):
        from axes.models import AccessAttempt

        settings.PROXY_COUNT = 1
        user = UserFactory(email="proxied@example.ru")
        # The client wrote an address of its own; our proxy (10.0.0.2) appended the one it was called from.
        client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong-password-123"},
                    REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.9")
        assert SecurityEvent.objects.get(kind="login_failed").ip_address == "203.0.113.9"
        assert AccessAttempt.objects.get(username=user.email).ip_address == "203.0.113.9"  # the lockout's too
        settings.PROXY_COUNT = 0  # no proxy: the header is anyone's to write, the connection's address counts
        client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong-password-123"},
                    REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert SecurityEvent.objects.filter(kind="login_failed").latest("pk").ip_address == "198.51.100.7"

    def test_failed_login_for_an_unknown_name(self, client):
        self.login(client, "nobody@example.ru", "wrong-password-123")
        event = SecurityEvent.objects.get(kind="login_failed")
        assert event.user is None and event.username == "nobody@example.ru"

    def test_password_email_group_and_permission_changes(self, supervisor):
        user = UserFactory(email="p@example.ru")
        mark = SecurityEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        user.set_password("a-new-long-password-42")
        user.save()
        user.email = "p2@example.ru"
        user.save()
        user.is_staff = True
        user.save()
        group = Group.objects.create(name="Проверка")
        user.groups.add(group)
        user.user_permissions.add(Permission.objects.get(codename="view_appeal"))
        group.permissions.add(Permission.objects.get(codename="change_appeal"))
        kinds = list(SecurityEvent.objects.filter(user=user, pk__gt=mark).order_by("pk").values_list("kind", flat=True))
        assert kinds == ["password", "email", "staff_flags", "groups", "permissions"]
        assert SecurityEvent.objects.filter(kind="permissions", user=None, detail__contains="Проверка").exists()
        # An unrelated save writes nothing.
        user.first_name = "Иван"
        user.save()
        assert SecurityEvent.objects.filter(user=user, pk__gt=mark).count() == 5

    def test_administrators_see_the_security_events(self, client, auditor, supervisor):
        UserFactory(email="x@example.ru").set_password("x")
        client.force_login(auditor)
        assert client.get(reverse("admin:audit_securityevent_changelist")).status_code == 200
        client.force_login(supervisor)
        assert client.get(reverse("admin:audit_securityevent_changelist")).status_code == 403



class TestBulkChanges:
    def test_a_billing_import_is_one_audit_entry_with_its_totals_not_a_history_row_each(self):
        from audit.models import BulkChange
        from contracts.imports import import_billing_file
        from contracts.models import Contract
        from contracts.tests.factories_import import example

        report = import_billing_file(example("contracts.csv"))
        assert report.saved
        entry = BulkChange.objects.get()
        assert entry.what == "billing import: contracts" and entry.summary["created"] == Contract.objects.count()
        assert Contract.history.count() == 0
        import_billing_file(example("contracts.csv"), dry_run=True)
        assert BulkChange.objects.count() == 1


def test_the_history_manager_is_the_librarys_built_once():
    # audit.history replaces simple-history's descriptor only to build its manager class once.
    appeal = submit(UserFactory(), now=None)
    assert type(appeal.history) is type(appeal.history)
    assert [h.history_type for h in appeal.history.all()] == ["+"]
    assert type(appeal).history.filter(id=appeal.pk).count() == 1
    appeal.subject = "Другая тема"
    appeal.save()
    assert appeal.history.first().subject == "Другая тема" and appeal.history.count() == 2
