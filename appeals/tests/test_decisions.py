"""Decisions taken on complaints, the satisfaction survey with the rating, and the first response time."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from appeals import access, services
from appeals.models import Appeal, AppealDecision, AppealEvent
from appeals.reminders import appeal_reminders_scan
from appeals.tests.factories import NOW, submit
from notifications.models import Notification
from surveys.models import Survey

pytestmark = pytest.mark.django_db
S = Appeal.Status
D = AppealDecision.Status
MSK = ZoneInfo("Europe/Moscow")


def at(day, hour=10, minute=0):
    """A moment in Moscow time, March 2026."""
    return datetime(2026, 3, day, hour, minute, tzinfo=MSK)


@pytest.fixture
def complaint(customer_a, operator):
    """A complaint answered on 3 March with a promise to check the meter."""
    appeal = submit(customer_a, kind=Appeal.Kind.COMPLAINT, topic=Appeal.Topic.METERING)
    services.appeal_assign(appeal.pk, assignee=operator, actor=operator, now=NOW)
    services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, as_role=access.STAFF, now=NOW)
    appeal.refresh_from_db()
    services.appeal_answer(appeal.pk, actor=operator, text="Проверим счётчик до 12 марта.",
                           expected_version=appeal.version, now=at(3))
    appeal.refresh_from_db()
    return appeal


def record(appeal, operator, *, due_on=date(2026, 3, 12), now=None):
    return services.decision_record(appeal.pk, actor=operator, action="meter_check",
                                    description="Проверить счётчик на месте", responsible=operator, due_on=due_on,
                                    now=now or at(3, 11))


def notices(user, event):
    return Notification.objects.filter(recipient=user, event=event)


class TestDecisions:
    def test_planned_then_done_the_customer_sees_it_and_is_told(self, client, complaint, operator, customer_a):
        decision = record(complaint, operator)
        assert decision.status == D.PLANNED
        done = services.decision_complete(complaint.pk, decision.pk, actor=operator, note="Счётчик исправен",
                                          done_on=date(2026, 3, 10), now=at(10, 15))
        assert (done.status, done.done_on, done.result_note) == (D.DONE, date(2026, 3, 10), "Счётчик исправен")
        kinds = list(AppealEvent.objects.filter(appeal=complaint).values_list("kind", flat=True))
        assert kinds[-2:] == [AppealEvent.Kind.DECISION, AppealEvent.Kind.DECISION_DONE]
        told = notices(customer_a, "appeals.decision_done")
        assert told.exists() and "Счётчик исправен" in told.first().body_text
        client.force_login(customer_a)
        page = client.get(reverse("appeals:detail", args=[complaint.number])).content.decode()
        assert "Проверить счётчик на месте" in page and "Выполнено 10.03.2026." in page

    def test_cancelled_with_a_reason(self, complaint, operator, customer_a):
        decision = record(complaint, operator)
        services.decision_cancel(complaint.pk, decision.pk, actor=operator, reason="Заявитель отказался от проверки",
                                 now=at(4))
        decision.refresh_from_db()
        assert (decision.status, decision.cancel_reason) == (D.CANCELLED, "Заявитель отказался от проверки")
        assert not notices(customer_a, "appeals.decision_done").exists()

    def test_a_closed_decision_cannot_change_again(self, complaint, operator):
        decision = record(complaint, operator)
        services.decision_cancel(complaint.pk, decision.pk, actor=operator, reason="Не нужно", now=at(4))
        with pytest.raises(ValidationError, match="уже отменено"):
            services.decision_complete(complaint.pk, decision.pk, actor=operator, note="Сделано",
                                       done_on=date(2026, 3, 4), now=at(4, 12))

    @pytest.mark.parametrize("kwargs, field", [
        ({"description": "  "}, "description"),
        ({"action": "fly"}, "action"),
        ({"due_on": date(2026, 3, 2)}, "due_on"),
        ({"due_on": None}, "due_on"),
    ])
    def test_bad_decision_saves_nothing(self, complaint, operator, kwargs, field):
        data = {"action": "meter_check", "description": "Проверить", "responsible": operator,
                "due_on": date(2026, 3, 12), **kwargs}
        with pytest.raises(ValidationError) as error:
            services.decision_record(complaint.pk, actor=operator, now=at(3, 11), **data)
        assert field in error.value.message_dict
        assert not AppealDecision.objects.exists()

    @pytest.mark.parametrize("kwargs, field", [
        ({"note": ""}, "note"),
        ({"done_on": date(2026, 3, 20)}, "done_on"),
        ({"done_on": date(2026, 3, 1)}, "done_on"),
    ])
    def test_bad_completion_saves_nothing(self, complaint, operator, kwargs, field):
        decision = record(complaint, operator)
        data = {"note": "Сделано", "done_on": date(2026, 3, 5), **kwargs}
        with pytest.raises(ValidationError) as error:
            services.decision_complete(complaint.pk, decision.pk, actor=operator, now=at(5), **data)
        assert field in error.value.message_dict
        decision.refresh_from_db()
        assert decision.status == D.PLANNED

    def test_the_responsible_must_work_appeals(self, complaint, operator, customer_b):
        with pytest.raises(ValidationError) as error:
            services.decision_record(complaint.pk, actor=operator, action="other", description="Сделать",
                                     responsible=customer_b, due_on=date(2026, 3, 12), now=at(3, 11))
        assert "responsible" in error.value.message_dict

    def test_another_operator_without_access_is_refused(self, complaint, operator, operator2):
        decision = record(complaint, operator)
        with pytest.raises(PermissionDenied):
            services.decision_cancel(complaint.pk, decision.pk, actor=operator2, reason="Нет", now=at(4))
        with pytest.raises(PermissionDenied):
            record(complaint, operator2)

    def test_a_customer_cannot_record_one(self, complaint, customer_a, operator):
        with pytest.raises(PermissionDenied):
            services.decision_record(complaint.pk, actor=customer_a, action="other", description="Сделать",
                                     responsible=operator, due_on=date(2026, 3, 12), now=at(3, 11))


class TestDecisionReminders:
    def test_the_ladder_then_escalation_once_a_day_until_done(self, complaint, operator, supervisor):
        decision = record(complaint, operator)  # due Thursday 12 March
        assert appeal_reminders_scan(now=at(5)).sent.get("decision_responsible_3d") is None  # 4 working days left
        assert appeal_reminders_scan(now=at(6)).sent.get("decision_responsible_3d") == 1
        assert appeal_reminders_scan(now=at(6, 11)).sent.get("decision_responsible_3d") is None  # once per rung
        assert appeal_reminders_scan(now=at(11)).sent.get("decision_responsible_1d") == 1
        assert appeal_reminders_scan(now=at(13)).sent.get("decision_overdue") == 1
        assert appeal_reminders_scan(now=at(13, 15)).sent.get("decision_overdue") is None  # once a day
        assert notices(supervisor, "appeals.decision_overdue").exists()
        assert notices(operator, "appeals.decision_overdue").exists()
        assert notices(operator, "appeals.decision_due_soon").count() == 4  # two rungs × email and inbox
        assert appeal_reminders_scan(now=at(16)).sent.get("decision_overdue") == 1  # the next working day
        services.decision_complete(complaint.pk, decision.pk, actor=operator, note="Сделано",
                                   done_on=date(2026, 3, 16), now=at(16, 12))
        assert appeal_reminders_scan(now=at(17)).sent.get("decision_overdue") is None


class TestSatisfaction:
    def test_the_survey_is_recorded_with_the_rating(self, complaint, customer_a):
        services.appeal_rate(complaint.pk, actor=customer_a, rating=4, supply_rating=3, solved=True,
                             comment=" Спасибо ", now=at(4))
        survey = Survey.objects.get()
        assert (survey.subject, survey.object_id, survey.service_rating, survey.supply_rating, survey.solved,
                survey.comment) == ("appeals.appeal", complaint.pk, 4, 3, True, "Спасибо")
        complaint.refresh_from_db()
        assert complaint.rating == 4

    @pytest.mark.parametrize("rating, supply, told", [(1, 5, True), (5, 2, True), (3, 3, False)])
    def test_low_ratings_tell_the_supervisors(self, complaint, customer_a, supervisor, operator, rating, supply, told):
        services.appeal_rate(complaint.pk, actor=customer_a, rating=rating, supply_rating=supply, solved=False,
                             comment="Плохо", now=at(4))
        assert notices(supervisor, "appeals.low_rating").exists() is told
        assert not notices(operator, "appeals.low_rating").exists()

    def test_the_form_asks_all_three(self, client, complaint, customer_a):
        client.force_login(customer_a)
        url = reverse("appeals:rate", args=[complaint.number])
        response = client.post(url, {"rating": "5"})
        assert response.status_code == 400
        errors = response.context["rate_form"].errors
        assert "Ответьте, решён ли вопрос: да или нет." in errors["solved"]
        assert "Оцените электроснабжение от 1 до 5." in errors["supply_rating"]
        assert not Survey.objects.exists()
        client.post(url, {"rating": "5", "solved": "no", "supply_rating": "1"})
        assert Survey.objects.get().solved is False


class TestFirstResponse:
    def test_set_once_by_the_first_public_word_from_staff(self, customer_a, operator):
        appeal = submit(customer_a)
        services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, as_role=access.STAFF, now=at(2, 11))
        services.appeal_add_message(appeal.pk, actor=operator, as_role=access.STAFF, text="Заметка", internal=True,
                                    files=[], now=at(2, 12))
        appeal.refresh_from_db()
        assert appeal.first_response_at is None  # taking into work and internal notes are not a response
        services.appeal_add_message(appeal.pk, actor=customer_a, as_role=access.CUSTOMER, text="Жду", files=[],
                                    now=at(2, 13))
        appeal.refresh_from_db()
        assert appeal.first_response_at is None  # nor is the customer's own message
        services.appeal_add_message(appeal.pk, actor=operator, as_role=access.STAFF, text="Уточняем", internal=False,
                                    files=[], now=at(2, 14))
        services.appeal_add_message(appeal.pk, actor=operator, as_role=access.STAFF, text="Ещё", internal=False,
                                    files=[], now=at(2, 15))
        appeal.refresh_from_db()
        assert appeal.first_response_at == at(2, 14)
