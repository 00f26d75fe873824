"""Data-subject requests: filing, deadlines across holidays, extension, answer, erasure with an act."""

from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.models import Consent
from accounts.tests.factories import StaffFactory, UserFactory
from appeals import services as appeal_services
from appeals.models import Appeal, Attachment
from appeals.tests.factories import submit, upload
from audit.models import SecurityEvent
from notifications.models import Notification
from privacy import services
from privacy.erasure import PERSONAL_FIELDS
from privacy.models import SubjectRequest
from surveys.models import Survey

pytestmark = pytest.mark.django_db
NAME, EMAIL, PHONE = "Уникальнова", "unique.person@example.ru", "+79161112233"
TEXT = "Прошу пересчитать начисления, мой паспорт 4509 123456."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def customer():
    return UserFactory(email=EMAIL, last_name=NAME, first_name="Ирина", patronymic="Петровна", phone=PHONE)


@pytest.fixture
def staff():
    user = StaffFactory(email="dpo@example.ru")
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="privacy", codename__in=["view_subjectrequest", "change_subjectrequest",
                                                          "add_subjectrequest"]))
    return type(user).objects.get(pk=user.pk)


class TestFiling:
    def test_a_customer_asks_from_the_cabinet_and_sees_the_due_date(self, client, customer):
        client.force_login(customer)
        assert client.get(reverse("privacy:requests")).status_code == 200
        response = client.post(reverse("privacy:requests"), {"kind": "access", "text": ""})
        filed = SubjectRequest.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("privacy:detail", args=[filed.pk])
        assert filed.user == customer and filed.channel == "cabinet"
        assert filed.deadline_rule.code == "pd.subject_request"
        page = client.get(reverse("privacy:detail", args=[filed.pk])).content.decode()
        assert "на рассмотрении" in page

    def test_bad_input_is_a_message_and_nothing_is_saved(self, client, customer):
        client.force_login(customer)
        for data in ({"kind": "hack"}, {}, {"kind": "correction", "text": "  "}):
            response = client.post(reverse("privacy:requests"), data)
            assert response.status_code == 200 and response.context["form"].errors
        assert not SubjectRequest.objects.exists()

    def test_ten_working_days_across_the_new_year_holidays(self, customer):
        # Monday 28.12.2026; 31.12.2026 is a day off (moved from 3–4 January), 1–8 January holidays.
        received = datetime(2026, 12, 28, 9, 0, tzinfo=UTC)
        filed = services.subject_request_file(user=customer, kind="access", received_at=received, now=received)
        from deadlines.services import company_timezone

        assert filed.due_at.astimezone(company_timezone()).date().isoformat() == "2027-01-20"

    def test_withdrawn_consent_becomes_a_request_due_in_thirty_days(self, customer):
        consent = Consent.objects.create(user=customer, document=account_selectors.current_consent_document(),
                                         given_at=datetime(2026, 1, 1, tzinfo=UTC), ip_address="192.0.2.1")
        account_services.consent_withdraw(user=customer, consent_id=consent.pk,
                                          now=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        filed = SubjectRequest.objects.get(user=customer)
        assert filed.kind == "withdrawal" and filed.deadline_rule.code == "pd.consent_withdrawal"
        from deadlines.services import company_timezone

        assert filed.due_at.astimezone(company_timezone()).date().isoformat() == "2026-04-01"

    def test_staff_register_a_paper_request(self, client, staff, customer):
        client.force_login(staff)
        response = client.post(reverse("admin:privacy_subjectrequest_add"), {
            "user": customer.pk, "kind": "correction", "text": "Фамилия с ошибкой",
            "received_at_0": "02.03.2026", "received_at_1": "10:00",
        })
        assert response.status_code == 302, response.content.decode()[:3000]
        filed = SubjectRequest.objects.get()
        assert filed.channel == "paper" and filed.handled_by == staff


class TestWork:
    def test_extension_once_with_a_reason_and_a_notice(self, customer, staff):
        received = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        filed = services.subject_request_file(user=customer, kind="access", received_at=received, now=received)
        with pytest.raises(ValidationError):
            services.subject_request_extend(request_id=filed.pk, actor=staff, reason=" ")
        extended = services.subject_request_extend(request_id=filed.pk, actor=staff, reason="Запрос в архив")
        from deadlines.services import company_timezone

        assert filed.due_at.astimezone(company_timezone()).date().isoformat() == "2026-03-17"
        assert extended.due_at.astimezone(company_timezone()).date().isoformat() == "2026-03-24"
        assert Notification.objects.filter(recipient=customer, event="privacy.extended").exists()
        with pytest.raises(ValidationError):
            services.subject_request_extend(request_id=filed.pk, actor=staff, reason="ещё")

    def test_the_answer_is_seen_by_the_customer_with_their_data_export(self, client, customer, staff):
        filed = services.subject_request_file(user=customer, kind="access")
        client.force_login(staff)
        client.post(reverse("admin:privacy_subjectrequest_work", args=[filed.pk]),
                    {"decision": "answer", "comment": "Сведения во вложении."})
        client.force_login(customer)
        page = client.get(reverse("privacy:detail", args=[filed.pk])).content.decode()
        assert "Сведения во вложении." in page and reverse("accounts:personal_data_export") in page

    def test_access_other_customers_and_anonymous(self, client, customer, staff):
        filed = services.subject_request_file(user=customer, kind="access")
        detail = reverse("privacy:detail", args=[filed.pk])
        assert client.get(detail).status_code == 302 and client.get(reverse("privacy:requests")).status_code == 302
        client.force_login(UserFactory())
        assert client.get(detail).status_code == 404
        assert client.get(reverse("admin:privacy_subjectrequest_act", args=[filed.pk])).status_code == 302
        client.force_login(staff)
        assert client.get(reverse("admin:privacy_subjectrequest_act", args=[filed.pk])).status_code == 404
        client.force_login(StaffFactory())
        assert client.post(reverse("admin:privacy_subjectrequest_work", args=[filed.pk]),
                           {"decision": "answer", "comment": "x"}).status_code in (403, 404)


def _values_anywhere(model, needles):
    """Every text value of the model's personal fields (and of its history) that still holds a needle."""
    found = []
    for target in (model, getattr(model, "history", None) and model.history.model):
        if not target:
            continue
        for field in PERSONAL_FIELDS[model._meta.label]:
            for value in target.objects.values_list(field, flat=True):
                if any(needle in str(value) for needle in needles):
                    found.append((target._meta.label, field, value))
    return found


class TestErasure:
    def test_every_personal_field_is_gone_and_appeals_stay_countable(self, client, customer, staff):
        appeal = submit(customer, now=None, subject=f"Жалоба {NAME}", text=TEXT, files=[upload()])
        appeal_services.appeal_add_message(appeal.pk, actor=customer, text=f"Звоните {PHONE}")
        Appeal.objects.filter(pk=appeal.pk).update(contact_phone=PHONE, submitted_ip="203.0.113.9")
        client.force_login(customer)  # a change of their own, from their address, in the account's history
        client.post(reverse("accounts:profile"), {"last_name": customer.last_name, "first_name": "Анна",
                                                  "patronymic": "Петровна", "phone": PHONE}, REMOTE_ADDR="203.0.113.9")
        client.logout()
        assert customer.history.filter(history_user=customer, ip_address="203.0.113.9").exists()
        rated = submit(customer, now=None)
        operator = StaffFactory()
        operator.user_permissions.add(*Permission.objects.filter(
            content_type__app_label="appeals", codename__in=["view_appeal", "add_appeal", "change_appeal"]))
        operator = type(operator).objects.get(pk=operator.pk)
        appeal_services.appeal_answer(rated.pk, actor=operator, text="Ответ", expected_version=rated.version)
        appeal_services.appeal_rate(rated.pk, actor=customer, rating=4, comment=f"Спасибо, {NAME}")
        other = submit(UserFactory(), now=None)
        client.post(reverse("accounts:login"), {"username": EMAIL, "password": "wrong-password-123"})
        assert SecurityEvent.objects.filter(username=EMAIL).exists()
        filed = services.subject_request_file(user=customer, kind="deletion", text=f"Удалите всё, {NAME}")
        by_status = dict(Appeal.objects.values_list("status").annotate(n=Count("pk")))
        needles = [NAME, EMAIL, PHONE, "4509 123456", "Петровна", "203.0.113.9"]
        # The walk below proves something only for models that held the person's data before.
        assert [label for label in PERSONAL_FIELDS if not _values_anywhere(apps.get_model(label), needles)] == []
        client.force_login(staff)
        response = client.post(reverse("admin:privacy_subjectrequest_work", args=[filed.pk]), {"decision": "erase"})
        assert response.status_code == 302
        filed.refresh_from_db()
        assert filed.status == "erased"
        for label in PERSONAL_FIELDS:
            assert _values_anywhere(apps.get_model(label), needles) == [], label
        assert not Attachment.objects.filter(appeal=appeal).exists()
        assert not customer.history.exclude(ip_address=None).exists()
        assert not SecurityEvent.objects.filter(user=customer).exclude(ip_address=None).exists()
        # Countable: the same appeals, kinds and statuses; the other customer's untouched.
        assert dict(Appeal.objects.values_list("status").annotate(
            n=Count("pk"))) == by_status
        appeal.refresh_from_db()
        assert appeal.number and appeal.contact_name == "Удалено"
        assert Appeal.objects.get(pk=other.pk).contact_name != "Удалено"
        survey = Survey.objects.get(object_id=rated.pk)  # the rating still counts, without its words
        assert (survey.service_rating, survey.comment) == (4, "Удалено")
        act = client.get(reverse("admin:privacy_subjectrequest_act", args=[filed.pk]))
        assert act.status_code == 200 and act.content.startswith(b"%PDF") and act["Content-Type"] == "application/pdf"
        customer.refresh_from_db()
        assert not customer.is_active and not customer.has_usable_password()

    def test_files_go_only_when_the_erasure_commits(self, customer, staff, django_capture_on_commit_callbacks):
        appeal = submit(customer, now=None, files=[upload()])
        attachment = Attachment.objects.get(appeal=appeal)
        storage, name = attachment.file.storage, attachment.file.name
        deletion = services.subject_request_file(user=customer, kind="deletion")
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
            services.subject_request_erase(request_id=deletion.pk, actor=staff)
            raise RuntimeError("the act could not be written")  # whatever fails after the erasure
        assert storage.exists(name) and Attachment.objects.filter(pk=attachment.pk).exists()
        with django_capture_on_commit_callbacks(execute=True):
            services.subject_request_erase(request_id=deletion.pk, actor=staff)
        assert not storage.exists(name) and not Attachment.objects.filter(pk=attachment.pk).exists()

    def test_every_record_and_its_history_is_anonymised_in_one_update_per_table(self, customer):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from privacy.erasure import erase_person

        def person_with(appeals, user):
            for _ in range(appeals):
                appeal = submit(user, now=None, subject=f"Жалоба {NAME}", text=TEXT)
                appeal_services.appeal_add_message(appeal.pk, actor=user, text=f"Звоните {PHONE}")
            services.subject_request_file(user=user, kind="deletion", text=f"Удалите всё, {NAME}")
            user.phone = "+79160000000"  # a second history row of the account, the old phone in the first
            user.save()
            with CaptureQueriesContext(connection) as queries:
                erase_person(user.pk)
            return len(queries)

        one = person_with(1, UserFactory(last_name=NAME, phone=PHONE))
        assert person_with(4, customer) == one  # as many statements for four appeals as for one
        needles = [NAME, EMAIL, PHONE, "4509 123456", "Петровна", "+79160000000"]
        for label in PERSONAL_FIELDS:
            assert _values_anywhere(apps.get_model(label), needles) == [], label
        customer.refresh_from_db()
        assert customer.email == f"deleted-{customer.pk}@deleted.invalid"
        assert set(customer.history.values_list("email", flat=True)) == {customer.email}

    def test_erase_only_for_deletion_or_withdrawal_and_once(self, customer, staff):
        filed = services.subject_request_file(user=customer, kind="access")
        with pytest.raises(ValidationError):
            services.subject_request_erase(request_id=filed.pk, actor=staff)
        deletion = services.subject_request_file(user=customer, kind="deletion")
        services.subject_request_erase(request_id=deletion.pk, actor=staff)
        with pytest.raises(ValidationError):
            services.subject_request_erase(request_id=deletion.pk, actor=staff)


class TestReminders:
    RECEIVED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday; due 17.03.2026
    LATE = datetime(2026, 3, 18, 9, 0, tzinfo=UTC)  # Wednesday 12:00 in Moscow, a day past the due date

    def _file(self, customer, received=RECEIVED):
        return services.subject_request_file(user=customer, kind="access", received_at=received, now=received)

    def test_staff_are_reminded_before_the_due_date_and_once_overdue_only_once(self, customer, staff):
        from datetime import timedelta

        from privacy.reminders import request_reminders_scan

        filed = self._file(customer)
        assert request_reminders_scan(now=datetime(2026, 3, 5, 9, 0, tzinfo=UTC)).sent == {}
        three_days = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)  # Thursday: 3 working days left
        assert request_reminders_scan(now=three_days).sent == {"due_soon": 1}
        assert request_reminders_scan(now=three_days).sent == {}  # run twice: sent once
        notices = Notification.objects.filter(recipient=staff, channel="inapp")
        assert notices.filter(event="privacy.request_due_soon").count() == 1
        # Past the due date the request is the overdue rung's alone, never "due soon" again.
        assert request_reminders_scan(now=self.LATE).sent == {"overdue": 1}
        assert request_reminders_scan(now=self.LATE + timedelta(hours=2)).sent == {}
        assert notices.filter(event="privacy.request_due_soon").count() == 1
        assert notices.filter(event="privacy.request_overdue").count() == 1
        assert request_reminders_scan(now=self.LATE + timedelta(days=1)).sent == {"overdue": 1}  # the next day
        services.subject_request_answer(request_id=filed.pk, actor=staff, answer="Ответ")
        assert request_reminders_scan(now=self.LATE + timedelta(days=2)).sent == {}

    def test_nothing_is_sent_on_a_day_off_nor_at_night(self, customer, staff):
        from privacy.reminders import request_reminders_scan

        self._file(customer)
        saturday = datetime(2026, 3, 21, 9, 0, tzinfo=UTC)
        night = datetime(2026, 3, 18, 19, 30, tzinfo=UTC)  # 22:30 in Moscow
        assert request_reminders_scan(now=saturday).skipped == "day off"
        assert request_reminders_scan(now=night).skipped == "outside sending hours"
        assert not Notification.objects.filter(recipient=staff).exists()
        assert request_reminders_scan(now=self.LATE).sent == {"overdue": 1}  # the working morning after

    def test_a_second_scan_locks_no_request_already_reminded_at_its_rung(self, customer, staff):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from privacy.reminders import request_reminders_scan

        for _ in range(3):
            self._file(customer)
        three_days = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)  # Thursday: 3 working days left
        assert request_reminders_scan(now=three_days).sent == {"due_soon": 3}
        with CaptureQueriesContext(connection) as queries:
            assert request_reminders_scan(now=three_days).sent == {}
        assert not [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]

    def test_one_scan_sends_at_most_its_limit_and_the_next_sends_the_rest(self, customer, staff, settings):
        from privacy.reminders import request_reminders_scan

        settings.PRIVACY_REMINDERS_PER_SCAN = 2
        for _ in range(3):
            self._file(customer)
        assert request_reminders_scan(now=self.LATE).sent == {"overdue": 2}
        assert request_reminders_scan(now=self.LATE).sent == {"overdue": 1}
        assert request_reminders_scan(now=self.LATE).sent == {}
        assert Notification.objects.filter(recipient=staff, channel="inapp",
                                           event="privacy.request_overdue").count() == 3


class TestRetention:
    def test_old_closed_appeals_are_anonymised_once_and_stay_countable(self, customer, staff):
        from datetime import timedelta

        from audit.models import BulkChange
        from privacy.retention import retention_apply

        old = submit(customer, now=None, subject=f"Старое {NAME}", files=[upload()])
        fresh = submit(customer, now=None, subject=f"Новое {NAME}")
        # Six years ago and closed long since: the clock is what this test moves, not the workflow.
        Appeal.objects.filter(pk=old.pk).update(status=Appeal.Status.CLOSED,
                                                registered_at=old.registered_at - timedelta(days=6 * 365))
        total = Appeal.objects.count()
        assert retention_apply() == {"appeals.closed": 1}
        old.refresh_from_db()
        fresh.refresh_from_db()
        assert old.contact_name == "Удалено" and NAME not in old.subject and not old.attachments.exists()
        assert NAME in fresh.subject and Appeal.objects.count() == total
        assert BulkChange.objects.get().summary == {"appeals.closed": 1}
        assert retention_apply() == {"appeals.closed": 0}
        assert BulkChange.objects.count() == 1
